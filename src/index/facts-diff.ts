import type { CallFact, FileFacts } from '../types/facts.js';
import { escapeRegExp } from '../util/regexp.js';

/** An old line and the new line the same thing stands on after an edit. */
export type LinePair = [before: number, after: number];

/** How the calls of one function (or macro) body changed. */
export interface BodyDiff {
  /** True for a macro body (index into `macros`), false for a function (into `functions`). */
  macro: boolean;
  item: number;
  /** Calls present before and after the edit: [old, new]. */
  kept: [CallFact, CallFact][];
  /** Calls only in the old body. */
  removed: CallFact[];
  /** Calls only in the new body. */
  added: CallFact[];
}

/**
 * What an edit changed in one file's facts, when it changed nothing but line numbers and
 * the calls of bodies: everything else (names, signatures, types, bindings, ...) is equal.
 */
export interface FactsDiff {
  bodies: BodyDiff[];
  /** Old -> new lines of definitions, bindings and kept calls: what evidence and edges may point at. */
  lines: LinePair[];
  /** Old -> new lines in the names of the file's anonymous structs (`struct <anon net/x.c:907>`), one to one. */
  anon: LinePair[];
  /** True when not even a line or a call changed: the graph is the same. */
  unchanged: boolean;
}

/**
 * Keys that only place a fact in the file; `calls` are compared apart; the hash and error count
 * do not reach the graph; a function's `tailCalls` and `noinline` are node flags alone, which the
 * patch sets from the new facts (cache/patch-definitions.ts): a change of one only makes the diff not `unchanged`.
 * So is a call's `tail` (CallFact.tail, read from the facts by stack steps): calls are matched without it.
 */
const PLACE_KEYS = new Set(['line', 'col', 'endLine']);
const IGNORED_KEYS = new Set(['calls', 'hash', 'parseErrors', 'tailCalls', 'noinline']);

const withoutPlaces = (key: string, value: unknown): unknown => (PLACE_KEYS.has(key) ? undefined : value);
const withoutPlacesOrTail = (key: string, value: unknown): unknown => (PLACE_KEYS.has(key) || key === 'tail' ? undefined : value);
const withoutPlacesOrCalls = (key: string, value: unknown): unknown => (PLACE_KEYS.has(key) || IGNORED_KEYS.has(key) ? undefined : value);

/**
 * The names the parse stage gives a file's anonymous structs and unions, which hold their
 * line (`struct <anon net/x.c:907>`); the line is the pattern's group 1.
 */
export const anonNamePattern = (path: string): RegExp => new RegExp(`<anon ${escapeRegExp(path)}:(\\d+)>`, 'g');

/** Facts as text without what only places them, and the lines taken out of anonymous struct names, in order. */
interface Placeless {
  text: string;
  anon: number[];
}

/**
 * Writes facts as text without their places: line keys left out, and the line in the name of
 * each anonymous struct of the file (`struct <anon net/x.c:907>`) taken out and kept apart.
 */
function placeless(path: string): (value: unknown, replacer: typeof withoutPlaces) => Placeless {
  const anonName = anonNamePattern(path);
  return (value, replacer) => {
    const anon: number[] = [];
    const text = JSON.stringify(value, replacer).replace(anonName, (_, line: string) => {
      anon.push(Number(line));
      return '<anon>';
    });
    return { text, anon };
  };
}

/** True when the pairs rename one to one: no old line goes to two new ones, no new line comes from two old ones. */
export function isRenaming(pairs: LinePair[]): boolean {
  const forth = new Map<number, number>();
  const back = new Map<number, number>();
  for (const [o, n] of pairs) {
    if ((forth.get(o) ?? n) !== n || (back.get(n) ?? o) !== o) return false;
    forth.set(o, n);
    back.set(n, o);
  }
  return true;
}

const zip = (a: number[], b: number[]): LinePair[] => a.map((x, i) => [x, b[i]!]);

/**
 * Pairs the old and new lines of equal calls that occur a different number of times. The
 * pairing keeps source order and skips (as added or removed) the entries of the longer list
 * that fit worst where `predict` says each old line should now be.
 */
