import { anonNamePattern, type FactsDiff } from '../index/facts-diff.js';
import { escapeRegExp } from '../util/regexp.js';
import { lastAtMost } from '../util/sorted.js';
import { asciiBytesOf, joinedAscii, setAsciiText } from '../util/text-bytes.js';
import { sharedArray, sharedBytesWithRoom } from '../util/shared-arrays.js';
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
 * How the lines of an edited file moved, from its facts diff (facts-diff.ts: the lines of its
 * definitions, calls and bindings, and of its anonymous structs' names). With `wasEmpty` (the file
 * held no facts before: it was added), a line the diff does not place stays where it is: evidence
 * naming it can only be left over from a version of the file a patch deleted. `gone`: old lines of
 * calls taken out whose evidence entries no edge shows any more, moved to line 0 (see the body).
 */
export function lineMovesOf(diff: Pick<FactsDiff, 'lines' | 'anon'>, wasEmpty: boolean, gone: readonly number[] = []): LineMoves {
  const lines = new Map<number, number>();
  // A line that went to two places cannot be told (-1).
  for (const [o, n] of diff.lines) lines.set(o, lines.has(o) && lines.get(o) !== n ? -1 : n);
  // The lines of calls taken out whose evidence no edge shows any more (a callback's: patch-callbacks.ts), unless a kept fact places
  // them, go to line 0, which names no line and stays where it is: such an entry is moved by every later patch of the file.
  for (const line of gone) if (!lines.has(line)) lines.set(line, 0);
  lines.set(0, 0);
  const anon = new Map(diff.anon);
  return {
    unmoved: !wasEmpty && gone.length === 0 && diff.lines.every(([o, n]) => o === n) && diff.anon.every(([o, n]) => o === n),
    line: (line) => {
      const moved = lines.get(line);
      if (moved === undefined && wasEmpty) return line;
      return moved === undefined || moved < 0 ? undefined : moved;
    },
    anon: (line) => anon.get(line) ?? (wasEmpty ? line : undefined),
  };
}

/** The evidence text read where it is: its ASCII bytes (TEXT_BYTES) when registered, else the string. */
interface TextAt {
  length: number;
  indexOf(s: string, from: number): number;
  code(at: number): number;
  slice(from: number, to: number): string;
}

/** The evidence text of `edges` as its ASCII bytes, without making the string, when they are registered and the paths looked for are ASCII (`asciiPaths`); else as the string. */
function textOf(edges: EdgeSnapshot, asciiPaths: boolean): { text: TextAt; bytes?: Buffer } {
  const ascii = asciiPaths ? asciiBytesOf(edges, 'evidenceText') : undefined;
  if (ascii) {
    const bytes = Buffer.from(ascii.buffer, ascii.byteOffset, ascii.byteLength);
    return { bytes, text: { length: bytes.length, indexOf: (s, from) => bytes.indexOf(s, from, 'latin1'), code: (at) => bytes[at] ?? NaN, slice: (from, to) => bytes.toString('latin1', from, to) } };
  }
  const text = edges.evidenceText;
  return { text: { length: text.length, indexOf: (s, from) => text.indexOf(s, from), code: (at) => text.charCodeAt(at), slice: (from, to) => text.slice(from, to) } };
}

/**
 * Ids of the packed entries that name `file`: those standing in it (`file\t` at an entry's
 * start), and those whose text names a line of it (`(file:`) or one of its anonymous structs
 * (`<anon file:`). One pass over the text finds every occurrence of the path and tells the three
 * apart by the characters around it (the text is tens of MB on a kernel: one scan, not three).
 */
function entriesNaming(text: TextAt, start: Int32Array, file: string): Set<number> {
  const ids = new Set<number>();
  const end = file.length;
  for (let at = text.indexOf(file, 0); at >= 0; at = text.indexOf(file, at + 1)) {
    const after = text.code(at + end);
    const before = at === 0 ? 10 : text.code(at - 1);
    const named = (before === 10 && after === 9) || (after === 58 && (before === 40 || (before === 32 && at >= 6 && text.slice(at - 6, at) === '<anon ')));
    if (named) ids.add(lastAtMost(start, at, start.length - 1));
  }
  return ids;
}

