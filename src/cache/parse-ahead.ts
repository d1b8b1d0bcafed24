import { statSync } from 'node:fs';
import type { SourceFile } from '../index/discover-files.js';
import type { FileFacts } from '../types/facts.js';

/**
 * A file parsed while the tree is still being listed: the one recentlyChanged (index/
 * discover-recent.ts) found changed since the graph was cached, which a patch of that graph will
 * almost surely parse. The listing (GNU find in a child process) takes the main thread some 0.7 s
 * of waiting on a kernel; the parse (0.1 to 0.3 s for a large file) is done in that wait instead
 * of after it. The facts are handed out only for the very size and mtime the file had when it was
 * parsed ahead, which the listing must show too: a file changed again meanwhile is parsed again.
 */
/** Files a parse may take from those parsed ahead: a patch's few (a whole tree is parsed in worker threads, in frames of its own). */
export const MAX_PARSED_AHEAD = 63;

export class ParsedAhead {
  private readonly kept = new Map<string, { size: number; mtimeMs: number; facts: FileFacts }>();
  /** How many files the last `parse` took from those parsed ahead (for --verbose). */
  taken = 0;

  /** `parseNow` parses the files it is given, in order (index/parse-files.ts parseFiles, on this thread). */
  constructor(private readonly parseNow: (files: SourceFile[]) => Promise<FileFacts[]>) {}

  /**
   * Parses `path` (relative to `root`) now, keyed by the size and mtime stat() gives it before it
   * is read; nothing when it is gone or not a regular file. A parse that throws keeps nothing
   * (the patch parses the file again, and meets the same error there). True when it was parsed.
   */
  async ahead(root: string, path: string): Promise<boolean> {
    const stat = statSync(`${root.endsWith('/') ? root : `${root}/`}${path}`, { throwIfNoEntry: false });
    if (!stat?.isFile()) return false;
    const file: SourceFile = { path, size: stat.size, mtimeMs: stat.mtimeMs };
    try {
      const [facts] = await this.parseNow([file]);
      if (facts) this.kept.set(path, { size: file.size, mtimeMs: file.mtimeMs, facts });
      return !!facts;
    } catch {
      // parsed again where it is needed
      return false;
    }
  }

  /**
   * The facts of `files`, in order: those parsed ahead at the same size and mtime as given here
   * (each handed out once), the others parsed by `parse`. `parse` is called once, with the
   * others, unless there are none.
   */
  async parse(files: SourceFile[], parse: (files: SourceFile[]) => Promise<FileFacts[]>): Promise<FileFacts[]> {
    this.taken = 0;
    if (this.kept.size === 0) return parse(files);
    const out: (FileFacts | undefined)[] = files.map((f) => {
      const k = this.kept.get(f.path);
      if (!k || k.size !== f.size || k.mtimeMs !== f.mtimeMs) return undefined;
      this.kept.delete(f.path);
      this.taken++;
      return k.facts;
    });
    const rest = files.filter((_, i) => out[i] === undefined);
    const parsed = rest.length ? await parse(rest) : [];
    let next = 0;
    return out.map((f) => f ?? parsed[next++]!);
  }
}
