import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import type { CodeIndex } from '../../src/index/code-index.js';
import { copyFixture } from '../support/fixtures.js';
import { editFile, putFile } from '../support/edit-files.js';

/**
 * The index of a graph patched for edited files holds its files as an index loaded from the
 * graph cache does (cache/snapshot-index.ts): their paths alone, every empty list shared and
 * frozen, made only when `files` is read. A patch made one object and a dozen lists per file of
 * the tree (43,000 on a kernel) that nothing but the paths were read from.
 */

/** A private copy of the miniature kernel, indexed once with its cache. */
async function tree(): Promise<{ root: string; cache: string }> {
  const { dir, root } = copyFixture('minikernel', 'pathfind-patched-path-only-');
  const cache = join(dir, 'cache');
  await openTreeReport({ root, cache });
  return { root, cache };
}

/** True when every file of `index` is path-only (pathOnly): the lists shared by all and frozen. */
function pathOnlyFiles(index: CodeIndex): boolean {
  const [first, ...rest] = index.files;
  return Object.isFrozen(first!.functions) && Object.isFrozen(first!.includes) && rest.every((f) => f.functions === first!.functions && f.bindings === first!.bindings);
}

describe('the index of a patched graph', () => {
  it('holds path-only files after a body edit, a function added and a file added', async () => {
    const { root, cache } = await tree();
    const steps: [string, () => void][] = [
      ['a body edit', () => editFile(root, 'net/core/utils.c', '\tnet_flush_count++;\n', '\tnet_flush_count++;\n\tnet_utils_sync();\n')],
      ['a function added', () => editFile(root, 'net/core/utils.c', 'static int __init', 'void pf_added(void)\n{\n\thelper_flush();\n}\n\nstatic int __init')],
      ['a file added', () => putFile(root, 'net/core/pf_new.c', '#include <linux/kernel.h>\n\nvoid pf_new(void)\n{\n\thelper_flush();\n}\n')],
    ];
    for (const [what, edit] of steps) {
      edit();
      const { project, report } = await openTreeReport({ root, cache });
      expect(report.incremental, what).toBe(true);
      expect(pathOnlyFiles(project.index), what).toBe(true);
      const fresh = (await openTreeReport({ root, cache: false })).project.index;
      expect(project.index.files.map((f) => f.path), what).toEqual(fresh.files.map((f) => f.path));
    }
  });
});
