import { chmodSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** The repository's fixtures folder. */
export const fixturesDir = join(import.meta.dirname, '../../fixtures');

/**
 * Names never copied from a fixture: the index cache folder a run on the fixture may have
 * left there (`npm run demo` writes fixtures/minikernel/.pathfind/). A test must see the same
 * tree on a fresh clone and after any command.
 */
export const NOT_FIXTURE = new Set(['.pathfind']);

/**
 * A private copy of fixtures/NAME (or of any folder, given as an absolute path) in a new
 * temporary folder: `root` is the copy, `dir` the folder holding it, free for caches and such.
 */
export function copyFixture(name: string, prefix = 'pathfind-fixture-'): { dir: string; root: string } {
  const source = name.startsWith('/') ? name : join(fixturesDir, name);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const root = join(dir, 'tree');
  cpSync(source, root, { recursive: true, filter: (src) => !NOT_FIXTURE.has(basename(src)) });
  return { dir, root };
}

/** Lets every user read (and search) `dir`, which mkdtemp made private to its owner. */
export function openToAll(dir: string): void {
  chmodSync(dir, 0o755);
}
