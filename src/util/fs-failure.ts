import { rmSync } from 'node:fs';

/** The UnreadableFile reason for a failed read or listing: the system error code (`EACCES`, `ENOENT`, ...); `EIO` when the error has none. */
export function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'EIO';
}

/**
 * Removes the file at `path` when it is there, and never throws: the clean-up of a temporary file
 * after a failed write, where the folder may be one that cannot be entered or is no folder
 * (`EACCES`, `ENOTDIR`: rmSync's `force` forgives only `ENOENT`). A file left behind is one a
 * later write or prune takes away.
 */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // left for a later write
  }
}
