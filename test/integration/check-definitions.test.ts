import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../src/check/read-document.js';
import { verifyClaims } from '../../src/check/verify.js';
import { openTree, type Project } from '../../src/index.js';

/**
 * Same-named static functions (fixtures/samename: setup_hw in drivers/foo and drivers/bar): a
 * document that says where a name is defined (a tree comment's `// file:line`, GNU cflow's
 * `<... at file:line>`, pathfind's `defined at`) means that definition, in every step it is in.
 */
let tree: Project;
beforeAll(async () => {
  tree = await openTree({ root: join(import.meta.dirname, '../../fixtures/samename'), jobs: 1, cache: false });
});

const findings = (doc: string, text: string): string[] =>
  verifyClaims(tree, readDocument(doc, text), [doc]).findings.map((f) => `${f.line}:${f.column}: ${f.severity}: ${f.rule}: ${f.message}`);

describe('check with same-named definitions', () => {
  it('holds where the written definition is the one called, and in the steps from it', () => {
    expect(findings('doc.txt', ['foo_probe()', '└─ setup_hw()  // drivers/foo/foo_main.c:4', '   └─ foo_reset()', ''].join('\n'))).toEqual([]);
    const cflow = ['foo_probe() <int foo_probe (int x) at drivers/foo/foo_main.c:9>:', '    setup_hw() <int setup_hw (int x) at drivers/foo/foo_main.c:4>:', '        foo_reset() <int foo_reset (int x) at drivers/foo/foo_main.c:14>', ''];
    expect(findings('doc.txt', cflow.join('\n'))).toEqual([]);
  });

  it('warns when a tree comment names the definition of another same-named function than the one called', () => {
    expect(findings('doc.txt', ['foo_probe()', '└─ setup_hw()  // drivers/bar/bar_main.c:4', ''].join('\n'))).toEqual([
      '2:4: warning: site-mismatch: foo_probe -> setup_hw: the document places setup_hw at drivers/bar/bar_main.c:4, but foo_probe calls the setup_hw defined at drivers/foo/foo_main.c:4',
    ]);
  });

  it("takes the written definition on into the next step: the other definition's callees are not its", () => {
    expect(findings('doc.txt', ['foo_probe()', '└─ setup_hw()  // drivers/foo/foo_main.c:4', '   └─ bar_reset()', ''].join('\n'))).toEqual([
      '3:7: warning: site-mismatch: setup_hw -> bar_reset: the document places setup_hw at drivers/foo/foo_main.c:4, which does not call bar_reset; the setup_hw defined at drivers/bar/bar_main.c:4 does',
    ]);
  });

  it("reads GNU cflow's definition place, and pathfind's `defined at`, as the definition meant", () => {
    const cflow = ['bar_probe() <int bar_probe (int x) at drivers/bar/bar_main.c:9>:', '    setup_hw() <int setup_hw (int x) at drivers/foo/foo_main.c:4>:', '        foo_reset() <int foo_reset (int x) at drivers/foo/foo_main.c:14>', ''];
    expect(findings('doc.txt', cflow.join('\n'))).toEqual([
      '2:5: warning: site-mismatch: bar_probe -> setup_hw: the document places setup_hw at drivers/foo/foo_main.c:4, but bar_probe calls the setup_hw defined at drivers/bar/bar_main.c:4',
    ]);
    const pathfind = ['setup_hw  defined at drivers/bar/bar_main.c:4', '└─ foo_reset  drivers/bar/bar_main.c:6', ''];
    expect(findings('doc.txt', pathfind.join('\n'))[0]).toMatch(/^2:4: .*setup_hw -> foo_reset: the document places setup_hw at drivers\/bar\/bar_main\.c:4, which does not call foo_reset; the setup_hw defined at drivers\/foo\/foo_main\.c:4 does/);
  });

  it('a definition place that matches no definition exactly still chooses by its file (lines move, files seldom)', () => {
    const cflow = ['bar_probe() <int bar_probe (int x) at drivers/bar/bar_main.c:30>:', '    setup_hw() <int setup_hw (int x) at drivers/bar/bar_main.c:40>:', '        foo_reset() <int foo_reset (int x) at drivers/foo/foo_main.c:50>', ''];
    // Each place whose line moved is a warning of its own (a user's finding: they passed silently).
    expect(findings('doc.txt', cflow.join('\n'))).toEqual([
      '1:1: warning: site-mismatch: bar_probe is defined at drivers/bar/bar_main.c:9, not at drivers/bar/bar_main.c:30 as written',
      '2:5: warning: site-mismatch: setup_hw is defined at drivers/bar/bar_main.c:4, not at drivers/bar/bar_main.c:40 as written',
      '3:9: warning: site-mismatch: foo_reset is defined at drivers/foo/foo_main.c:14, not at drivers/foo/foo_main.c:50 as written',
      '3:9: warning: site-mismatch: setup_hw -> foo_reset: the document places setup_hw at drivers/bar/bar_main.c:40, which does not call foo_reset; the setup_hw defined at drivers/foo/foo_main.c:4 does',
    ]);
    // Written where they are: no such warning.
    const placed = ['bar_probe() <int bar_probe (int x) at drivers/bar/bar_main.c:9>:', '    setup_hw() <int setup_hw (int x) at drivers/bar/bar_main.c:4>:', ''];
    expect(findings('doc.txt', placed.join('\n'))).toEqual([]);
  });

  // A user's finding: the root of a tree has no call site, so its `// file:line` went unchecked.
  it("reads a tree root's `// file:line` as where it is defined: it picks the definition and is checked", () => {
    expect(findings('doc.txt', ['setup_hw()  // drivers/foo/foo_main.c:4', '└─ foo_reset()', ''].join('\n'))).toEqual([]);
    expect(findings('doc.txt', ['setup_hw()  // drivers/bar/bar_main.c:4', '└─ foo_reset()', ''].join('\n'))).toEqual([
      '2:4: warning: site-mismatch: setup_hw -> foo_reset: the document places setup_hw at drivers/bar/bar_main.c:4, which does not call foo_reset; the setup_hw defined at drivers/foo/foo_main.c:4 does',
    ]);
    expect(findings('doc.txt', ['bar_probe()  // drivers/bar/bar_main.c:30', '└─ setup_hw()', ''].join('\n'))).toEqual([
      '1:1: warning: site-mismatch: bar_probe is defined at drivers/bar/bar_main.c:9, not at drivers/bar/bar_main.c:30 as written',
    ]);
    expect(findings('doc.txt', ['bar_probe()  // drivers/nosuch.c:9', '└─ setup_hw()', ''].join('\n'))[0]).toMatch(/^1:1: warning: site-mismatch: bar_probe is defined at drivers\/bar\/bar_main\.c:9, not at drivers\/nosuch\.c:9 as written/);
  });

  // A user's finding: with no place written, a chain held by switching definitions in its middle.
  it('takes the definition a step calls on into the next step of a chain, with no place written', () => {
    expect(findings('doc.txt', ['foo_probe() -> setup_hw() -> foo_reset()', ''].join('\n'))).toEqual([]);
    expect(findings('doc.txt', ['foo_probe() -> setup_hw() -> bar_reset()', ''].join('\n'))).toEqual([
      '1:30: error: broken-call: setup_hw -> bar_reset: the setup_hw foo_probe calls (drivers/foo/foo_main.c:4) does not call bar_reset; the setup_hw defined at drivers/bar/bar_main.c:4 does',
    ]);
    const tree = ['bar_probe()', '└─ setup_hw()', '   └─ foo_reset()', ''];
    expect(findings('doc.txt', tree.join('\n'))).toEqual([
      '3:7: error: broken-call: setup_hw -> foo_reset: the setup_hw bar_probe calls (drivers/bar/bar_main.c:4) does not call foo_reset; the setup_hw defined at drivers/foo/foo_main.c:4 does',
    ]);
  });

  // A user's finding: a chain written with pathfind's own `path:name` was skipped without a word.
  it('reads a file written before a name (`drivers/foo/foo_main.c:setup_hw()`) as the definition meant', () => {
    expect(findings('doc.md', ['```', 'drivers/foo/foo_main.c:setup_hw() -> foo_reset()', '```', ''].join('\n'))).toEqual([]);
    expect(findings('doc.md', ['```', 'drivers/bar/bar_main.c:setup_hw() -> foo_reset()', '```', ''].join('\n'))).toEqual([
      '2:38: error: broken-call: setup_hw -> foo_reset: the document places setup_hw at drivers/bar/bar_main.c, which does not call foo_reset; the setup_hw defined at drivers/foo/foo_main.c:4 does',
    ]);
    // In prose, and with a file that does not define the name.
    expect(findings('doc.md', ['The probe runs `foo_probe() -> bar_main.c:foo_reset()`.', ''].join('\n'))).toEqual([
      '1:43: error: broken-call: foo_probe does not call foo_reset; now foo_probe -> setup_hw (drivers/foo/foo_main.c) -> foo_reset (setup_hw is static: if the document leaves it out on purpose, write foo_probe -> ... -> foo_reset or pass --max-gap 1)',
      '1:43: warning: site-mismatch: foo_reset is defined at drivers/foo/foo_main.c:14, not at bar_main.c as written',
    ]);
  });
});

