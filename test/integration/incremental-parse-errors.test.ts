import { appendFileSync, chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { expectSameAsFresh } from '../support/same-as-fresh.js';

/**
 * The files with parse errors a patched graph's call-site summary lists follow the edited files
 * (cache/call-site-summary.ts patchCallSites), as a fresh index lists them.
 */
describe('parse errors after a patch (fixtures/minikernel: drivers/misc/broken.c has one)', () => {
  it('are those of a fresh index, edit after edit', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-parse-errors-');
    try {
      const cache = join(dir, 'cache');
      await openTreeReport({ root, cache });
      const reopen = async () => {
        const cached = await openTreeReport({ root, cache });
        const scratch = await openTreeReport({ root, cache: false });
        return { cached, want: scratch.project.callSiteSummary().parseErrors };
      };
      // A function added to a file without parse errors: the list as it was.
      appendFileSync(join(root, 'net/ipv4/af_inet.c'), '\nint pf_added(void)\n{\n\treturn 0;\n}\n');
      const added = await reopen();
      expect(added.cached.report.incremental).toBe(true);
      expect(added.cached.project.callSiteSummary().parseErrors).toEqual(added.want);
      // A function with an unbalanced brace appended: its file joins the list.
      appendFileSync(join(root, 'net/ipv4/af_inet.c'), '\nint pf_open(int x)\n{\n\tif (x) {\n\t\treturn 1;\n\treturn 0;\n}\n');
      const broken = await reopen();
      expect(broken.cached.report.incremental).toBe(true);
      expect(broken.want.map((e) => e.path)).toEqual(['drivers/misc/broken.c', 'net/ipv4/af_inet.c']);
      expect(broken.cached.project.callSiteSummary().parseErrors).toEqual(broken.want);
      // broken.c mended: it leaves the list.
      const path = join(root, 'drivers/misc/broken.c');
      writeFileSync(path, readFileSync(path, 'utf8').replace('\t\treturn -EINVAL;\n', '\t\treturn -EINVAL;\n\t}\n'));
      const mended = await reopen();
      expect(mended.want.map((e) => e.path)).toEqual(['net/ipv4/af_inet.c']);
      expect(mended.cached.project.callSiteSummary().parseErrors).toEqual(mended.want);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a file that is no longer text (a NUL byte written into it)', () => {
  it('is resolved again with a reason that says so, and the graph is a fresh index of the tree; text again, the same', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-not-text-');
    try {
      const cache = join(dir, 'cache');
      await openTreeReport({ root, cache });
      const path = join(root, 'drivers/char/mem.c');
      const text = readFileSync(path, 'utf8');
      writeFileSync(path, `${text}\0`);
      const binary = await expectSameAsFresh(root, cache);
      expect(binary.why).toContain('drivers/char/mem.c: it is not text now (it holds a NUL byte)');
      writeFileSync(path, text);
      const again = await expectSameAsFresh(root, cache);
      expect(again.why).toContain('drivers/char/mem.c: it is text again');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// A helper's finding: a file made unreadable (chmod 000) kept its size and mtime, and the cache answered as if it could still be read.
describe('a file whose mode changed (its ctime alone moves)', () => {
  it('is read again: unchanged for a user who can still read it, not readable for one who cannot', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-mode-');
    try {
      const cache = join(dir, 'cache');
      await openTreeReport({ root, cache });
      const path = join(root, 'drivers/char/mem.c');
      // The ctime moves by the clock's tick: wait past it.
      const until = Date.now() + 20;
      while (Date.now() < until);
      chmodSync(path, 0);
      const trace: string[] = [];
      const cached = await openTreeReport({ root, cache, onTrace: (m) => trace.push(m) });
      const fresh = await openTreeReport({ root, cache: false });
      expect(cached.report.unreadable).toEqual(fresh.report.unreadable);
      if (process.getuid?.() === 0) expect(trace.find((m) => m.startsWith('graph'))).toContain('loaded from the cache: 1 file touched, none changed');
      else expect(cached.report.unreadable.map((f) => f.path)).toEqual(['drivers/char/mem.c']);
      await expectSameAsFresh(root, cache);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
