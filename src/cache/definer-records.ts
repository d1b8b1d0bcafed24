/**
 * How the graph cache keeps the macros that may define (GraphPayload.definers), so that a patch
 * reads only the macros its edited files' invocations can reach: one record per macro name, the
 * names sorted (a column line each: columns.ts `lines`), the records one long text stored in
 * deflated blocks (columns.ts `chunks`), so that a lookup decodes a few names by binary search and
 * inflates the blocks of the records it needs, never the whole table (a whole x86 kernel's table is
 * some 12 MB of JSON, which took about 0.3 s to parse and expand on every such patch, and would
 * cost as much on disk uncompressed).
 */
import type { MacroFact, FileFacts, MacroInvocation } from '../types/facts.js';
import { stringItems, type StringItems, textSlicer, withFields } from '../util/text-slices.js';
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, NEWLINE, OPEN_BRACE, OPEN_BRACKET, QUOTE } from '../util/json-chars.js';

/**
 * The macros of every file that have a body (MacroFact.body), by name: `names` sorted by code
 * unit, and record i (recordAt) the JSON of `[file id, MacroFact][]` for `names[i]`, in file order
 * and, within a file, in the order the file defines them (the order definerTable in
 * index/expand-definers.ts lists them).
 */
export interface DefinerRecords {
  names: string[];
  /** The records, each followed by a newline (JSON holds none: it escapes them). */
  text: string;
  /** Where each record starts in `text`, in UTF-16 code units, and its end: names.length + 1 offsets. */
  starts: Int32Array;
}

/** DefinerRecords of sorted names and their records' JSON. */
function packRecords(names: string[], records: string[]): DefinerRecords {
  const starts = new Int32Array(records.length + 1);
  records.forEach((r, i) => {
    starts[i + 1] = starts[i]! + r.length + 1;
  });
  return { names, text: records.map((r) => `${r}\n`).join(''), starts };
}

/** Record i of `stored`, read by inflating only the blocks it spans when the text is still stored. */
const recordAt = (stored: DefinerRecords, i: number, slice = textSlicer(stored, 'text')): string => slice(stored.starts[i]!, stored.starts[i + 1]! - 1);

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
  const names = [...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return packRecords(names, names.map((n) => JSON.stringify(byName.get(n))));
}

/** True when `value` has the shape of DefinerRecords (a cache of another layout has a string there). */
export const isDefinerRecords = (value: unknown): value is DefinerRecords => typeof value === 'object' && value !== null && 'names' in value && 'text' in value && 'starts' in value;

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
    for (const [file, macro] of JSON.parse(recordAt(stored, i, slice)) as [number, MacroFact][]) {
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

/** Every record of `stored` as [file id, macro] lists, by name (the whole table: for the rare patches that change it). */
function allRecords(stored: DefinerRecords): Map<string, [number, MacroFact][]> {
  const names = stringItems(stored, 'names').all();
  const { text } = stored;
  return new Map(names.map((n, i) => [n, JSON.parse(text.slice(stored.starts[i]!, stored.starts[i + 1]! - 1)) as [number, MacroFact][]]));
}

/** DefinerRecords of records by name: names sorted by code unit, each name's entries by file id (a sort that keeps a file's own order). */
function recordsOf(byName: Map<string, [number, MacroFact][]>): DefinerRecords {
  const names = [...byName.keys()].filter((n) => byName.get(n)!.length > 0).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return packRecords(names, names.map((n) => JSON.stringify([...byName.get(n)!].sort((a, b) => a[0] - b[0]))));
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
  const { text, starts } = stored;
  // The records of `names` without the entries of `files`, then with their entries now.
  const byName = new Map<string, [number, MacroFact][]>();
  for (const name of names) {
    const i = find(items, name);
    byName.set(name, i < 0 ? [] : (JSON.parse(text.slice(starts[i]!, starts[i + 1]! - 1)) as [number, MacroFact][]).filter(([file]) => !files.has(file)));
  }
  addFiles(byName, files);
  // Only those records change: the others are copied as runs of text between them, their starts shifted (no pass over each record).
  const changes = [...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((name) => {
    const list = byName.get(name)!;
    const at = find(items, name);
    return { name, at, place: at >= 0 ? at : lowerBound(items, name), json: list.length === 0 ? null : JSON.stringify([...list].sort((a, b) => a[0] - b[0])) };
  });
  const count = items.length;
  const parts: string[] = [];
  const newStarts: number[] = [0];
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
    if (namesMove) newNames.push(c.name);
  }
  keep(count);
  const out = { text: parts.join(''), starts: Int32Array.from(newStarts) };
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
 * every name its record. The text is read once and the ids rewritten where they stand
 * (mapRecordFiles), without parsing a record; `stored` itself is updated (its names stay as they
 * are stored) and returned.
 */
export function mapDefinerFiles(stored: DefinerRecords, map: (file: number) => number): DefinerRecords {
  const mapped = mapRecordFiles(stored.text, stored.starts.length - 1, map);
  if (mapped.text !== stored.text) {
    stored.text = mapped.text;
    stored.starts = mapped.starts;
  }
  return stored;
}


/**
 * DefinerRecords.text of `count` records (each the JSON of `[file id, MacroFact][]` and a
 * newline) with every file id mapped by `map`, and the records' new starts. One pass over the
 * text: strings are skipped, and the number opening each array two levels deep (an entry) is its
 * file id. The same text when no id moves.
 */
export function mapRecordFiles(text: string, count: number, map: (file: number) => number): { text: string; starts: Int32Array } {
  const starts = new Int32Array(count + 1);
  const parts: string[] = [];
  let copied = 0;
  let shift = 0;
  let depth = 0;
  let record = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // The closing quote: the next one after an even run of backslashes.
      let end = text.indexOf('"', i + 1);
      for (;;) {
        if (end < 0) throw new Error('definer records: a string is not closed');
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      i = end;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      depth++;
      if (depth !== 2 || c !== OPEN_BRACKET) continue;
      let end = i + 1;
      let id = 0;
      for (let d = text.charCodeAt(end); d >= 0x30 && d <= 0x39; d = text.charCodeAt(++end)) id = id * 10 + d - 0x30;
      if (end === i + 1) throw new Error('definer records: an entry has no file id');
      const to = map(id);
      if (to !== id) {
        const written = String(to);
        parts.push(text.slice(copied, i + 1), written);
        copied = end;
        shift += written.length - (end - i - 1);
      }
      i = end - 1;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
    } else if (c === NEWLINE) {
      if (depth !== 0) throw new Error('definer records: a record is not closed');
      starts[++record] = i + 1 + shift;
    }
  }
  if (record !== count) throw new Error('definer records: not the count of records');
  if (parts.length === 0) return { text, starts };
  parts.push(text.slice(copied));
  return { text: parts.join(''), starts };
}
