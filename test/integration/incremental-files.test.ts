import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport, type OpenReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { canonicalGraph } from '../support/tree-edits.js';
import { withStoredGraph } from '../support/stored-graph.js';
import { openWithGraphsChecked, putFile as put } from '../support/edit-files.js';

/**
 * Files added to and deleted from a tree (cache/renumber-files.ts): the graph opened through the
 * cache must equal a fresh index of the edited tree, and the cases a patch covers must take the
 * patched path; the others must say why they do not.
 */

/** A private copy of the miniature kernel with `files` written into it, indexed once with its cache. */
async function tree(files: Record<string, string> = {}): Promise<{ root: string; cache: string }> {
  const { dir, root } = copyFixture('minikernel', 'pathfind-incr-files-');
  for (const [path, text] of Object.entries(files)) put(root, path, text);
  const cache = join(dir, 'cache');
  await openTreeReport({ root, cache });
  return { root, cache };
}

/** Opens the tree through its cache (its call graphs checked: openWithGraphsChecked) and from scratch. */
async function reopen(root: string, cache: string): Promise<{ report: OpenReport; why: string; got: string[]; want: string[]; paths: string[] }> {
  const trace: string[] = [];
  const cached = await openWithGraphsChecked(root, cache, trace);
  const scratch = await openTreeReport({ root, cache: false });
  const why = trace.find((m) => m.startsWith('graph'))?.replace(/\s*\(\d+(\.\d+)? m?s\)$/, '') ?? '';
  return { report: cached.report, why, got: canonicalGraph(cached.project), want: canonicalGraph(scratch.project), paths: scratch.project.index.files.map((f) => f.path) };
}

/** Each file's calls read lazily through the cache (facts file, layout and overlay) equal a fresh index's. */
async function expectLazyFacts(root: string, cache: string): Promise<void> {
  const lazy = (await openTreeReport({ root, cache, facts: 'lazy' })).project.index;
  const fresh = (await openTreeReport({ root, cache: false, facts: true })).project.index;
  expect(lazy.files.map((f) => f.path)).toEqual(fresh.files.map((f) => f.path));
  for (let n = 0; n < fresh.nodeCount; n++) if (!fresh.isExternal(n)) expect(lazy.calls(n), fresh.name(n)).toEqual(fresh.calls(n));
}

/** Rows of `got` and `want` that differ. */
function difference(got: string[], want: string[]): { missing: string[]; extra: string[] } {
  const g = new Set(got);
  const w = new Set(want);
  return { missing: want.filter((r) => !g.has(r)).slice(0, 20), extra: got.filter((r) => !w.has(r)).slice(0, 20) };
}

/** Asserts the cached open equals the fresh one and took the patched path (or, with `fallback`, did not, for a reason matching it). */
async function expectEqual(root: string, cache: string, fallback?: RegExp): Promise<string[]> {
  const { report, why, got, want } = await reopen(root, cache);
  expect(difference(got, want)).toEqual({ missing: [], extra: [] });
  expect(got).toEqual(want);
  if (fallback) {
    expect(report.incremental, why).toBe(false);
    expect(why).toMatch(fallback);
  } else expect(report.incremental, why).toBe(true);
  return got;
}

const USER = '#include <linux/kernel.h>\n\nint pf_user(void)\n{\n\treturn pf_util();\n}\n';
/** A struct of function pointers, a function calling through it, and a table binding a global function. */
const OPS_TREE = {
  'include/linux/pf_ops.h': 'struct pf_ops {\n\tint (*run)(int);\n};\nint pf_run_all(struct pf_ops *o);\nint pf_run_a(int x);\n',
  'kernel/pf_core.c': '#include <linux/pf_ops.h>\n\nint pf_run_all(struct pf_ops *o)\n{\n\treturn o->run(1);\n}\n\nint pf_run_a(int x)\n{\n\treturn x;\n}\n\nstatic struct pf_ops pf_a = {\n\t.run = pf_run_a,\n};\n',
};
const UTIL = '#include <linux/kernel.h>\n\nint pf_util(void)\n{\n\treturn 0;\n}\n';

