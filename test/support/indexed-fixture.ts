import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from './fixtures.js';

/**
 * A private copy of fixtures/NAME (`before` edits it first), indexed once with its cache (`cache`
 * beside the copy); `run` gets its root and cache, and the copy goes after, whether `run` passed or not.
 */
export async function withIndexedFixture(name: string, prefix: string, run: (root: string, cache: string) => Promise<void>, before: (root: string) => void = () => {}): Promise<void> {
  const { dir, root } = copyFixture(name, prefix);
  try {
    const cache = join(dir, 'cache');
    before(root);
    await openTreeReport({ root, cache });
    await run(root, cache);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
