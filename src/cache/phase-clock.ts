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

/** 43328 -> `43,328` (en-US grouping, the same bytes on every machine). */
export const count = (n: number): string => n.toLocaleString('en-US');
