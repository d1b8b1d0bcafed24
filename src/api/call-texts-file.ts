import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { KeptBeside } from '../cache/open-index.js';
import { readKept, writeKept } from '../cache/kept-beside.js';

/**
 * What a path answer reads back from the source for its pointer steps (api/pointer-calls.ts): the
 * called expression of a pointer call (`file->f_op->write`) and the name of the call taking a
 * callback, by caller node and line. Kept beside the graph cache (`KEY.texts`, kept-beside.ts)
 * for the very graph they were read for, so that a later query printing the same steps reads no
 * source file: scanning fs/read_write.c again for one column took a warm kernel query 50-130 ms.
 * Each text holds while that graph (its node ids) is the one asked with and the file it was read
 * from has the size and modification time it had then (SourceStamp, checked with one stat() per
 * file when first asked): a patch that leaves the graph as it was keeps its identity while the
 * edited file's text may have changed, and a graph patched for other files takes the texts of the
 * files that did not change (Project.carryTexts).
 */

/** Bumped when what is kept changes, or how it is read (2: a member called on what a call returns, parse/call-text.ts; 3: each text with its file's stamp, not a listing's digest). */
const TEXTS_VERSION = 3;

/** The source file a text was read from, as it was then: its path in the tree, size in bytes and modification time in ms (fs.Stats). */
export interface SourceStamp {
  path: string;
  size: number;
  mtimeMs: number;
}

/** A text looked for and not found is kept as null: the next query does not look again. */
type Entry = { text: string | null; file: SourceStamp };

/** As written: the files' stamps, each text with the index of its file among them. */
type Kept = { files: [path: string, size: number, mtimeMs: number][]; texts: [key: string, text: string | null, file: number][] };

const isKept = (v: unknown): v is Kept => {
  const k = v as Kept;
  if (typeof k !== 'object' || k === null || !Array.isArray(k.files) || !Array.isArray(k.texts)) return false;
  const files = k.files.length;
  return (
    k.files.every((f) => Array.isArray(f) && f.length === 3 && typeof f[0] === 'string' && typeof f[1] === 'number' && typeof f[2] === 'number') &&
    k.texts.every((e) => Array.isArray(e) && e.length === 3 && typeof e[0] === 'string' && (typeof e[1] === 'string' || e[1] === null) && Number.isInteger(e[2]) && e[2] >= 0 && e[2] < files)
  );
};

const stampKey = (f: SourceStamp): string => `${f.path}\0${f.size}\0${f.mtimeMs}`;

/**
 * The call texts of one graph: those kept beside its cache file (read when first asked for), and
 * those read from the source since, written beside it once it may be (keepBeside) and after the
 * current task (a query's answer out first).
 */
export class CallTexts {
  private texts: Map<string, Entry> | null = null;
  /** Per stamp (stampKey): whether its file is still as it was. */
  private readonly holding = new Map<string, boolean>();
  /** Texts learned since they were read or written. */
  private fresh = 0;
  private writable = false;
  private due = false;

  /**
   * `beside`: where the texts of this graph are kept (null: none are, as for an index export);
   * `root`: the tree the texts' files are in (null: no kept text is taken, having no file to check).
   */
  constructor(
    private beside: KeptBeside | null = null,
    private readonly root: string | null = null,
  ) {}

  /** The text kept under `key`: a string, null (looked for, none), or undefined (not known, or its file changed since). */
  get(key: string): string | null | undefined {
    const entry = this.table().get(key);
    return entry && this.holds(entry.file) ? entry.text : undefined;
  }

  /** Every text known whose file is as it was, as [key, text, its file's stamp]. */
  entries(): [key: string, text: string | null, file: SourceStamp][] {
    return [...this.table()].filter(([, e]) => this.holds(e.file)).map(([key, e]) => [key, e.text, e.file]);
  }

  /** Remembers the text read under `key` (null: none) from `file` as it is now, written beside the graph once it may be. */
  learn(key: string, text: string | null, file: SourceStamp): void {
    this.table().set(key, { text, file });
    this.holding.set(stampKey(file), true);
    this.fresh++;
    this.writeSoon();
  }

  /**
   * Lets what is learned be written beside the graph file `beside` names, which must be the graph
   * these texts are of (the graph used as stored, or the one this open wrote): the texts read
   * while it was not known to hold (a query answered ahead while the tree was listed) are then
   * kept too. Another graph's texts are dropped first.
   */
  keepBeside(beside: KeptBeside): void {
    if (this.beside?.base !== beside.base || this.beside.identity !== beside.identity) {
      this.texts = null;
      this.fresh = 0;
    }
    this.beside = beside;
    this.writable = true;
    this.writeSoon();
  }

  /** Whether the file of `stamp` still has its size and modification time (one stat() per file and stamp). */
  private holds(stamp: SourceStamp): boolean {
    const key = stampKey(stamp);
    let holds = this.holding.get(key);
    if (holds === undefined) {
      try {
        const now = this.root === null ? null : statSync(join(this.root, stamp.path));
        holds = now !== null && now.size === stamp.size && now.mtimeMs === stamp.mtimeMs;
      } catch {
        holds = false;
      }
      this.holding.set(key, holds);
    }
    return holds;
  }

  private table(): Map<string, Entry> {
    if (!this.texts) {
      const kept = this.beside && this.root !== null ? readKept(this.beside, 'texts', TEXTS_VERSION, isKept) : null;
      const files = (kept?.files ?? []).map(([path, size, mtimeMs]) => ({ path, size, mtimeMs }));
      this.texts = new Map((kept?.texts ?? []).map(([key, text, file]) => [key, { text, file: files[file]! }]));
    }
    return this.texts;
  }

  private writeSoon(): void {
    if (!this.writable || this.fresh === 0 || this.due) return;
    this.due = true;
    setImmediate(() => this.write());
  }

  /** Writes the texts now when some were learned since they were read or written (also done soon after learn, once writable). */
  write(): void {
    this.due = false;
    if (!this.writable || this.fresh === 0 || !this.beside || !this.texts) return;
    // Sorted (files by stamp, texts by key): the same texts make the same file. A text whose file changed is left out.
    const kept = [...this.texts].filter(([, e]) => this.holds(e.file)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const stamps = [...new Map(kept.map(([, e]) => [stampKey(e.file), e.file])).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const at = new Map(stamps.map(([key], i) => [key, i]));
    const value: Kept = { files: stamps.map(([, f]) => [f.path, f.size, f.mtimeMs]), texts: kept.map(([key, e]) => [key, e.text, at.get(stampKey(e.file))!]) };
    writeKept(this.beside, 'texts', TEXTS_VERSION, value);
    this.fresh = 0;
  }
}
