/**
 * How the graph cache's writer (columns.ts) chooses to store an integer column: runs, sparse,
 * steps, narrowed or as it is, whichever is smallest (column-format.ts ColumnInfo describes each).
 */
import { type StepType, TYPED, type TypedName } from './column-format.js';

/** The most frequent of the first 1024 values of `a`. */
function commonValue(a: Int32Array | Uint8Array): number {
  const seen = new Map<number, number>();
  for (let i = 0; i < Math.min(a.length, 1024); i++) seen.set(a[i]!, (seen.get(a[i]!) ?? 0) + 1);
  let fill = 0;
  let best = -1;
  for (const [v, n] of seen) if (n > best) [fill, best] = [v, n];
  return fill;
}

/**
 * What choosing an Int32Array column's encoding needs, in one pass: its runs of equal values, how
 * many values differ from `fill` (commonValue), the smallest integer type holding every value
 * (null when only Int32 does), and the narrowest StepType holding every step when the values
 * never decrease (as stepType says; null otherwise). One pass, not two: a patched graph's edge
 * columns (4 million rows on a kernel) are encoded while the query runs.
 */
function surveyInts(a: Int32Array): { runs: number; fill: number; others: number; narrow: TypedName | null; steps: StepType | null } {
  const fill = commonValue(a);
  let runs = a.length ? 1 : 0;
  let others = 0;
  let lo = 0;
  let hi = 0;
  let last = a.length ? a[0]! : 0;
  let most = 0;
  let rising = true;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v !== last) {
      runs++;
      const step = v - last;
      if (step < 0 || step > 0xffff) rising = false;
      else if (step > most) most = step;
      last = v;
    }
    if (v !== fill) others++;
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  let narrow: TypedName | null = null;
  if (lo >= 0 && hi <= 0xff) narrow = 'Uint8Array';
  else if (lo >= -0x80 && hi <= 0x7f) narrow = 'Int8Array';
  else if (lo >= 0 && hi <= 0xffff) narrow = 'Uint16Array';
  else if (lo >= -0x8000 && hi <= 0x7fff) narrow = 'Int16Array';
  return { runs, fill, others, narrow, steps: rising ? (most <= 0xff ? 'Uint8Array' : 'Uint16Array') : null };
}

/** The narrowest StepType holding every step of `a` when its values never decrease (see ColumnInfo `steps`), else null. */
export function stepType(a: ArrayLike<number>): StepType | null {
  let most = 0;
  for (let i = 1; i < a.length; i++) {
    const step = a[i]! - a[i - 1]!;
    if (step < 0 || step > 0xffff) return null;
    if (step > most) most = step;
  }
  return most <= 0xff ? 'Uint8Array' : 'Uint16Array';
}

/** The steps of `a` (stepType said they fit `type`): a[i + 1] - a[i] for each i. */
export function stepsOf(a: ArrayLike<number>, type: StepType): Uint8Array | Uint16Array {
  const steps = new TYPED[type](Math.max(0, a.length - 1));
  for (let i = 1; i < a.length; i++) steps[i - 1] = a[i]! - a[i - 1]!;
  return steps;
}

/**
 * The steps of `a` in the narrowest StepType holding them all, when its values never decrease
 * (stepsOf(a, stepType(a)) in one pass, not two: a kernel's 1.5 million sorted mention hashes
 * are stored so on every write); null when a value decreases or a step passes 16 bits.
 */
export function risingSteps(a: ArrayLike<number>): Uint8Array | Uint16Array | null {
  const steps = new Uint16Array(Math.max(0, a.length - 1));
  let most = 0;
  let last = a.length ? a[0]! : 0;
  for (let i = 1; i < a.length; i++) {
    const v = a[i]!;
    const step = v - last;
    if (step < 0 || step > 0xffff) return null;
    steps[i - 1] = step;
    most |= step;
    last = v;
  }
  if (most > 0xff) return steps;
  // Every step fits a byte: narrowed natively (set() converts each value).
  const narrow = new Uint8Array(steps.length);
  narrow.set(steps);
  return narrow;
}

