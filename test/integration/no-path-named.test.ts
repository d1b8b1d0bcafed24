import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { noPathHint } from '../../src/api/no-path-hint.js';
import { openTree, type Project } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';

/**
 * A path query that finds no path to a function no bound call reaches says where the function is
 * named without being called, when a file of its folder does so (fixtures/ioctltable: a DRM-like
 * ioctl table whose entries a macro writes, which pathfind does not follow): the reader then knows
 * the answer is a binding pathfind missed, not code nothing calls. A user found every DRM ioctl
 * handler unreachable from drm_ioctl on Linux 6.1, with a message that could not tell.
 */
let tree: Project;
beforeAll(async () => {
  tree = await openTree({ root: join(import.meta.dirname, '../../fixtures/ioctltable'), jobs: 1, cache: false });
});

describe('no path to a function only named', () => {
  it('names the first place its folder names it other than a call, a declaration, an export or a comment', () => {
    expect(tree.findPaths({ start: 'core_ioctl', target: 'get_version' }).paths).toEqual([]);
    expect(noPathHint(tree, 'core_ioctl', 'get_version', {})).toBe(
      '; no C call pathfind binds reaches get_version, but drivers/gpu/core_ioctl.c:28 names it without calling it (`IOCTL_DEF(0x00, get_version),`): a use pathfind does not follow may be how it is called',
    );
  });

  // A review user's finding: i915's ioctl handlers live in gem/ and its table in the folder above.
  it('looks in the folder above the definition too', () => {
    expect(noPathHint(tree, 'core_ioctl', 'gem_create', {})).toBe(
      '; no C call pathfind binds reaches gem_create, but drivers/gpu/core_ioctl.c:29 names it without calling it (`IOCTL_DEF(0x01, gem_create),`): a use pathfind does not follow may be how it is called',
    );
  });

  it('keeps the general answer for a function nothing names', () => {
    expect(noPathHint(tree, 'core_ioctl', 'never_named', {})).toBe(
      '; no C call pathfind binds reaches never_named (it may be entered from assembly, called through a call pathfind does not bind such as a pointer call inside a macro body or static_call(...)(...), or not called at all)',
    );
  });
});

// A helper's finding: with the file holding the call unreadable, the hint spoke of assembly and calls pathfind does not bind.
describe('no path while files could not be read', () => {
  it('says that the files skipped may hold the call', async () => {
    const { root } = copyFixture('ioctltable');
    writeFileSync(join(root, 'drivers/gpu/pf_caller.c'), 'int pf_call_never(void)\n{\n\treturn never_named();\n}\n');
    const whole = await openTree({ root, jobs: 1, cache: false });
    expect(whole.findPaths({ start: 'pf_call_never', target: 'never_named' }).paths.length).toBe(1);
    writeFileSync(join(root, 'drivers/gpu/pf_caller.c'), 'int pf_call_never(void)\n{\n\treturn never_named();\n}\n\0');
    const skipped = await openTree({ root, jobs: 1, cache: false });
    expect(noPathHint(skipped, 'core_ioctl', 'never_named', {})).toBe(
      '; no C call pathfind binds reaches never_named (1 file could not be read and may hold the call (pathfind stats lists it), or it may be entered from assembly, called through a call pathfind does not bind such as a pointer call inside a macro body or static_call(...)(...), or not called at all)',
    );
  });
});
