import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openTree, type Project } from '../../src/index.js';
import { annotateFile } from '../support/annotate.js';

/**
 * Golden annotated sources: every call site of a fixture file with what it resolved to.
 * On a mismatch, review the diff; to accept new output run `UPDATE_GOLDEN=1 npx vitest run test/unit/golden.test.ts`.
 */
const cases: [tree: string, file: string][] = [
  ['fixtures/golden', 'ops.c'],
  ['fixtures/golden', 'shadow.c'],
  ['fixtures/golden', 'include/ops.h'],
  ['fixtures/fallback', 'many.c'],
  // Binding by name under the defconfig model: visibility, activity, shadowing, prototype ties, Kbuild, code macros.
  ['fixtures/scope', 'drivers/net/igb/igb_main.c'],
  ['fixtures/scope', 'drivers/staging/rtl8192u/r8192U_core.c'],
  ['fixtures/minikernel', 'net/socket.c'],
  ['fixtures/minikernel', 'net/ipv4/af_inet.c'],
  ['fixtures/minikernel', 'net/ipv4/ip_input.c'],
  ['fixtures/minikernel', 'net/core/dev.c'],
  ['fixtures/minikernel', 'include/net/dst.h'],
  ['fixtures/minikernel', 'include/linux/netfilter.h'],
  ['fixtures/minikernel', 'arch/x86/entry/syscall_64.c'],
  // Function addresses in pointer variables and arrays of them (issue 12, kinds 1 and 2).
  ['fixtures/ptrvar/local', 'main.c'],
  ['fixtures/ptrvar/amp', 'main.c'],
  ['fixtures/ptrvar/global', 'hook.c'],
  ['fixtures/ptrvar/table', 'exits.c'],
  // Out-parameters and returned functions (issue 12, kind 3).
  ['fixtures/outret/out', 'main.c'],
  ['fixtures/outret/ret', 'main.c'],
  ['fixtures/outret/more', 'dev.c'],
  // Statement macros that store a function into a member (issue 12, kind 5).
  ['fixtures/macrostore/work', 'workqueue.c'],
  ['fixtures/macrostore/work', 'users.c'],
  // Member-to-member copies, members and locals passed to functions that call or store them (issue 12, kind 4).
  ['fixtures/fieldcopy', 'work.c'],
  ['fixtures/fieldcopy', 'cycle.c'],
  ['fixtures/fieldcopy', 'fallback.c'],
  ['fixtures/fieldcopy', 'args.c'],
  // Definitions made by macros (issue 12, kind 6).
  ['fixtures/macrodef/getter', 'knob.c'],
  ['fixtures/macrodef/ops', 'stats.c'],
  ['fixtures/macrodef/ops', 'core.c'],
  // Calls in a header macro's body bound in the file expanding it (statics of that file, nested macros).
  ['fixtures/macroscope', 'drivers/base/dd.c'],
  ['fixtures/macroscope', 'drivers/misc/other.c'],
  ['fixtures/macroscope', 'include/dev.h'],
];

const projects = new Map<string, Project>();

beforeAll(async () => {
  for (const tree of new Set(cases.map(([t]) => t))) projects.set(tree, await openTree({ root: tree, jobs: 1 }));
});

describe('annotated source', () => {
  for (const [tree, file] of cases) {
    it(`${tree}/${file}`, () => {
      const golden = join('test/golden', tree.replace(/\//g, '_'), `${file.replace(/\//g, '_')}.golden`);
      const actual = annotateFile(projects.get(tree)!, file);
      if (process.env.UPDATE_GOLDEN || !existsSync(golden)) writeFileSync(golden, actual);
      expect(actual).toBe(readFileSync(golden, 'utf8'));
    });
  }
});
