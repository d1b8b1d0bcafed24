import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture } from '../support/fixtures.js';
import { runCli } from '../support/run-cli.js';

/**
 * A tree rooted at a name with a definition its own preprocessor condition leaves out under the
 * configuration says so on that root (fixtures/inactiveroot: a hook defined in security/security.c,
 * built with CONFIG_SECURITY, and as an empty inline stub in include/linux/security.h's `#else`, as
 * Linux keeps its LSM hooks). A user read `callees security_file_open` on Linux 6.1 with the
 * defconfig and found the stub's root unmarked beside the real one. Run through the CLI twice: the
 * second run takes the graph from the cache, where the roots' facts are read on demand.
 */
// A copy: the CLI would write its cache into a writable tree's top, and a cache left by an earlier run would make the first run a cached one.
const { root } = copyFixture('inactiveroot');
const MARK = '[inactive: !(defined(CONFIG_SECURITY)) with CONFIG_SECURITY=y]';

describe('a tree root whose definition the configuration leaves out', () => {
  it.each(['callees', 'callers'])('%s: marks the stub in the #else branch when the option is set (the defconfig), from the cache too', (direction) => {
    for (const run of ['first', 'cached']) {
      const out = runCli('-C', root, direction, 'security_file_open', '--depth', '1');
      expect(out.code, `${run}: ${out.stderr}`).toBe(0);
      const roots = out.stdout.split('\n').filter((l) => l.startsWith('security_file_open'));
      expect(roots, run).toEqual([
        `security_file_open  defined at include/linux/security.h:9  ${MARK}${direction === 'callers' ? '  called by:' : ''}`,
        `security_file_open  defined at security/security.c:8${direction === 'callers' ? '  called by:' : ''}`,
      ]);
      const json = JSON.parse(runCli('-C', root, direction, 'security_file_open', '--depth', '1', '--format', 'json').stdout) as { trees: { function: { file: string; inactive?: string } }[] };
      expect(json.trees.map((t) => [t.function.file, t.function.inactive])).toEqual([
        ['include/linux/security.h', MARK.slice(1, -1)],
        ['security/security.c', undefined],
      ]);
    }
  });

  it('marks neither root inactive when the option is not set: the stub is active, the real one not built', () => {
    const out = runCli('-C', root, '--config', join(root, 'configs-alt/nosecurity.config'), 'callees', 'security_file_open', '--depth', '1');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).not.toContain('[inactive');
    expect(out.stdout).toMatch(/^security_file_open {2}defined at include\/linux\/security\.h:9\n/);
    expect(out.stdout).toMatch(/security_file_open {2}defined at security\/security\.c:8 {2}\[not built with .*nosecurity\.config\]/);
  });
});
