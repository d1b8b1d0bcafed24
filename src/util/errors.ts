/** Exit codes, as documented in the README. */
export const EXIT_FOUND = 0;
export const EXIT_NOT_FOUND = 1;
export const EXIT_USAGE = 2;

/** Bad input from the user (unknown function, bad path, bad option value): one line, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A well-defined negative answer (no path exists): one line, exit 1. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}
