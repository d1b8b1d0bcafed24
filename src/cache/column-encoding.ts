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
