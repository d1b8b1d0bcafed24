/**
 * How the graph cache keeps the macros that may define (GraphPayload.definers), so that a patch
 * reads only the macros its edited files' invocations can reach: one record per macro name, the
 * names sorted (a column line each: columns.ts `lines`), the records one long text stored in
 * deflated blocks (columns.ts `chunks`), so that a lookup decodes a few names by binary search and
 * inflates the blocks of the records it needs, never the whole table (a whole x86 kernel's table is
 * some 12 MB of JSON, which took about 0.3 s to parse and expand on every such patch, and would
 * cost as much on disk uncompressed). The records' file ids are a column of their own (`files`), so
 * that files added or deleted (file ids shifted: renumber-files.ts) map some 40,000 integers and
 * leave the text as stored (it was decoded, rewritten id by id and written again: some 0.17 s of
 * the main thread of a file added to or deleted from a kernel, and the text's deflation when written).
 */
import type { MacroFact, FileFacts, MacroInvocation } from '../types/facts.js';
import { stringItems, type StringItems, textSlicer, withFields } from '../util/text-slices.js';
import { sharedArray, sharedFrom } from '../util/shared-arrays.js';

/**
 * The macros of every file that have a body (MacroFact.body), by name: `names` sorted by code
 * unit, and record i the JSON of the `MacroFact[]` of `names[i]` (its text: recordAt), in file
 * order and, within a file, in the order the file defines them (the order definerTable in
 * index/expand-definers.ts lists them); the file of each of record i's macros is
 * `files[entries[i] + j]` for its j-th macro.
 */
export interface DefinerRecords {
  names: string[];
  /** The records, each followed by a newline (JSON holds none: it escapes them). */
  text: string;
  /** Where each record starts in `text`, in UTF-16 code units, and its end: names.length + 1 offsets. */
  starts: Int32Array;
  /** The file id of each macro of the records, record after record. */
  files: Int32Array;
  /** Where each record's macros start in `files`, and their end: names.length + 1 offsets. */
  entries: Int32Array;
}

/** DefinerRecords of sorted names, their records' JSON (a MacroFact[] each) and each record's file ids (one per macro). */
function packRecords(names: string[], records: string[], files: readonly (readonly number[])[]): DefinerRecords {
  const starts = new Int32Array(records.length + 1);
  const entries = new Int32Array(records.length + 1);
  records.forEach((r, i) => {
    starts[i + 1] = starts[i]! + r.length + 1;
    entries[i + 1] = entries[i]! + files[i]!.length;
  });
  return { names, text: records.map((r) => `${r}\n`).join(''), starts, files: Int32Array.from(files.flat()), entries };
}

/** Records of [file id, macro] entries by name (entries in file order) as DefinerRecords, for `names` (sorted; each with entries). */
function packEntries(names: string[], byName: ReadonlyMap<string, readonly [number, MacroFact][]>): DefinerRecords {
  const lists = names.map((n) => byName.get(n)!);
  return packRecords(names, lists.map((l) => JSON.stringify(l.map((e) => e[1]))), lists.map((l) => l.map((e) => e[0])));
}

/** Record i of `stored`, read by inflating only the blocks it spans when the text is still stored. */
const recordAt = (stored: DefinerRecords, i: number, slice = textSlicer(stored, 'text')): string => slice(stored.starts[i]!, stored.starts[i + 1]! - 1);

/** Record i of `stored` as its [file id, macro] entries. */
function entriesAt(stored: DefinerRecords, i: number, slice = textSlicer(stored, 'text')): [number, MacroFact][] {
  const { files, entries } = stored;
  const first = entries[i]!;
  return (JSON.parse(recordAt(stored, i, slice)) as MacroFact[]).map((m, j) => [files[first + j]!, m]);
}

/** The DefinerRecords of a tree's facts (file id = position in `facts`). */
export function definerRecords(facts: readonly FileFacts[]): DefinerRecords {
  const byName = new Map<string, [number, MacroFact][]>();
  facts.forEach((f, file) => {
    for (const m of f.macros) {
      if (m.body === undefined) continue;
      const list = byName.get(m.name);
      if (list) list.push([file, m]);
      else byName.set(m.name, [[file, m]]);
    }
  });
  return packEntries([...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), byName);
}

/** True when `value` has the shape of DefinerRecords (a cache of another layout has a string there). */
export const isDefinerRecords = (value: unknown): value is DefinerRecords => typeof value === 'object' && value !== null && 'names' in value && 'text' in value && 'starts' in value && 'files' in value && 'entries' in value;

