import type { IndexProgress } from '../index/parse-files.js';

/** A one-line progress bar on a TTY (files, MB/s, ETA); nothing when the stream is not a TTY. */
export function progressReporter(stream: NodeJS.WriteStream): { update: (p: IndexProgress) => void; done: () => void } | undefined {
  if (!stream.isTTY) return undefined;
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
