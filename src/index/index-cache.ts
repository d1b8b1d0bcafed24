import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FileFacts } from '../types/facts.js';
import type { SourceFile } from './discover-files.js';

/** Bumped whenever the facts or the snapshot format change: older caches are rebuilt. */
export const CACHE_FORMAT = 8;
/** First bytes of every cache file; the format number follows. */
const MAGIC = Buffer.from('PFND');

/** One file as the cache knows it. */
export interface CacheEntry {
  path: string;
  size: number;
  mtimeMs: number;
}

export type CacheNote = (message: string) => void;
type Kind = 'facts' | 'graph';

/**
 * Two files per query scope: per-file facts (for re-indexing only what changed) and the
 * resolved graph (what a query loads). A file is MAGIC, the format, then frames of
 * [length][v8-serialised value]: the manifest, then the payload in pieces, so that a kernel's
 * facts are never serialised into one huge buffer. Facts frames are gzipped; the graph is not,
 * since every query loads it. Each file is written under a temporary name and renamed, so a
 * reader sees a whole old file or a whole new one, even with two writers at once.
 */
export class IndexCache {
  private warnedWrite = false;

  constructor(
    readonly dir: string,
    /** Distinguishes query scopes (profile, arch, path limits) sharing one cache folder. */
    readonly key: string,
    private readonly note: CacheNote,
  ) {}

  private path(kind: Kind): string {
    return join(this.dir, `${this.key}.${kind}`);
  }

  has(kind: Kind): boolean {
    return existsSync(this.path(kind));
  }

  /** The manifest and payload pieces, or null when absent, unreadable (noted) or of another format (noted). */
  load<T>(kind: Kind): { manifest: CacheEntry[]; pieces: T[] } | null {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path(kind));
    } catch {
      return null;
    }
    const unreadable = (): null => {
      this.note(`index cache ${this.path(kind)} is unreadable; rebuilding it`);
      return null;
    };
    if (bytes.length < 8 || !bytes.subarray(0, 4).equals(MAGIC)) return unreadable();
    if (bytes.readUInt32LE(4) !== CACHE_FORMAT) {
      this.note(`index cache ${this.path(kind)} is from another version of pathfind; rebuilding it`);
      return null;
    }
    try {
      const frames: unknown[] = [];
      for (let at = 8; at < bytes.length; ) {
        const length = bytes.readUInt32LE(at);
        const frame = bytes.subarray(at + 4, at + 4 + length);
        if (frame.length !== length) return unreadable();
        frames.push(deserialize(kind === 'facts' ? gunzipSync(frame) : frame));
        at += 4 + length;
      }
      const manifest = frames.shift();
      if (!Array.isArray(manifest)) return unreadable();
      return { manifest: manifest as CacheEntry[], pieces: frames as T[] };
    } catch {
      return unreadable();
    }
  }

  save(kind: Kind, manifest: CacheEntry[], pieces: unknown[]): void {
    const target = this.path(kind);
    const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
    let fd = -1;
    try {
      mkdirSync(this.dir, { recursive: true });
      fd = openSync(temp, 'w');
      const head = Buffer.alloc(8);
      MAGIC.copy(head);
      head.writeUInt32LE(CACHE_FORMAT, 4);
      writeSync(fd, head);
      for (const value of [manifest, ...pieces]) {
        const raw = serialize(value);
        const frame = kind === 'facts' ? gzipSync(raw, { level: 1 }) : raw;
        const length = Buffer.alloc(4);
        length.writeUInt32LE(frame.length);
        writeSync(fd, length);
        writeSync(fd, frame);
      }
      closeSync(fd);
      fd = -1;
      renameSync(temp, target);
    } catch (err) {
      if (fd >= 0) closeSync(fd);
      rmSync(temp, { force: true });
      if (!this.warnedWrite) this.note(`cannot write the index cache in ${this.dir} (${(err as Error).message.split('\n')[0]}); continuing without it`);
      this.warnedWrite = true;
    }
  }
}

/** Files per facts frame: small enough that no frame's buffer is large. */
export const FACTS_PER_FRAME = 1000;

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const manifestOf = (files: SourceFile[]): CacheEntry[] => files.map(({ path, size, mtimeMs }) => ({ path, size, mtimeMs }));

/** True when both list the same files with the same sizes and mtimes. */
export function sameManifest(a: CacheEntry[], b: CacheEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.path !== y.path || x.size !== y.size || x.mtimeMs !== y.mtimeMs) return false;
  }
  return true;
}

/** Cached facts still valid for the current files, by path; the rest must be parsed again. */
export function reusableFacts(current: SourceFile[], cached: { manifest: CacheEntry[]; payload: FileFacts[] } | null): Map<string, FileFacts> {
  const reuse = new Map<string, FileFacts>();
  if (!cached) return reuse;
  const byPath = new Map(cached.manifest.map((e, i) => [e.path, i]));
  for (const f of current) {
    const i = byPath.get(f.path);
    if (i === undefined) continue;
    const e = cached.manifest[i]!;
    if (e.size === f.size && e.mtimeMs === f.mtimeMs) reuse.set(f.path, cached.payload[i]!);
  }
  return reuse;
}