/** The identifiers of a text (candidate macro names: a superset of those an expansion looks up). */
const identifiers = (text: string): string[] => text.match(/[A-Za-z_]\w*/g) ?? [];

/** The position of `name` in the sorted item list, or -1. */
function find(names: StringItems, name: string): number {
  let lo = 0;
  let hi = names.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = names.at(mid);
    if (at === name) return mid;
    if (at < name) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * The macros with a body an expansion of `invocations` can reach, by file id (each file's in its
 * own order), read from `stored` without decoding the other records: the invoked names and every
 * identifier of their arguments, then every identifier of a reached macro's body, until no new
 * name is found. Expanding with these gives what expanding with the whole table gives, since an
 * expansion (parse/macro-expand.ts) and the search for definers (definersOf) look up only names
 * written in an invocation or in a reached body. Files in `skip` are left out (their facts are
 * replaced by the caller's).
 */
export function reachedDefiners(stored: DefinerRecords, invocations: readonly MacroInvocation[], skip: ReadonlySet<number>): Map<number, MacroFact[]> {
  const names = stringItems(stored, 'names');
  const slice = textSlicer(stored, 'text');
  const seen = new Set<string>();
  const todo: string[] = [];
  const look = (words: string[]): void => {
    for (const w of words) {
      if (seen.has(w)) continue;
      seen.add(w);
      todo.push(w);
    }
  };
  for (const inv of invocations) look([inv.name, ...inv.args.flatMap(identifiers)]);
  const found: [number, number, MacroFact][] = [];
  for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
    const i = find(names, name);
    if (i < 0) continue;
    for (const [file, macro] of entriesAt(stored, i, slice)) {
      look(identifiers(macro.body ?? ''));
      if (!skip.has(file)) found.push([file, macro.line, macro]);
    }
  }
  const out = new Map<number, MacroFact[]>();
  // By file, then in the file's order (line; definitions on one line keep the order they were found, which is theirs within a name).
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [file, , macro] of found) {
    const list = out.get(file);
    if (list) list.push(macro);
    else out.set(file, [macro]);
  }
  return out;
}

/**
 * A reader of `stored` by name: the [file id, macro] entries of a name (in file order), or an empty
 * list for a name with no record; each record found by binary search and read by inflating only
 * the blocks it spans, never the whole table.
 */
export function definerEntries(stored: DefinerRecords): (name: string) => [number, MacroFact][] {
  const names = stringItems(stored, 'names');
  const slice = textSlicer(stored, 'text');
  return (name) => {
    const i = find(names, name);
    return i < 0 ? [] : entriesAt(stored, i, slice);
  };
}

/** Every record of `stored` as [file id, macro] lists, by name (the whole table: for the rare patches that change it). */
function allRecords(stored: DefinerRecords): Map<string, [number, MacroFact][]> {
  const names = stringItems(stored, 'names').all();
  const { text } = stored;
  const slice = (from: number, to: number): string => text.slice(from, to);
  return new Map(names.map((n, i) => [n, entriesAt(stored, i, slice)]));
}

/** DefinerRecords of records by name: names sorted by code unit, each name's entries by file id (a sort that keeps a file's own order). */
function recordsOf(byName: Map<string, [number, MacroFact][]>): DefinerRecords {
  const names = [...byName.keys()].filter((n) => byName.get(n)!.length > 0).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return packEntries(names, new Map(names.map((n) => [n, [...byName.get(n)!].sort((a, b) => a[0] - b[0])])));
}

/**
 * `stored` after the macros with a body of some files changed: each file of `files` (file id ->
 * its macros now) has exactly the entries its macros with a body give, in its own order; other
 * files' entries are kept. `names`, when given, holds every name under which a file of `files`
 * has entries now or had them before (the names of its macros with a body, before and after the
 * edit: a file's entries are its macros with a body): only those records are parsed and made
 * again, the others kept as their text. Without it, every record is (about 12 MB of JSON on a
 * kernel, some 0.2 s).
 */
