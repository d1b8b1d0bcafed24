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

/**
 * The whole command was run by another process, which wrote its output and ended with `code`:
 * this process ends with the same code, writing nothing more. Thrown by openIndex when the cached
 * graph could not be patched and the caller had the tree resolved in full elsewhere
 * (OpenOptions.resolveElsewhere: the CLI runs the command again in a node process made for it,
 * cli/young-generation.ts).
 */
export class ResolvedElsewhere extends Error {
  override readonly name = 'ResolvedElsewhere';

  constructor(readonly code: number) {
    super(`the command was run again in another process, which ended with exit code ${code}`);
  }
}
