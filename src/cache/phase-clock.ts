/**
 * The phases of opening a tree (discover, graph cache, parse, expand, resolve, save), each timed
 * with performance.now() and told as one line to whoever asked (`--verbose`), with why the graph
 * came from where it came.
 */
export type Trace = (message: string) => void;

/** Times one phase after another; with no Trace it measures nothing worth keeping and tells no one. */
export class PhaseClock {
  private last = performance.now();

  constructor(private readonly trace?: Trace) {}

  /** Ends the phase running since the last call: `discover: 43,328 files (0.41 s)`. */
  done(phase: string, detail = ''): void {
    const now = performance.now();
    const seconds = ((now - this.last) / 1000).toFixed(2);
    this.last = now;
    this.trace?.(`${phase}: ${detail}${detail ? ' ' : ''}(${seconds} s)`);
  }

  /** A line with no time: how the graph was had, and why. */
  say(message: string): void {
    this.trace?.(message);
  }

  /** Restarts the clock without a line (time spent elsewhere, such as a phase told by someone else). */
  restart(): void {
    this.last = performance.now();
  }
}

/**
 * 43328 -> `43,328` (en-US grouping, the same bytes on every machine), for integers. Grouped by
 * hand: toLocaleString loads ICU's number formatting on first use (about 10 ms), which every open
 * of a tree would pay for its --verbose lines, printed or not.
 */
export const count = (n: number): string => (Number.isInteger(n) ? String(n).replace(/\B(?=(\d{3})+$)/g, ',') : n.toLocaleString('en-US'));

/**
 * Times the steps inside one phase (the patched path's parse, patch and save), kept as lines to be
 * told after that phase's own line, which reports how the phase ended and its whole time.
 */
export class StepClock {
  private last = performance.now();
  /** `parse: 1 edited file (0.05 s)`, one per step done, in order. */
  readonly lines: string[] = [];

  /** Ends the step running since the last call (or since the clock was made). */
  done(step: string, detail = ''): void {
    const now = performance.now();
    this.lines.push(`${step}: ${detail}${detail ? ' ' : ''}(${((now - this.last) / 1000).toFixed(2)} s)`);
    this.last = now;
  }

  /**
   * A step of `ms` milliseconds made inside the one running (a check it does once): its own line,
   * and its time left out of the running step's.
   */
  inside(step: string, detail: string, ms: number): void {
    this.lines.push(`${step}: ${detail} (${(ms / 1000).toFixed(2)} s)`);
    this.last += ms;
  }

  /** Restarts the clock without a line (time that belongs to no step). */
  restart(): void {
    this.last = performance.now();
  }
}