export function replaceDefinerFiles(stored: DefinerRecords, files: ReadonlyMap<number, readonly MacroFact[]>, names?: ReadonlySet<string>): DefinerRecords {
  if (!names) {
    const byName = allRecords(stored);
    for (const [name, list] of byName) byName.set(name, list.filter(([file]) => !files.has(file)));
    addFiles(byName, files);
    return recordsOf(byName);
  }
  const items = stringItems(stored, 'names');
  const { text, starts, entries } = stored;
  const ids = stored.files;
  const slice = (from: number, to: number): string => text.slice(from, to);
  // The records of `names` without the entries of `files`, then with their entries now.
  const byName = new Map<string, [number, MacroFact][]>();
  for (const name of names) {
    const i = find(items, name);
    byName.set(name, i < 0 ? [] : entriesAt(stored, i, slice).filter(([file]) => !files.has(file)));
  }
  addFiles(byName, files);
  // Only those records change: the others are copied as runs of text between them, their starts shifted (no pass over each record).
  const changes = [...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((name) => {
    const list = byName.get(name)!;
    const at = find(items, name);
    const sorted = [...list].sort((a, b) => a[0] - b[0]);
    return { name, at, place: at >= 0 ? at : lowerBound(items, name), json: list.length === 0 ? null : JSON.stringify(sorted.map((e) => e[1])), ids: sorted.map((e) => e[0]) };
  });
  const count = items.length;
  const parts: string[] = [];
  const newStarts: number[] = [0];
  const newEntries: number[] = [0];
  const newIds: number[] = [];
  const newNames: string[] = [];
  const namesMove = changes.some((c) => (c.at < 0) !== (c.json === null));
  const all = namesMove ? items.all() : [];
  let prev = 0;
  let length = 0;
  const keep = (to: number): void => {
    if (to <= prev) return;
    parts.push(text.slice(starts[prev]!, starts[to]!));
    const shift = length - starts[prev]!;
    for (let r = prev + 1; r <= to; r++) newStarts.push(starts[r]! + shift);
    length += starts[to]! - starts[prev]!;
    const moved = newIds.length - entries[prev]!;
    for (let r = prev + 1; r <= to; r++) newEntries.push(entries[r]! + moved);
    for (let e = entries[prev]!; e < entries[to]!; e++) newIds.push(ids[e]!);
    if (namesMove) for (let r = prev; r < to; r++) newNames.push(all[r]!);
    prev = to;
  };
  for (const c of changes) {
    keep(c.place);
    if (c.at >= 0) prev = c.at + 1;
    if (c.json === null) continue;
    parts.push(c.json, '\n');
    length += c.json.length + 1;
    newStarts.push(length);
    newIds.push(...c.ids);
    newEntries.push(newIds.length);
    if (namesMove) newNames.push(c.name);
  }
  keep(count);
  // In shared memory: the cache writer's thread is handed them without a copy (util/shared-arrays.ts sharedFrom).
  const out = { text: parts.join(''), starts: sharedFrom(Int32Array, newStarts), files: sharedFrom(Int32Array, newIds), entries: sharedFrom(Int32Array, newEntries) };
  // The names stay as stored (a column not decoded) when none comes or goes.
  return namesMove ? { names: newNames, ...out } : withFields(stored, out);
}

/** The position of the first item of the sorted item list not below `name`. */
function lowerBound(names: StringItems, name: string): number {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (names.at(mid) < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adds the entries of each file of `files` (its macros with a body, in its order) to `byName`. */
function addFiles(byName: Map<string, [number, MacroFact][]>, files: ReadonlyMap<number, readonly MacroFact[]>): void {
  for (const [file, macros] of files) {
    for (const m of macros) {
      if (m.body === undefined) continue;
      const list = byName.get(m.name);
      if (list) list.push([file, m]);
      else byName.set(m.name, [[file, m]]);
    }
  }
}

/**
 * `stored` with every file id mapped by `map` (files added or deleted shift the ids after them:
 * renumber-files.ts). `map` may throw to refuse an id (a deleted file's), and must keep the order
 * of the ids it maps (renumbering keeps path order), so that every record keeps its order and
 * every name its record. Only the `files` column is rewritten: the text stays as stored (not
 * decoded, and written back as it is); `stored` itself is updated and returned.
 */
export function mapDefinerFiles(stored: DefinerRecords, map: (file: number) => number): DefinerRecords {
  const old = stored.files;
  const files = sharedArray(Int32Array, old.length);
  let moved = false;
  for (let e = 0; e < old.length; e++) {
    files[e] = map(old[e]!);
    if (files[e] !== old[e]) moved = true;
  }
  if (moved) stored.files = files;
  return stored;
}
