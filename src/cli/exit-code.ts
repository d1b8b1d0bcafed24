import { CommanderError } from 'commander';
import { EXIT_FOUND, EXIT_NOT_FOUND, EXIT_USAGE, NotFoundError, ResolvedElsewhere, UsageError } from '../util/errors.js';

/**
 * The exit code a command ends with when it threw `err`, after writing the one line on stderr that
 * says why (none for help and version requests, whose text commander wrote, nor for a command run
 * by another process, which wrote its own): 0 for help and version, 1 for a defined negative
 * answer (NotFoundError), the other process's code (ResolvedElsewhere), else 2 (usage errors,
 * a vanished current folder, internal errors: their first line, the stack with PATHFIND_DEBUG set).
 */
export function exitCodeOf(err: unknown): number {
  if (err instanceof CommanderError) {
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? EXIT_FOUND : EXIT_USAGE;
  }
  if (err instanceof ResolvedElsewhere) return err.code;
  if (err instanceof UsageError || err instanceof NotFoundError) {
    process.stderr.write(`pathfind: ${err.message}\n`);
    return err instanceof UsageError ? EXIT_USAGE : EXIT_NOT_FOUND;
  }
  const message = err instanceof Error ? err.message : String(err);
  // process.cwd() throws once the folder the shell stands in was removed (libuv's uv_cwd).
  if ((err as NodeJS.ErrnoException).code === 'ENOENT' && (err as NodeJS.ErrnoException).syscall === 'uv_cwd') {
    process.stderr.write('pathfind: the current folder no longer exists: cd to an existing one or give the tree with -C DIR\n');
    return EXIT_USAGE;
  }
  process.stderr.write(`pathfind: internal error: ${message.split('\n')[0]}\n`);
  if (process.env.PATHFIND_DEBUG) console.error(err);
  return EXIT_USAGE;
}