function alignLines(before: number[], after: number[], predict: (line: number) => number): [number, number][] {
  const swap = before.length > after.length;
  const short = swap ? after : before;
  const long = swap ? before : after;
  const cost = (i: number, j: number): number => (swap ? Math.abs(predict(long[j]!) - short[i]!) : Math.abs(predict(short[i]!) - long[j]!));
  // best[i][j]: least cost pairing short[i..] with long[j..], skipping long.length - short.length entries in all.
  const rows = short.length + 1;
  const cols = long.length + 1;
  const best = new Float64Array(rows * cols).fill(Infinity);
  for (let j = 0; j < cols; j++) best[(rows - 1) * cols + j] = 0;
  for (let i = rows - 2; i >= 0; i--) {
    for (let j = long.length - (short.length - i); j >= 0; j--) {
      best[i * cols + j] = Math.min(cost(i, j) + best[(i + 1) * cols + j + 1]!, best[i * cols + j + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < short.length; j++) {
    if (cost(i, j) + best[(i + 1) * cols + j + 1]! <= best[i * cols + j + 1]!) {
      pairs.push(swap ? [j, i] : [i, j]);
      i++;
    }
  }
  return pairs;
}

/**
 * The most pairs of `kept` that keep their order (a longest increasing run of new positions, by
 * old position), in old source order: a kept call never crosses another, so that the calls kept
 * keep their relative order and each callee's first call site stays first, as a fresh index sees
 * them. The pairs left out count as a call removed and one added (the patch binds them again or
 * resolves in full when it cannot).
 */
function uncrossed(kept: [CallFact, CallFact][], oldCalls: CallFact[], newCalls: CallFact[]): [CallFact, CallFact][] {
  const oldAt = new Map(oldCalls.map((c, i) => [c, i]));
  const newAt = new Map(newCalls.map((c, i) => [c, i]));
  const pairs = [...kept].sort((a, b) => oldAt.get(a[0])! - oldAt.get(b[0])!);
  const to = pairs.map(([, n]) => newAt.get(n)!);
  // Patience: tails[k] is the pair ending the best run of length k + 1; back[i] the pair before i in its run.
  const tails: number[] = [];
  const back = new Int32Array(pairs.length).fill(-1);
  for (let i = 0; i < pairs.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (to[tails[mid]!]! < to[i]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) back[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  if (tails.length === pairs.length) return pairs;
  const out: [CallFact, CallFact][] = [];
  for (let i = tails.length ? tails[tails.length - 1]! : -1; i >= 0; i = back[i]!) out.push(pairs[i]!);
  return out.reverse();
}

/** Matches the calls of an old and a new body, equal calls (same `key`) by source order, with the lines they moved by. */
function diffBody(oldCalls: CallFact[], newCalls: CallFact[], shift: number, key: (c: CallFact) => string): Omit<BodyDiff, 'macro' | 'item'> {
  const group = (calls: CallFact[]): Map<string, CallFact[]> => {
    const byKey = new Map<string, CallFact[]>();
    for (const c of calls) {
      const k = key(c);
      const list = byKey.get(k);
      if (list) list.push(c);
      else byKey.set(k, [c]);
    }
    return byKey;
  };
  const before = group(oldCalls);
  const after = group(newCalls);
  const kept: [CallFact, CallFact][] = [];
  const uneven: [CallFact[], CallFact[]][] = [];
  for (const [k, olds] of before) {
    const news = after.get(k) ?? [];
    if (olds.length === news.length) olds.forEach((c, i) => kept.push([c, news[i]!]));
    else uneven.push([olds, news]);
  }
  // Lines of calls that occur as often before as after tell where an old line now stands.
  const anchors = kept.map(([o, n]) => [o.line, n.line - o.line] as const).sort((a, b) => a[0] - b[0]);
  const predict = (line: number): number => {
    let delta = shift;
    for (const [at, d] of anchors) if (at <= line) delta = d;
    return line + delta;
  };
  for (const [olds, news] of uneven) {
    for (const [i, j] of alignLines(olds.map((c) => c.line), news.map((c) => c.line), predict)) kept.push([olds[i]!, news[j]!]);
  }
  const inOrder = uncrossed(kept, oldCalls, newCalls);
  const keptOld = new Set(inOrder.map(([o]) => o));
  const keptNew = new Set(inOrder.map(([, n]) => n));
  return { kept: inOrder, removed: oldCalls.filter((c) => !keptOld.has(c)), added: newCalls.filter((c) => !keptNew.has(c)) };
}

/**
 * The difference between a file's old and new facts, or null when the edit changed more
 * than lines and calls (a function added or renamed, a binding or a type changed, ...).
 */
export function diffFacts(before: FileFacts, after: FileFacts): FactsDiff | null {
  if (before.path !== after.path) return null;
  const write = placeless(after.path);
  const [was, now] = [write(before, withoutPlacesOrCalls), write(after, withoutPlacesOrCalls)];
  if (was.text !== now.text) return null;
  const anon = zip(was.anon, now.anon);
  const calls = new Map<CallFact, Placeless>();
  const key = (c: CallFact): Placeless => {
    let k = calls.get(c);
    if (!k) calls.set(c, (k = write(c, withoutPlacesOrTail)));
    return k;
  };
  const lines: LinePair[] = [];
  const bodies: BodyDiff[] = [];
  const addBody = (macro: boolean, item: number, o: { line: number; calls: CallFact[] }, n: { line: number; calls: CallFact[] }): void => {
    lines.push([o.line, n.line]);
    const body = { macro, item, ...diffBody(o.calls, n.calls, n.line - o.line, (c) => key(c).text) };
    for (const [oc, nc] of body.kept) {
      lines.push([oc.line, nc.line]);
      anon.push(...zip(key(oc).anon, key(nc).anon));
    }
    bodies.push(body);
  };
  before.functions.forEach((f, i) => addBody(false, i, f, after.functions[i]!));
  before.macros.forEach((m, i) => addBody(true, i, m, after.macros[i]!));
  before.bindings.forEach((b, i) => lines.push([b.line, after.bindings[i]!.line]));
  // Stores in macro bodies are compared without their lines too; their evidence moves with them.
  before.macros.forEach((m, i) => m.stores?.forEach((st, j) => lines.push([st.line, after.macros[i]!.stores![j]!.line])));
  // Registrations (module_init(fn)) are compared without their lines like the rest; their evidence moves with the lines.
  (before.registrations ?? []).forEach((r, i) => lines.push([r.line, after.registrations![i]!.line]));
  // Anonymous structs renamed by the edit must stay told apart, or a call could be matched with one on another struct.
  if (!isRenaming(anon)) return null;
  const sameFlags = before.functions.every((f, i) => f.tailCalls === after.functions[i]!.tailCalls && f.noinline === after.functions[i]!.noinline) && bodies.every((b) => b.kept.every(([o, n]) => o.tail === n.tail));
  const unchanged = sameFlags && [...lines, ...anon].every(([o, n]) => o === n) && bodies.every((b) => b.added.length === 0 && b.removed.length === 0);
  return { bodies, lines, anon, unchanged };
}
