import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as pathfind } from '../support/run-cli.js';

/**
 * A user's finding on Linux 6.1: `-s run_timer_softirq -t e1000_watchdog` ended at e1000e's
 * e1000_watchdog (e1000 has one too), and only the file after the name said so. A path query whose
 * start or target names several functions says which it took and how to choose.
 */
const samename = join(import.meta.dirname, '../../fixtures/samename');

describe('a path query naming one of several same-named functions', () => {
  it('notes the definitions, the one the path took, and path:name', () => {
    const r = pathfind('--no-cache', '-C', samename, '-s', 'foo_probe', '-t', 'setup_hw');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'pathfind: note: -t setup_hw names 2 functions (drivers/bar/bar_main.c:4, drivers/foo/foo_main.c:4); the path ends at drivers/foo/foo_main.c:4; write -t drivers/bar/bar_main.c:setup_hw to take the other\n',
    );
    const start = pathfind('--no-cache', '-C', samename, '-s', 'setup_hw', '-t', 'bar_reset');
    expect(start.stderr).toBe(
      'pathfind: note: -s setup_hw names 2 functions (drivers/bar/bar_main.c:4, drivers/foo/foo_main.c:4); the path starts at drivers/bar/bar_main.c:4; write -s drivers/foo/foo_main.c:setup_hw to take the other\n',
    );
  });

  // The kernel's habit: `#ifdef CONFIG_SMP` one body, `#else` another, in one file; path:name cannot choose between them.
  it('says nothing when every definition is in one file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-one-file-'));
    mkdirSync(join(dir, 'kernel'));
    writeFileSync(join(dir, 'kernel/smp.c'), '#ifdef CONFIG_SMP\nstatic void kick(void)\n{\n}\n#else\nstatic void kick(void)\n{\n}\n#endif\nvoid start(void)\n{\n\tkick();\n}\n');
    const r = pathfind('--no-cache', '-C', dir, '-s', 'start', '-t', 'kick');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('lists at most three places and counts the others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-many-defs-'));
    mkdirSync(join(dir, 'drivers'));
    for (const d of ['a', 'b', 'c', 'd', 'e']) writeFileSync(join(dir, `drivers/${d}.c`), `static int probe(void)\n{\n\treturn 0;\n}\nint ${d}_init(void)\n{\n\treturn probe();\n}\n`);
    const r = pathfind('--no-cache', '-C', dir, '-s', 'c_init', '-t', 'probe');
    expect(r.stderr).toBe('pathfind: note: -t probe names 5 functions (drivers/a.c:1, drivers/b.c:1, drivers/c.c:1, +2 more); the path ends at drivers/c.c:1; write -t drivers/a.c:probe to take another\n');
  });

  it('says nothing when the name is written with its file', () => {
    const r = pathfind('--no-cache', '-C', samename, '-s', 'foo_probe', '-t', 'drivers/foo/foo_main.c:setup_hw');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('a path query ending at the external node of a name another file defines as a static', () => {
  // A helper's finding on the miniature kernel: the note counted "1 functions" and named the external node as `:0`.
  it('says the name is external where it is called, not that it names several functions', () => {
    for (const statics of [1, 2]) {
      const dir = mkdtempSync(join(tmpdir(), 'pathfind-static-elsewhere-'));
      mkdirSync(join(dir, 'drivers'));
      for (let i = 0; i < statics; i++) writeFileSync(join(dir, `drivers/own${i}.c`), 'static int qlen_hint(void)\n{\n\treturn 0;\n}\nint own_user(void)\n{\n\treturn qlen_hint();\n}\n');
      writeFileSync(join(dir, 'drivers/xmit.c'), 'int qlen_hint(void);\nint xmit(void)\n{\n\treturn qlen_hint();\n}\n');
      const r = pathfind('--no-cache', '-C', dir, '-s', 'xmit', '-t', 'qlen_hint');
      expect(r.code).toBe(0);
      const files = statics === 1 ? 'drivers/own0.c' : 'drivers/own0.c, drivers/own1.c';
      expect(r.stderr).toBe(`pathfind: note: qlen_hint is external where it is called from files that see none of its definitions: each is static to its file (${files})\n`);
    }
  });
});
