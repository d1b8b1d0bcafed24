/** The UnreadableFile reason for a failed read or listing: the system error code (`EACCES`, `ENOENT`, ...); `EIO` when the error has none. */
export function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'EIO';
}
