import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { compareWithFresh as compare, editFile as edit, type EditStep as Step, expectEachPatched } from '../support/edit-files.js';

/**
 * Body edits that add or remove a store of a call's result (`ret = f(...)`) or a return of a
 * local (`return ret;`): the facts keep these as bindings (a typedef'd local such as `ssize_t
 * ret` may hold a function), but they bind nothing while the function called returns no
 * function and no store fills the local. The patch then takes them as body edits; else it
 * resolves in full, naming the store, and the graph equals a fresh index either way.
 */

async function indexed(fixture: string): Promise<{ root: string; cache: string }> {
  const { dir, root } = copyFixture(fixture, 'pathfind-incr-results-');
  const cache = join(dir, 'cache');
  await openTreeReport({ root, cache });
  return { root, cache };
}

const PATCHED: [string, string, Step[]][] = [
  ['the only call of a function, its result stored, removed and put back', 'minikernel', [
    ['fs/read_write.c', '\t\tret = new_sync_write(file, buf, count, pos);\n', '\t\tret = -EINVAL;\n'],
    ['fs/read_write.c', '\t\tret = -EINVAL;\n\telse\n', '\t\tret = new_sync_write(file, buf, count, pos);\n\telse\n'],
  ]],
  ['a return of a local that no store fills, added', 'minikernel', [['fs/read_write.c', '\tif (!(file->f_mode & FMODE_WRITE))\n\t\treturn -EBADF;\n', '\tif (!(file->f_mode & FMODE_WRITE))\n\t\treturn ret;\n']]],
  ['a call whose result is stored, its arguments changed', 'minikernel', [['fs/read_write.c', 'ret = call_write_iter(filp, &kiocb, &iter);', 'ret = call_write_iter(filp, &kiocb, NULL);']]],
];

describe("stores of a call's result and returns of locals patch as body edits", () => {
  for (const [what, fixture, steps] of PATCHED) {
    it(`patches ${what}`, async () => {
      const { root, cache } = await indexed(fixture);
      await expectEachPatched(root, cache, steps);
    });
  }

  // A local holding a result, passed to a function calling its parameter, passes what the call returns (resolve/copy-slots.ts reads no call's result as a function).
  it('patches a removed store of a result whose local is passed on', async () => {
    const { root, cache } = await indexed('minikernel');
    const steps: Step[] = [
      ['fs/read_write.c', 'ssize_t vfs_write(', 'static void call_it(ssize_t (*fn)(void))\n{\n\tfn();\n}\n\nssize_t vfs_write('],
      ['fs/read_write.c', '\telse\n\t\tret = -EINVAL;\n\treturn ret;\n', '\telse\n\t\tret = -EINVAL;\n\tcall_it(ret);\n\treturn ret;\n'],
      ['fs/read_write.c', '\t\tret = new_sync_write(file, buf, count, pos);\n', '\t\tret = -EINVAL;\n'],
    ];
    for (const [i, [path, from, to]] of steps.entries()) {
      edit(root, path, from, to);
      const { incremental, why, got, want } = await compare(root, cache);
      expect(got).toEqual(want);
      if (i === steps.length - 1) expect(incremental, why).toBe(true);
    }
  });

  it('resolves in full, naming the store, when the function called returns a function', async () => {
    const { root, cache } = await indexed('outret/ret');
    edit(root, 'main.c', '\tg_release = pick_release();\n', '\tpick_release();\n');
    const { incremental, why, got, want } = await compare(root, cache);
    expect(got).toEqual(want);
    expect(incremental).toBe(false);
    expect(why).toMatch(/main\.c: (a store of what pick_release returns|it changed stores of a call's result)/);
  });
});
