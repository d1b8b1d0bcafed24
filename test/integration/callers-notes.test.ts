import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture } from '../support/fixtures.js';
import { runCli } from '../support/run-cli.js';

/**
 * What `callers` says of a function no bound call reaches: a tree of its root alone reads like a
 * tree cut short, so a note says that nothing calls it, and what may: a call the configuration
 * leaves out (fixtures/ifdefcall), or a line that names it without calling it (an ops table's
 * initializer), found as the no-path hint finds one.
 */
describe('callers of a function no bound call reaches', () => {
  // A helper's finding: `callers` of a function called only inside an #ifdef the configuration leaves out noted that no call was found.
  it('callers of a function whose only calls the configuration leaves out names the call left out, first run and from the cache', () => {
    const { root } = copyFixture('ifdefcall');
    for (const run of ['first', 'cached']) {
      const out = runCli('-C', root, 'callers', 'panic');
      expect(out.code, run).toBe(0);
      expect(out.stderr, run).toBe('pathfind: note: no call of panic is compiled under the configuration: schedule_debug calls it at kernel/sched/core.c:29 under defined(CONFIG_SCHED_STACK_END_CHECK), which the configuration leaves out: CONFIG_SCHED_STACK_END_CHECK is not set\n');
    }
  });

  // A helper's finding: `callers no_llseek` said only that no call was found, though ops tables store it in .llseek.
  it('names a line that stores it without calling it, first run and from the cache', () => {
    const { root } = copyFixture('minikernel');
    for (const run of ['first', 'cached']) {
      const out = runCli('-C', root, 'callers', 'no_llseek');
      expect(out.code, run).toBe(0);
      expect(out.stdout, run).toBe('no_llseek  defined at fs/read_write.c:8  called by:\n');
      expect(out.stderr, run).toBe('pathfind: note: no call of no_llseek is found in the indexed files; fs/pipe.c:34 names it without calling it (`.llseek = no_llseek,`): a call through where that puts it, which pathfind did not bind, may be how it is called\n');
    }
  });

  it('says only that no call is found when nothing names it', () => {
    const { root } = copyFixture('minikernel');
    appendFileSync(join(root, 'fs/read_write.c'), '\nint pf_unused(void)\n{\n\treturn 0;\n}\n');
    const out = runCli('-C', root, 'callers', 'pf_unused');
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('pathfind: note: no call of pf_unused is found in the indexed files\n');
  });
});