/**
 * The runs of `a` as [value, end] pairs (column-format.ts `runs`: each run's value, then the row
 * after its last), `guess` runs made room for first (more grow the array). Each value is
 * compared with the run's own, and an end written only where a run ends: 4 million rows per edge
 * column on a kernel, encoded on every write of a patched graph.
 */
export function runPairs(a: Int32Array | Uint8Array, guess: number): Int32Array {
  const n = a.length;
  if (n === 0) return new Int32Array(0);
  let pairs = new Int32Array(Math.max(4, guess * 2));
  let k = 0;
  let last = a[0]!;
  pairs[0] = last;
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    if (v === last) continue;
    if (k + 3 >= pairs.length) {
      const more = new Int32Array(pairs.length * 2);
      more.set(pairs);
      pairs = more;
    }
    pairs[k + 1] = i;
    pairs[(k += 2)] = v;
    last = v;
  }
  pairs[k + 1] = n;
  return pairs.length === k + 2 ? pairs : pairs.subarray(0, k + 2);
}

/** Rows between the anchors a `steps` column keeps (ColumnInfo `steps`: `anchors`): reading one row sums at most this many steps less one. */
export const STEP_ANCHOR_EVERY = 256;

/** Whether a `steps` column of `rows` rows keeps anchors (stepAnchors): a shorter one is read whole at once. */
export const anchored = (rows: number): boolean => rows > 4 * STEP_ANCHOR_EVERY;

/**
 * The anchors of a `steps` column holding `a` (its value at rows 0, STEP_ANCHOR_EVERY, ...), in an
 * array of `a`'s own type; none for a column short enough to be read whole at once.
 */
export function stepAnchors(a: Int32Array | Uint32Array | Uint8Array): { anchors?: Int32Array | Uint32Array | Uint8Array } {
  if (!anchored(a.length)) return {};
  const anchors = new (a.constructor as Int32ArrayConstructor | Uint32ArrayConstructor | Uint8ArrayConstructor)(Math.ceil(a.length / STEP_ANCHOR_EVERY));
  for (let j = 0; j < anchors.length; j++) anchors[j] = a[j * STEP_ANCHOR_EVERY]!;
  return { anchors };
}

/** How many values of `a` differ from `fill`, counted up to `enough` (past it, the count is only known to exceed it). */
function countOthers(a: Uint8Array, fill: number, enough: number): number {
  let others = 0;
  for (let i = 0; i < a.length && others <= enough; i++) if (a[i] !== fill) others++;
  return others;
}

/** How a Uint8Array or Int32Array column is best stored: runs, sparse, steps, narrowed, or as it is (see ColumnInfo): the smallest. */
export function bestEncoding(a: Int32Array | Uint8Array): { enc: 'runs' | 'sparse' | 'steps' | 'typed'; runs: number; fill: number; others: number; narrow: TypedName | null; steps: StepType | null } {
  if (a instanceof Uint8Array) {
    const fill = commonValue(a);
    // Sparse pays 8 bytes per other value: worth it below one in eight.
    const others = countOthers(a, fill, a.length >> 3);
    return { enc: others * 8 < a.length ? 'sparse' : 'typed', runs: 0, fill, others, narrow: null, steps: null };
  }
  const { runs, fill, others, narrow, steps } = surveyInts(a);
  const sizes = { runs: runs * 8, sparse: others * 8, steps: steps ? a.length * TYPED[steps].BYTES_PER_ELEMENT : Infinity, typed: narrow ? a.length * TYPED[narrow].BYTES_PER_ELEMENT : a.byteLength };
  const enc = (['runs', 'sparse', 'steps', 'typed'] as const).reduce((best, e) => (sizes[e] < sizes[best] ? e : best), 'typed');
  return { enc, runs, fill, others, narrow, steps };
}
