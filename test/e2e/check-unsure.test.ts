import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture } from '../support/fixtures.js';
import { runCli } from '../support/run-cli.js';

/**
 * An arrow chain that does not look like code (no `()`, a name without `_`) is checked when the
 * tree defines its names, and dropped without a word when it does not (a state table, a media
 * pipeline): a user's `schedule -> pick_next_task_fair` passed unchecked.
 */
describe('pathfind check: chains of bare names', () => {
  it('checks a chain whose names the tree defines, and leaves prose and states alone', () => {
    const { root, dir } = copyFixture('minikernel');
    mkdirSync(join(root, 'kernel/sched'), { recursive: true });
    writeFileSync(join(root, 'kernel/sched/core.c'), '// SPDX-License-Identifier: MIT\nstatic int pick_next_task(int cpu)\n{\n\treturn cpu;\n}\n\nvoid schedule(void)\n{\n\tpick_next_task(0);\n}\n\nvoid wakeup(void)\n{\n}\n');
    const doc = join(dir, 'sched.md');
    writeFileSync(doc, '# Scheduling\n\nThe scheduler: `schedule -> pick_next_task`; waking: `wakeup -> pick_next_task`.\n\nStates: `IDLE -> RUNNING`, a pipeline: `sensor -> mux`.\n');
    const r = runCli('--no-cache', '-C', root, 'check', doc);
    expect(r.stdout).toContain(`${doc}:3:`);
    expect(r.stdout).toMatch(/error: wakeup does not call pick_next_task/);
    expect(r.stdout).toContain('checked 2 steps in 1 document: 1 error');
    expect(r.code).toBe(1);
    // Only bare words the tree does not define: no chain.
    writeFileSync(doc, 'States: `IDLE -> RUNNING`, a pipeline: `sensor -> mux`.\n');
    const none = runCli('--no-cache', '-C', root, 'check', doc);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^pathfind: no call chain found in /);
    // A fresh user's finding: a document of sentences only read as a fault of check; the error says they are not read.
    writeFileSync(doc, 'First schedule() calls pick_next_task(), which calls the class hook.\n');
    const prose = runCli('--no-cache', '-C', root, 'check', doc);
    expect(prose.code).toBe(2);
    expect(prose.stderr).toMatch(/; sentences are not read, only chains written as such: `a\(\) -> b\(\)`;/);
  });

  // A fresh user's finding on Linux 6.1: prose `probe -> open -> xmit` was checked and reported broken, as 14 drivers define a
  // static `probe`. A bare word naming only static functions of several files names none of them: the step is not checked.
  it('leaves a bare word alone when only static functions of several files have that name', () => {
    const { root, dir } = copyFixture('minikernel');
    mkdirSync(join(root, 'drivers/demo'), { recursive: true });
    const driver = (n: string) => `// SPDX-License-Identifier: MIT\nstatic int probe(int id)\n{\n\treturn id + ${n};\n}\n\nstatic int open(int id)\n{\n\treturn probe(id);\n}\n\nstatic int xmit(int id)\n{\n\treturn id;\n}\n\nint demo${n}_register(void)\n{\n\treturn open(0) + xmit(0);\n}\n`;
    writeFileSync(join(root, 'drivers/demo/a.c'), driver('1'));
    writeFileSync(join(root, 'drivers/demo/b.c'), driver('2'));
    const doc = join(dir, 'driver.md');
    writeFileSync(doc, '# A network driver\n\nThe usual order: `probe -> open -> xmit`.\n');
    const r = runCli('--no-cache', '-C', root, 'check', doc);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^pathfind: no call chain found in /);
    // Written as code, the same chain is checked (and broken: open calls probe, not the other way, and no open calls xmit).
    writeFileSync(doc, '# A network driver\n\nThe usual order: `probe() -> open() -> xmit()`.\n');
    const code = runCli('--no-cache', '-C', root, 'check', doc);
    expect(code.stdout).toContain('checked 2 steps in 1 document');
    expect(code.code).toBe(1);
  });
});
