import type { IndexProgress } from '../index/parse-files.js';

/** Below this many files to parse, a stream that is not a TTY gets no word about indexing (it takes seconds at most). */
export const QUIET_BELOW_FILES = 1000;

/**
 * Progress of indexing on `stream`: a one-line bar on a TTY (files, MB/s, ETA); elsewhere (a log,
 * a pipe, CI) one line when a large index begins, so a first run on a kernel that parses for a
 * minute or more does not look hung, and nothing for small trees.
 */
export function progressReporter(stream: Pick<NodeJS.WriteStream, 'isTTY' | 'write'>): { update: (p: IndexProgress) => void; done: () => void } {
  if (!stream.isTTY) {
    let said = false;
    return {
      update(p) {
        if (said || p.totalFiles < QUIET_BELOW_FILES) return;
        said = true;
        stream.write(`pathfind: indexing ${p.totalFiles.toLocaleString('en-US')} files (${(p.totalBytes / 1e6).toFixed(0)} MB); later queries reuse the index cache\n`);
      },
      done() {},
    };
  }
  const started = Date.now();
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100 && p.files < p.totalFiles) return;
      last = now;
      const secs = Math.max((now - started) / 1000, 0.001);
      const rate = p.bytes / secs;
      const eta = rate > 0 ? (p.totalBytes - p.bytes) / rate : 0;
      const width = 30;
      const filled = Math.round((p.totalBytes ? p.bytes / p.totalBytes : 1) * width);
      stream.write(`\rindexing [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${p.files}/${p.totalFiles} files, ${(rate / 1e6).toFixed(1)} MB/s, ETA ${eta.toFixed(0)}s `);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