/**
 * GNU cflow reads a definer macro's invocation (`SYSCALL_DEFINE3(write, ...)`) as a function named
 * after the macro, and merges every such invocation of a file into one node (its place the last
 * one): a step from it means the functions that macro defines in that file.
 */
describe('check of cflow output naming a definer macro', () => {
  // A user's finding: from a cached index (as the CLI opens it: facts read when asked for) the
  // node still meant the macro, and every step of `cflow -r fs/read_write.c` was an error.
  for (const cached of [false, true]) it(`takes SYSCALL_DEFINE3 at a file as the functions it defines there, with no finding for its steps (${cached ? 'a cached index' : 'facts at hand'})`, async () => {
    const root = join(import.meta.dirname, '../../fixtures/minikernel');
    const cache = mkdtempSync(join(tmpdir(), 'pathfind-definer-'));
    if (cached) await openTree({ root, jobs: 1, cache });
    const mini = await openTree({ root, jobs: 1, ...(cached ? { cache, facts: 'lazy' as const } : { cache: false }) });
    expect(mini.index.hasFacts).toBe(!cached);
    // cflow -r fs/read_write.c in fixtures/minikernel: both syscalls are one node, placed at the second.
    const cflow = [
      'fdget_pos():',
      '    ksys_read() <ssize_t ksys_read (unsigned int fd, char __user *buf, size_t count) at fs/read_write.c:27>:',
      '        SYSCALL_DEFINE3() <SYSCALL_DEFINE3 (write, unsigned int, fd, const char __user *, buf, size_t, count) at fs/read_write.c:95>',
      '    ksys_write() <ssize_t ksys_write (unsigned int fd, const char __user *buf, size_t count) at fs/read_write.c:75>:',
      '        SYSCALL_DEFINE3() <SYSCALL_DEFINE3 (write, unsigned int, fd, const char __user *, buf, size_t, count) at fs/read_write.c:95>',
      '',
    ].join('\n');
    const got = verifyClaims(mini, readDocument('cflow.txt', cflow), ['cflow.txt']).findings.map((f) => `${f.line}:${f.column}: ${f.severity}: ${f.message}`);
    expect(got).toEqual([]);
    // A step such a node does not make is still an error.
    const wrong = ['vfs_read():', '    SYSCALL_DEFINE3() <SYSCALL_DEFINE3 (write, unsigned int, fd, const char __user *, buf, size_t, count) at fs/read_write.c:95>', ''].join('\n');
    const [f] = verifyClaims(mini, readDocument('cflow.txt', wrong), ['cflow.txt']).findings;
    expect(`${f!.severity}: ${f!.rule}`).toBe('error: broken-call');
  });
});