/**
 * Moves the evidence of a cached graph to the new lines of the edited files (`moves`: each file's
 * path and how its lines moved): the entries that stand in a file, each `(file:line)` in the texts
 * of uses in it, and the names of its anonymous structs (slot holders) in any text. The text is
 * rewritten once for every file (a patch of many files copied tens of MB per file on a kernel:
 * 100 files took 4.5 s and 3 GB). When a line cannot be moved, nothing is changed and the answer
 * is the path of that file (the caller resolves the graph afresh); else null. A text whose ASCII
 * bytes are at hand (util/text-bytes.ts: the writer's thread inflated them) is read and rewritten
 * as bytes, the string made only if it is read whole later.
 */
export function remapEvidence(edges: EdgeSnapshot, moves: readonly { file: string; move: LineMoves }[]): string | null {
  // Files no line of which moved: every entry stays as it is, and the text (tens of MB on a kernel, read from the cache a block at a time) is not decoded.
  const moving = moves.filter((m) => !m.move.unmoved);
  if (moving.length === 0) return null;
  const start = edges.evidenceStart;
  const { text, bytes } = textOf(edges, moving.every((m) => /^[\x00-\x7f]*$/.test(m.file)));
  const changed = new Map<number, string>();
  // Entries naming several edited files are moved for each in turn.
  const current = (id: number): string => changed.get(id) ?? text.slice(start[id]!, start[id + 1]! - 1);
  for (const { file, move } of moving) {
    const where = whereIn(file);
    const anon = anonNamePattern(file);
    for (const id of entriesNaming(text, start, file)) {
      const e = unpackEvidence(current(id));
      let failed = false;
      const moved = (to: number | undefined, old: string): string => {
        if (to === undefined) failed = true;
        return String(to ?? old);
      };
      const line = e.file === file ? Number(moved(move.line(e.line), String(e.line))) : e.line;
      const evidenceText = e.text.replace(where, (_, n: string) => `(${file}:${moved(move.line(Number(n)), n)})`).replace(anon, (_, n: string) => `<anon ${file}:${moved(move.anon(Number(n)), n)}>`);
      if (failed) return file;
      if (line !== e.line || evidenceText !== e.text) changed.set(id, packEvidence({ file: e.file, line, text: evidenceText }));
    }
  }
  if (changed.size === 0) return null;
  const order = [...changed.keys()].sort((a, b) => a - b);
  // The text as [from, to) ranges of the old one and new entries between them.
  const pieces: (string | [number, number])[] = [];
  // In shared memory: the writer of the patched graph's thread is handed it without a copy (cache/write-behind.ts).
  const newStart = sharedArray(Int32Array, start.length);
  let from = 0;
  let delta = 0;
  let next = 0;
  for (let id = 0; id < start.length; id++) {
    newStart[id] = start[id]! + delta;
    if (id === order[next]) {
      const entry = changed.get(id)!;
      pieces.push([from, start[id]!], entry);
      from = start[id + 1]! - 1;
      delta += entry.length - (start[id + 1]! - 1 - start[id]!);
      next++;
    }
  }
  pieces.push([from, text.length]);
  edges.evidenceStart = newStart;
  // The entries are ASCII as the text is (their lines are numbers): the new bytes are the old ranges copied and the entries written.
  if (bytes && [...changed.values()].every((entry) => /^[\x00-\x7f]*$/.test(entry))) {
    // With room past its end: the binding patch after this one appends its evidence where the text lies (append-evidence.ts), instead of copying tens of MB.
    const made = sharedBytesWithRoom(text.length + delta);
    const out = Buffer.from(made.buffer, made.byteOffset, made.length);
    let at = 0;
    for (const p of pieces) at += typeof p === 'string' ? out.write(p, at, 'latin1') : bytes.copy(out, at, p[0], p[1]);
    setAsciiText(edges, 'evidenceText', out);
    return null;
  }
  const strings = pieces.map((p) => (typeof p === 'string' ? p : text.slice(p[0], p[1])));
  // Made from its bytes in shared memory, which the writer of the patched graph then takes as they are (util/text-bytes.ts).
  edges.evidenceText = joinedAscii(strings) ?? strings.join('');
  return null;
}
