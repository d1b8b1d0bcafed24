import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FileFacts } from '../types/facts.js';
import type { SourceFile } from './discover-files.js';

/** Bumped whenever the facts or the snapshot format change: older caches are rebuilt. */
export const CACHE_FORMAT = 5;

/** One file as the cache knows it. */
export interface CacheEntry {
  path: string;
  size: number;
  mtimeMs: number;
}

interface Stored<T> {
  format: number;
  manifest: CacheEntry[];
  payload: T;
}

export type CacheNote = (message: string) => void;

/**
 * Two files per query scope: per-file facts (for re-indexing only what changed) and the
 * resolved graph (what a query loads). Each is written to a temporary file and renamed,
 * so a reader sees a whole old file or a whole new one, even with two writers at once.
 */
export class IndexCache {
  private warnedWrite = false;

  constructor(
    readonly dir: string,
    /** Distinguishes query scopes (profile, arch, path limits) sharing one cache folder. */
    readonly key: string,
    private readonly note: CacheNote,
  ) {}

  private path(kind: 'facts' | 'graph'): string {
    return join(this.dir, `${this.key}.${kind}`);
  }

  /** The stored value, or null when absent, unreadable (noted) or of another format (noted). */
  load<T>(kind: 'facts' | 'graph'): { manifest: CacheEntry[]; payload: T } | null {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path(kind));
    } catch {
      return null;
    }
    let stored: Stored<T>;
    try {
      stored = deserialize(kind === 'facts' ? gunzipSync(bytes) : bytes) as Stored<T>;
    } catch {
      this.note(`index cache ${this.path(kind)} is unreadable; rebuilding it`);
      return null;
    }
    if (stored?.format !== CACHE_FORMAT || !Array.isArray(stored.manifest)) {
      this.note(`index cache ${this.path(kind)} is from another version of pathfind; rebuilding it`);
      return null;
    }
    return stored;
  }

  save<T>(kind: 'facts' | 'graph', manifest: CacheEntry[], payload: T): void {
    const target = this.path(kind);
    const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      const stored: Stored<T> = { format: CACHE_FORMAT, manifest, payload };
      // The graph is what every query loads: left uncompressed, it loads without a gunzip pass.
      const bytes = serialize(stored);
      writeFileSync(temp, kind === 'facts' ? gzipSync(bytes, { level: 1 }) : bytes);
      renameSync(temp, target);
    } catch (err) {
      rmSync(temp, { force: true });
      if (!this.warnedWrite) this.note(`cannot write the index cache in ${this.dir} (${(err as Error).message.split('\n')[0]}); continuing without it`);
      this.warnedWrite = true;
    }
  }
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
