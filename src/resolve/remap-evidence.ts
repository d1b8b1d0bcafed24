import { anonNamePattern } from '../index/facts-diff.js';
import { escapeRegExp } from '../util/regexp.js';
import { lastAtMost } from '../util/sorted.js';
import { type EdgeSnapshot, packEvidence, unpackEvidence } from './edge-list.js';

/** Where an evidence text names a use in a file: at its end (`... (net/socket.c:1234)`), or within it (an out-parameter's store: `... by fill (x.c:21), passed as ...`). */
const whereIn = (file: string): RegExp => new RegExp(`\\(${escapeRegExp(file)}:(\\d+)\\)`, 'g');

/** How the lines of one edited file moved: undefined where that cannot be told. */
export interface LineMoves {
  /** Lines of definitions, calls and bindings. */
  line: (old: number) => number | undefined;
  /** Lines that name the file's anonymous structs. */
  anon: (old: number) => number | undefined;
  /**
   * True when every line the edit's facts place (definitions, calls, bindings, stores,
   * registrations, anonymous struct names) stayed where it was, and the file held facts before:
   * no entry can move, so none is looked for.
   */
  unmoved?: boolean;
}

/**
 * Ids of the packed entries that name `file`: those standing in it (`file\t` at an entry's
 * start), and those whose text names a line of it (`(file:`) or one of its anonymous structs
 * (`<anon file:`). One pass over the text finds every occurrence of the path and tells the three
 * apart by the characters around it (the text is tens of MB on a kernel: one scan, not three).
 */
function entriesNaming(edges: EdgeSnapshot, file: string): Set<number> {
  const { evidenceText: text, evidenceStart: start } = edges;
  const ids = new Set<number>();
  const end = file.length;
  for (let at = text.indexOf(file); at >= 0; at = text.indexOf(file, at + 1)) {
    const after = text.charCodeAt(at + end);
    const before = at === 0 ? 10 : text.charCodeAt(at - 1);
    const named = (before === 10 && after === 9) || (after === 58 && (before === 40 || (before === 32 && text.startsWith('<anon ', at - 6))));
    if (named) ids.add(lastAtMost(start, at, start.length - 1));
  }
  return ids;
}

/**
 * Moves the evidence of a cached graph to the new lines of one edited file: the entries that
 * stand in the file, each `(file:line)` in the texts of uses in it, and the names of its
 * anonymous structs (slot holders) in any text. When a line cannot be moved, nothing is changed and the
 * answer is false (the caller resolves the graph afresh).
 */
export function remapEvidence(edges: EdgeSnapshot, file: string, move: LineMoves): boolean {
  // No line moved: every entry stays as it is, and the text (tens of MB on a kernel, read from the cache a block at a time) is not decoded.
  if (move.unmoved) return true;
  const ids = entriesNaming(edges, file);
  if (ids.size === 0) return true;
  const where = whereIn(file);
  const anon = anonNamePattern(file);
  const { evidenceText: text, evidenceStart: start } = edges;
  const changed = new Map<number, string>();
  for (const id of ids) {
    const e = unpackEvidence(text.slice(start[id]!, start[id + 1]! - 1));
    let failed = false;
    const moved = (to: number | undefined, old: string): string => {
      if (to === undefined) failed = true;
      return String(to ?? old);
    };
    const line = e.file === file ? Number(moved(move.line(e.line), String(e.line))) : e.line;
    const evidenceText = e.text.replace(where, (_, n: string) => `(${file}:${moved(move.line(Number(n)), n)})`).replace(anon, (_, n: string) => `<anon ${file}:${moved(move.anon(Number(n)), n)}>`);
    if (failed) return false;
    if (line !== e.line || evidenceText !== e.text) changed.set(id, packEvidence({ file: e.file, line, text: evidenceText }));
  }
  if (changed.size === 0) return true;
  const order = [...changed.keys()].sort((a, b) => a - b);
  const pieces: string[] = [];
  const newStart = new Int32Array(start.length);
  let from = 0;
  let delta = 0;
  let next = 0;
  for (let id = 0; id < start.length; id++) {
    newStart[id] = start[id]! + delta;
    if (id === order[next]) {
      const entry = changed.get(id)!;
      pieces.push(text.slice(from, start[id]!), entry);
      from = start[id + 1]! - 1;
      delta += entry.length - (start[id + 1]! - 1 - start[id]!);
      next++;
    }
  }
  pieces.push(text.slice(from));
  edges.evidenceText = pieces.join('');
  edges.evidenceStart = newStart;
  return true;
}