/** The definer records a cache folder's graph file keeps (cache/definer-records.ts), as plain arrays. */
function storedDefiners(cache: string): { names: string[]; text: string; starts: number[]; files: number[]; entries: number[] } {
  return withStoredGraph(cache, (payload) => {
    const d = payload.definers!;
    return { names: [...d.names], text: d.text, starts: [...d.starts], files: [...d.files], entries: [...d.entries] };
  });
}

describe('files added or deleted patch the cached graph exactly', () => {
  it('keeps the definer records a fresh index writes when a file is added ahead of the macros\' files and deleted again (their file ids move, their text stays)', async () => {
    const { root, cache } = await tree();
    const freshDefiners = async (): Promise<ReturnType<typeof storedDefiners>> => {
      const other = mkdtempSync(join(tmpdir(), 'pathfind-definers-'));
      try {
        await openTreeReport({ root, cache: other });
        return storedDefiners(other);
      } finally {
        rmSync(other, { recursive: true, force: true });
      }
    };
    put(root, 'fs/pf_definers.c', 'int pf_definers(void)\n{\n\treturn 0;\n}\n');
    await expectEqual(root, cache);
    const added = storedDefiners(cache);
    expect(added.files.length).toBeGreaterThan(0);
    expect(added).toEqual(await freshDefiners());
    rmSync(join(root, 'fs/pf_definers.c'));
    await expectEqual(root, cache);
    expect(storedDefiners(cache)).toEqual(await freshDefiners());
  });

  it('patches a file added in the middle of the path order, its calls bound', async () => {
    const { root, cache } = await tree();
    put(root, 'fs/pf_middle.c', '#include <linux/fs.h>\n\nstatic int pf_helper(void)\n{\n\treturn 1;\n}\n\nint pf_middle(void)\n{\n\treturn pf_helper() + pf_nowhere();\n}\n');
    const got = await expectEqual(root, cache);
    expect(got.some((r) => r.startsWith('edge pf_middle@fs/pf_middle.c:8 -> pf_helper@fs/pf_middle.c:3 direct'))).toBe(true);
    expect(got.some((r) => r.startsWith('edge pf_middle@fs/pf_middle.c:8 -> pf_nowhere@') && r.includes(' external '))).toBe(true);
  });

  it('reads each file\'s facts through the cache after files were added and deleted (frames of uneven size)', async () => {
    const { root, cache } = await tree({ 'lib/pf_util.c': UTIL, 'kernel/pf_user.c': USER });
    put(root, 'drivers/char/pf_facts.c', 'int pf_facts(void)\n{\n\treturn pf_user();\n}\n');
    rmSync(join(root, 'lib/pf_util.c'));
    await expectEqual(root, cache);
    // Twice: the second open reads the facts file the patch wrote, with no overlay over it.
    for (let round = 0; round < 2; round++) {
      const lazy = (await openTreeReport({ root, cache, facts: 'lazy' })).project.index;
      const fresh = (await openTreeReport({ root, cache: false, facts: true })).project.index;
      expect(lazy.files.map((f) => f.path)).toEqual(fresh.files.map((f) => f.path));
      for (let n = 0; n < fresh.nodeCount; n++) if (!fresh.isExternal(n)) expect(lazy.calls(n), fresh.name(n)).toEqual(fresh.calls(n));
    }
  });

  it('leaves the facts file as it is for files added and deleted, and the facts file alone never passes off facts it does not hold', async () => {
    const { root, cache } = await tree({ 'lib/pf_util.c': UTIL, 'kernel/pf_user.c': USER });
    // An edit: its facts go into the graph's overlay.
    put(root, 'kernel/pf_user.c', USER.replace('return pf_util();', 'return pf_util() + pf_more();'));
    await expectEqual(root, cache);
    // A file added, then one deleted: the facts file is not written again; the added file's facts join the overlay.
    for (const [change, overlaid, moves, deleting] of [[() => put(root, 'drivers/char/pf_added.c', 'int pf_more(void)\n{\n\treturn 1;\n}\n'), 2, '1 file', false], [() => rmSync(join(root, 'lib/pf_util.c')), 2, '2 files', true]] as const) {
      change();
      const trace: string[] = [];
      const cached = await openTreeReport({ root, cache, onTrace: (m) => trace.push(m) });
      expect(cached.report.incremental, trace.join(' | ')).toBe(true);
      expect(trace.find((m) => m.startsWith('save'))).toMatch(new RegExp(`facts left as they are, ${overlaid} files in the graph's overlay, ${moves} added or deleted since the facts were written`));
      // A file deleted and nothing else: nothing to parse, said so.
      expect(trace.find((m) => m.startsWith('parse'))).toMatch(deleting ? /^parse: no file to parse \(the files changed were deleted\)/ : /^parse: 1 edited file,/);
      expect(canonicalGraph(cached.project)).toEqual(canonicalGraph((await openTreeReport({ root, cache: false })).project));
      await expectLazyFacts(root, cache);
    }
    // Without the graph file (and its overlay), the facts file lists the files as it holds them: the edited and the added one are parsed.
    for (const f of readdirSync(cache)) if (f.endsWith('.graph')) rmSync(join(cache, f));
    const { got, want } = await reopen(root, cache);
    expect(difference(got, want)).toEqual({ missing: [], extra: [] });
    expect(got.some((r) => r.startsWith('edge pf_user@kernel/pf_user.c:3 -> pf_more@drivers/char/pf_added.c:1 direct'))).toBe(true);
  });

  it('writes the facts file again once files added and deleted pass its bounds, and reads each file right before and after', async () => {
    const { root, cache } = await tree({ 'lib/pf_util.c': UTIL, 'kernel/pf_user.c': USER });
    const fn = (name: string): string => `int ${name}(void)\n{\n\treturn pf_util();\n}\n`;
    const saves: string[] = [];
    // Rounds of files added across the path order and some of them deleted again, with an edit: more than the bounds in all.
    const dirs = ['arch/x86/pf', 'drivers/char', 'fs/pf', 'kernel', 'lib', 'mm/pf', 'net/pf'];
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 10; i++) put(root, `${dirs[(round * 3 + i) % dirs.length]}/pf_r${round}_${i}.c`, fn(`pf_r${round}_${i}`));
      if (round > 0) for (let i = 0; i < 10; i += 3) rmSync(join(root, `${dirs[((round - 1) * 3 + i) % dirs.length]}/pf_r${round - 1}_${i}.c`));
      put(root, 'kernel/pf_user.c', USER.replace('return pf_util();', `return pf_util() + ${round};`));
      const trace: string[] = [];
      const cached = await openTreeReport({ root, cache, onTrace: (m) => trace.push(m) });
      expect(cached.report.incremental, trace.join(' | ')).toBe(true);
      saves.push(trace.find((m) => m.startsWith('save')) ?? '');
      expect(canonicalGraph(cached.project)).toEqual(canonicalGraph((await openTreeReport({ root, cache: false })).project));
      await expectLazyFacts(root, cache);
    }
    expect(saves.some((s) => /facts left as they are/.test(s))).toBe(true);
    expect(saves.some((s) => /frames encoded again/.test(s))).toBe(true);
  });

  it('patches a change of many files at once (a branch switched or pulled): every .c file edited, 25 added, then deleted', async () => {
    const { root, cache } = await tree({ 'lib/pf_util.c': UTIL });
    const sources = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.c')).sort();
    expect(sources.length).toBeGreaterThan(30);
    for (const path of sources) put(root, path, `/* switched */\n${readFileSync(join(root, path), 'utf8')}`);
    const added = Array.from({ length: 25 }, (_, i) => `drivers/char/pf_many_${String(i).padStart(2, '0')}.c`);
    for (const [i, path] of added.entries()) put(root, path, `int pf_many_${i}(void)\n{\n\treturn pf_util();\n}\n`);
    await expectEqual(root, cache);
    for (const path of added) rmSync(join(root, path));
    await expectEqual(root, cache);
  });

  it('patches a file added after every other one, and one in a new folder', async () => {
    const { root, cache } = await tree();
    const { paths } = await reopen(root, cache);
    const last = `${dirname(paths.at(-1)!)}/zzzz_pf_last.c`;
    put(root, last, 'int pf_last(void)\n{\n\treturn pf_new_folder();\n}\n');
    await expectEqual(root, cache);
    put(root, 'drivers/pfnew/sub/pf_new.c', 'int pf_new_folder(void)\n{\n\treturn 2;\n}\n');
    const got = await expectEqual(root, cache);
    // The call in the last file, external before, binds to the new folder's definition.
    expect(got.some((r) => r.startsWith(`edge pf_last@${last}:1 -> pf_new_folder@drivers/pfnew/sub/pf_new.c:1 direct`))).toBe(true);
  });

  it('patches a deleted file whose function another file calls: the call site becomes external', async () => {
    const { root, cache } = await tree({ 'lib/pf_util.c': UTIL, 'kernel/pf_user.c': USER });
    rmSync(join(root, 'lib/pf_util.c'));
    const got = await expectEqual(root, cache);
    expect(got.some((r) => r.startsWith('edge pf_user@kernel/pf_user.c:3 -> pf_util@') && r.includes(' external '))).toBe(true);
    // And back: the file added again binds the call to it.
    put(root, 'lib/pf_util.c', UTIL);
    await expectEqual(root, cache);
  });

  it('resolves in full, saying why, for a deleted file one of whose two definitions of a name callers bound to: they bind to the other', async () => {
    const dup = (n: number): string => `int pf_dup(void)\n{\n\treturn ${n};\n}\n`;
    const { root, cache } = await tree({ 'lib/pf_dup_a.c': dup(1), 'lib/pf_dup_b.c': dup(2), 'kernel/pf_caller.c': 'int pf_caller(void)\n{\n\treturn pf_dup();\n}\n' });
    rmSync(join(root, 'lib/pf_dup_a.c'));
    // A name defined by several global functions binds by prototypes and the build: the patch leaves that to a full resolution, as for an edit that removes one.
    const got = await expectEqual(root, cache, /pf_dup is defined by another global function \(lib\/pf_dup_b\.c:1\)/);
    expect(got.some((r) => r.startsWith('edge pf_caller@kernel/pf_caller.c:1 -> pf_dup@lib/pf_dup_b.c:1 direct'))).toBe(true);
  });

  it('patches files added and deleted at once, with edits of other files', async () => {
    const { root, cache } = await tree({ 'lib/pf_util.c': UTIL, 'kernel/pf_user.c': USER });
    rmSync(join(root, 'lib/pf_util.c'));
    put(root, 'kernel/pf_util2.c', 'int pf_util(void)\n{\n\treturn 3;\n}\n');
    put(root, 'kernel/pf_user.c', USER.replace('return pf_util();', 'return pf_util() + pf_user2();') + '\nint pf_user2(void)\n{\n\treturn 0;\n}\n');
    await expectEqual(root, cache);
  });

  it('patches an added file with a static ops table of a function bound already, and takes it out again', async () => {
    const { root, cache } = await tree(OPS_TREE);
    put(root, 'drivers/char/pf_b.c', '#include <linux/pf_ops.h>\n\nint pf_b_user(void)\n{\n\treturn pf_run_all(0);\n}\n\nstatic struct pf_ops pf_b = {\n\t.run = pf_run_a,\n};\n');
    const got = await expectEqual(root, cache);
    expect(got.some((r) => r.startsWith('edge pf_run_all@kernel/pf_core.c:3 -> pf_run_a@kernel/pf_core.c:8 ops-initializer') && r.includes('[drivers/char/pf_b.c:9 '))).toBe(true);
    rmSync(join(root, 'drivers/char/pf_b.c'));
    await expectEqual(root, cache);
  });

  it('patches an added file whose ops table takes the address of a new function, and its deletion', async () => {
    const { root, cache } = await tree(OPS_TREE);
    put(root, 'drivers/char/pf_b.c', '#include <linux/pf_ops.h>\n\nint pf_run_b(int x)\n{\n\treturn x + 1;\n}\n\nstatic struct pf_ops pf_b = {\n\t.run = pf_run_b,\n};\n');
    // The signature fallback lists every function whose address is taken: the binding patch lists a new one where it fits (patch-fallback.ts).
    const got = await expectEqual(root, cache);
    expect(got.some((r) => r.startsWith('edge pf_run_all@kernel/pf_core.c:3 -> pf_run_b@drivers/char/pf_b.c:3 ops-initializer'))).toBe(true);
    rmSync(join(root, 'drivers/char/pf_b.c'));
    await expectEqual(root, cache);
  });

  it('patches an added file whose function returns a constant by name (a `return NAME;` that binds nothing)', async () => {
    const { root, cache } = await tree({ 'include/linux/pf_ret.h': '#define PF_TX_OK 0\nint pf_tx_done(int x);\n', 'kernel/pf_tx.c': '#include <linux/pf_ret.h>\nint pf_tx_done(int x)\n{\n\treturn x;\n}\n' });
    put(root, 'drivers/char/pf_xmit.c', '#include <linux/pf_ret.h>\n\nstatic int pf_xmit(int skb)\n{\n\tpf_tx_done(0);\n\treturn PF_TX_OK;\n}\n');
    await expectEqual(root, cache);
    rmSync(join(root, 'drivers/char/pf_xmit.c'));
    await expectEqual(root, cache);
  });

  it('resolves in full, saying why, for a function added that returns another function by name', async () => {
    const head = '#include <linux/pf_fn.h>\nint pf_target(int x)\n{\n\treturn x;\n}\n';
    const { root, cache } = await tree({ 'include/linux/pf_fn.h': 'typedef int (*pf_fn)(int);\n', 'kernel/pf_get.c': head });
    put(root, 'kernel/pf_get.c', `${head}\npf_fn pf_getter(void)\n{\n\treturn pf_target;\n}\n`);
    await expectEqual(root, cache, /a return of pf_target was added or removed, and a function or macro has that name/);
  });

  it('patches an added file whose functions pass its variables by name and whose tables point to its own (a new driver\'s file), and its deletion', async () => {
    // pf_store keeps what it is passed (as kfree does in a kernel): a variable passed there holds no function and binds nothing.
    const store = '#include <linux/pf_ops.h>\n\nstruct pf_keep {\n\tvoid *last;\n};\n\nvoid pf_store(struct pf_keep *k, void *obj)\n{\n\tk->last = obj;\n}\n\nint pf_log(int level)\n{\n\treturn level;\n}\n';
    const { root, cache } = await tree({ ...OPS_TREE, 'include/linux/pf_keep.h': 'struct pf_keep;\nvoid pf_store(struct pf_keep *k, void *obj);\nint pf_log(int level);\nint *pf_pick(int *from);\n', 'kernel/pf_store.c': store });
    const driver = [
      '#include <linux/pf_ops.h>',
      '#include <linux/pf_keep.h>',
      '',
      'static int pf_debug;',
      'static char pf_names[4][8];',
      '',
      'static int pf_run_d(int x)',
      '{',
      '\tpf_log(pf_debug);',
      '\tpf_store(0, pf_names);',
      '\treturn x;',
      '}',
      '',
      'static struct pf_ops pf_d = {',
      '\t.run = pf_run_d,',
      '};',
      '',
      'struct pf_table {',
      '\tstruct pf_ops *ops;',
      '};',
      '',
      'static struct pf_table pf_d_table = {',
      '\t.ops = &pf_d,',
      '};',
      '',
      '// A member given what a call returns, the call passed a variable by name (resolveFlows reads what pf_pick returns of it).',
      'struct pf_cache {',
      '\tint *slot;',
      '};',
      '',
      'static int pf_area[4];',
      '',
      'static void pf_setup(struct pf_cache *c)',
      '{',
      '\tc->slot = pf_pick(pf_area);',
      '}',
      '',
    ].join('\n');
    put(root, 'drivers/char/pf_d.c', driver);
    const got = await expectEqual(root, cache);
    expect(got.some((r) => r.startsWith('edge pf_run_all@kernel/pf_core.c:3 -> pf_run_d@drivers/char/pf_d.c:7 ops-initializer'))).toBe(true);
    rmSync(join(root, 'drivers/char/pf_d.c'));
    await expectEqual(root, cache);
  });

  it('resolves in full, saying why, when an added file\'s variable is named elsewhere', async () => {
    const ops = 'struct pf_ops {\n\tint (*run)(int);\n};\n';
    // The reader calls through the variable the added file defines: binding that call needs the variable's type.
    const { root, cache } = await tree({ 'include/linux/pf_ops.h': ops, 'kernel/pf_reader.c': '#include <linux/pf_ops.h>\nextern struct pf_ops pf_shared;\nint pf_reader(void)\n{\n\treturn pf_shared.run(1);\n}\n' });
    put(root, 'kernel/pf_shared.c', '#include <linux/pf_ops.h>\nint pf_shared_run(int x)\n{\n\treturn x;\n}\nstruct pf_ops pf_shared = {\n\t.run = pf_shared_run,\n};\n');
    await expectEqual(root, cache, /pf_shared is mentioned by other files/);
  });

  it('patches added files whose Kbuild status differs (one built, one its config leaves out), and a deletion of one', async () => {
    const { root, cache } = await tree({ 'drivers/Makefile': 'obj-y += misc/\n', 'drivers/misc/Makefile': 'obj-$(CONFIG_PF_GATED) += pf_gated.o\nobj-y += pf_open.o broken.o\n', 'kernel/pf_gate_user.c': 'int pf_gate_user(void)\n{\n\treturn pf_gated_fn() + pf_open_fn();\n}\n' });
    put(root, 'drivers/misc/pf_gated.c', 'int pf_gated_fn(void)\n{\n\treturn 1;\n}\n');
    put(root, 'drivers/misc/pf_open.c', 'int pf_open_fn(void)\n{\n\treturn 1;\n}\n');
    const got = await expectEqual(root, cache);
    expect(got.some((r) => r.startsWith('edge pf_gate_user@kernel/pf_gate_user.c:1 -> pf_open_fn@drivers/misc/pf_open.c:1 direct'))).toBe(true);
    rmSync(join(root, 'drivers/misc/pf_gated.c'));
    await expectEqual(root, cache);
  });

  it('resolves in full, saying why, for a deleted file whose variable another file calls by name', async () => {
    const { root, cache } = await tree({ 'kernel/pf_var.c': 'int pf_var;\n\nint pf_var_init(void)\n{\n\treturn 0;\n}\n', 'kernel/pf_var_caller.c': 'int pf_var_caller(void)\n{\n\treturn pf_var(1);\n}\n' });
    rmSync(join(root, 'kernel/pf_var.c'));
    // The call went through the variable; with it gone, it calls a function defined nowhere.
    const got = await expectEqual(root, cache, /the deleted file-scope variable pf_var is called by name/);
    expect(got.some((r) => r.startsWith('edge pf_var_caller@kernel/pf_var_caller.c:1 -> pf_var@') && r.includes(' external '))).toBe(true);
  });

  it('patches a deleted file with a variable nothing else names', async () => {
    const { root, cache } = await tree({ 'kernel/pf_var.c': 'static int pf_count;\n\nint pf_var_init(void)\n{\n\treturn 0;\n}\n' });
    rmSync(join(root, 'kernel/pf_var.c'));
    await expectEqual(root, cache);
  });

  it('keeps the names an added or deleted file defines otherwise for later patches: a call added later by such a name binds as a fresh index binds it', async () => {
    const caller = (call: string): string => `int pf_later(void)\n{\n\treturn ${call};\n}\n`;
    const variable = (name: string): string => `int ${name};\n\nint ${name}_init(void)\n{\n\treturn 0;\n}\n`;
    /** The later edit's graph through the cache equals a fresh one, and whether it calls `name` as an external function. */
    const later = async (root: string, cache: string, name: string): Promise<boolean> => {
      put(root, 'kernel/pf_later.c', caller(`${name}(1)`));
      const { got, want } = await reopen(root, cache);
      expect(difference(got, want)).toEqual({ missing: [], extra: [] });
      return got.some((r) => r.startsWith(`edge pf_later@kernel/pf_later.c:1 -> ${name}@`) && r.includes(' external '));
    };
    // Added: a variable nothing names yet; a call by its name, added later, is no call of an external function.
    const added = await tree({ 'kernel/pf_later.c': caller('0') });
    put(added.root, 'kernel/pf_hook.c', variable('pf_hook'));
    await expectEqual(added.root, added.cache);
    expect(await later(added.root, added.cache, 'pf_hook')).toBe(false);
    // Deleted: the variable's file goes; a call by its name, added later, calls a function defined nowhere.
    const deleted = await tree({ 'kernel/pf_later.c': caller('0'), 'kernel/pf_gone.c': variable('pf_gone') });
    rmSync(join(deleted.root, 'kernel/pf_gone.c'));
    await expectEqual(deleted.root, deleted.cache);
    expect(await later(deleted.root, deleted.cache, 'pf_gone')).toBe(true);
  });

  it('patches a function added or removed whose name a header declares in a prototype (a declaration is no use as a value)', async () => {
    const header = 'int pf_proto_fn(int x);\n';
    const def = (more: string): string => `#include <linux/pf_proto.h>\n\nint pf_other(void)\n{\n\treturn 0;\n}\n${more}`;
    const { root, cache } = await tree({ 'include/linux/pf_proto.h': header, 'kernel/pf_user.c': '#include <linux/pf_proto.h>\n\nint pf_user(void)\n{\n\treturn pf_proto_fn(1);\n}\n', 'lib/pf_def.c': def('') });
    put(root, 'lib/pf_def.c', def('\nint pf_proto_fn(int x)\n{\n\treturn pf_other() + x;\n}\n'));
    const got = await expectEqual(root, cache);
    expect(got.some((r) => r.startsWith('edge pf_user@kernel/pf_user.c:3 -> pf_proto_fn@lib/pf_def.c:8 direct'))).toBe(true);
    put(root, 'lib/pf_def.c', def(''));
    expect((await expectEqual(root, cache)).some((r) => r.startsWith('edge pf_user@kernel/pf_user.c:3 -> pf_proto_fn@') && r.includes(' external '))).toBe(true);
  });

  it('resolves in full, saying why, for an added header an existing #include opens', async () => {
    const { root, cache } = await tree({ 'kernel/pf_inc.c': '#include "pf_later.h"\n\nint pf_inc(void)\n{\n\treturn pf_inline();\n}\n' });
    put(root, 'kernel/pf_later.h', 'static inline int pf_inline(void)\n{\n\treturn 0;\n}\n');
    await expectEqual(root, cache, /an #include of its name may open it/);
  });

  it('resolves in full, saying why, for a deleted header other files include', async () => {
    const { root, cache } = await tree({ 'kernel/pf_inc.h': 'int pf_declared(void);\n', 'kernel/pf_inc.c': '#include "pf_inc.h"\n\nint pf_inc(void)\n{\n\treturn pf_declared();\n}\n' });
    rmSync(join(root, 'kernel/pf_inc.h'));
    await expectEqual(root, cache, /kernel\/pf_inc\.h was deleted, and kernel\/pf_inc\.c includes it/);
  });

  // The reason names the one fact the patch refuses (the registration beside it is patched: incremental-registrations.test.ts).
  it('resolves in full, naming the binding alone, for an added driver whose ops table binds a member no call reads, beside its module_init', async () => {
    const { root, cache } = await tree();
    put(root, 'drivers/char/pf_drv.c', '#include <linux/fs.h>\n\nstatic int pf_drv_open(struct inode *inode, struct file *file)\n{\n\treturn 0;\n}\n\nstatic const struct file_operations pf_drv_fops = {\n\t.open = pf_drv_open,\n};\n\nstatic int pf_drv_init(void)\n{\n\treturn 0;\n}\n\nmodule_init(pf_drv_init);\n');
    await expectEqual(root, cache, /^graph: resolved in full: drivers\/char\/pf_drv\.c:9: \.open = pf_drv_open: a binding into a member no binding of the file or of the same root reached, and no binding reached open of struct file_operations before, and the graph keeps the members bindings reached only$/);
  });

  it('resolves in full, saying why, for an added Makefile', async () => {
    const { root, cache } = await tree();
    put(root, 'drivers/Makefile', 'obj-y += char/\n');
    put(root, 'drivers/char/pf_more.c', 'int pf_more(void)\n{\n\treturn 0;\n}\n');
    await expectEqual(root, cache, /a build file or the configuration changed/);
  });
});
