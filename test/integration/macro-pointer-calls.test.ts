import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { readDocument } from '../../src/check/read-document.js';
import { verifyClaims } from '../../src/check/verify.js';
import { openTree, type Project } from '../../src/index.js';
import { cliOn } from '../support/run-cli.js';

/**
 * Pointer calls written in a macro's body (fixtures/macroptr: the LSM's `call_int_hook` calls
 * `P->hook.FUNC(...)`, the member named by a macro argument). Nothing binds them; explain and
 * check say that one may be the missing step instead of calling the step absent.
 */
let tree: Project;
beforeAll(async () => {
  tree = await openTree({ root: join(import.meta.dirname, '../../fixtures/macroptr'), facts: true, cache: false });
});

const POINTER_CALL = { macro: 'call_int_hook', file: 'security/security.c', line: 3, calls: ['P->hook.FUNC'] };

describe('pointer calls in the bodies of macros', () => {
  it('are kept in the macro facts by both extractors', async () => {
    const ts = await openTree({ root: join(import.meta.dirname, '../../fixtures/macroptr'), jobs: 1, cache: false, extractor: 'tree-sitter' });
    for (const p of [tree, ts]) {
      const macro = p.index.files.find((f) => f.path === 'security/security.c')!.macros.find((m) => m.name === 'call_int_hook')!;
      expect(macro.memberCalls).toEqual(['P->hook.FUNC']);
    }
  });

  it('explain names them when the caller has no edge to the callee', () => {
    const x = explainEdge(tree, 'security_file_open', 'selinux_file_open');
    expect(x.edges).toEqual([]);
    expect(x.macroPointerCalls).toEqual([POINTER_CALL]);
    // With an edge, nothing more is said.
    expect(explainEdge(tree, 'do_dentry_open', 'security_file_open')).not.toHaveProperty('macroPointerCalls');
  });

  it('a path query that finds nothing names the calls that may be its missing step, or that nothing calls the target', () => {
    const cli = cliOn('macroptr');
    const own = cli('-s', 'security_file_open', '-t', 'selinux_file_open');
    expect([own.code, own.stdout]).toEqual([1, '']);
    expect(own.stderr).toBe(
      'pathfind: no call path from security_file_open to selinux_file_open; security_file_open makes 1 pointer call pathfind does not bind, which may be the missing step (P->hook.FUNC(...) in the macro call_int_hook, security/security.c:3): pathfind explain security_file_open selinux_file_open lists it\n',
    );
    // From further up, the start makes no such call: nothing in the graph calls the target, which its file names in an initializer.
    const far = cli('-s', 'do_dentry_open', '-t', 'selinux_file_open');
    expect([far.code, far.stderr]).toEqual([1, 'pathfind: no call path from do_dentry_open to selinux_file_open; no C call pathfind binds reaches selinux_file_open, but security/selinux.c:7 names it without calling it (`LSM_HOOK_INIT(file_open, selinux_file_open),`): a use pathfind does not follow may be how it is called\n']);
  });

  it('explain in text and JSON', () => {
    const cli = cliOn('macroptr');
    const text = cli('explain', 'security_file_open', 'selinux_file_open');
    expect(text.code).toBe(1);
    expect(text.stdout).toBe(
      [
        'no edge from security_file_open to selinux_file_open',
        'security_file_open makes no unresolved indirect call',
        'pointer calls in the bodies of macros security_file_open expands, which pathfind does not bind (one of them may be the missing step):',
        '  security/security.c:3  call_int_hook: P->hook.FUNC(...)',
        '',
      ].join('\n'),
    );
    expect(JSON.parse(cli('explain', '--json', 'security_file_open', 'selinux_file_open').stdout).macroPointerCalls).toEqual([POINTER_CALL]);
  });

  it('check reports such a step as unverifiable, not broken', () => {
    const doc = 'do_dentry_open() -> security_file_open() -> selinux_file_open()\n';
    const findings = verifyClaims(tree, readDocument('doc.txt', doc), ['doc.txt']).findings.map((f) => `${f.severity}: ${f.rule}: ${f.message}`);
    expect(findings).toEqual([
      'warning: unverifiable: security_file_open -> selinux_file_open: no call found, but security_file_open expands call_int_hook (security/security.c:3), whose body calls P->hook.FUNC(...), a pointer call pathfind does not bind',
    ]);
  });

  // A user's finding: from the index cache (a second run), check read no macro facts and called the step broken.
  it('check reports it as unverifiable from the command line, also from the index cache', () => {
    const doc = join(mkdtempSync(join(tmpdir(), 'pathfind-lsm-')), 'lsm.md');
    writeFileSync(doc, '```\nsecurity_file_open() -> selinux_file_open()\n```\n');
    const cli = cliOn('macroptr');
    for (let run = 0; run < 2; run++) {
      const r = cli('-q', 'check', doc);
      expect([r.code, r.stdout.split('\n').find((l) => l.includes('warning'))], `run ${run + 1}`).toEqual([0, expect.stringContaining('warning: security_file_open -> selinux_file_open: no call found, but security_file_open expands call_int_hook')]);
    }
  });

  // A user's finding: explain said only 'makes no unresolved indirect call' of do_dentry_open, whose opener is its parameter.
  it("explain lists the caller's calls of its own parameters when no edge reaches the callee", () => {
    const x = explainEdge(tree, 'file_open_with', 'ext_open');
    expect(x.edges).toEqual([]);
    expect(x.ownParameterCalls).toEqual([{ file: 'fs/open.c', line: 23, call: 'open(...)', parameter: 'open' }]);
    const text = cliOn('macroptr')('explain', 'file_open_with', 'ext_open');
    expect(text.stdout).toContain('\nfile_open_with calls its own parameter, bound only where its callers pass a function (none passes ext_open here):\n  fs/open.c:23  open(...)\n');
  });
});
