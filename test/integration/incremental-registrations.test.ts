import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { putFile as put, indexedCopy } from '../support/edit-files.js';
import { expectSameAsFresh } from '../support/same-as-fresh.js';

/**
 * Registrations (`module_init(fn)` and kin: Profile.registrations) added, removed, changed or
 * moved, in kept, added and deleted files (resolve/patch-registrations.ts): the dispatcher's
 * 'dispatch-table' edges (do_one_initcall -> each function registered) and their evidence
 * follow, and so do the functions whose address is taken (a registered function is one: the
 * signature fallback's candidates). The graph must equal a fresh index at every step, and each
 * case must be patched.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** init/main.c's dispatcher, as Linux's runs every initcall through its parameter. */
const MAIN = 'init/main.c';
const MAIN_C = `#include <linux/init.h>

int do_one_initcall(initcall_t fn)
{
	int ret;

	ret = fn();
	return ret;
}
`;

/** A hook called through a member nothing binds: the signature fallback offers it every function of its type whose address is taken. */
const HOOK = 'kernel/pf_hook.c';
const HOOK_C = `#include <linux/pf_dev.h>

struct pf_hook_ops {
	int (*start)(struct pf_dev *dev);
};

int pf_run_hook(struct pf_hook_ops *ops, struct pf_dev *dev)
{
	return ops->start(dev);
}
`;

/** A driver registering a function of the hook's type (as C allows any function's name in module_init). */
const HOOKED = 'drivers/char/pf_hooked.c';
const HOOKED_C = `#include <linux/pf_dev.h>

static int pf_hooked_start(struct pf_dev *dev)
{
	return dev->id;
}

module_init(pf_hooked_start);
`;

/** module_exit as Linux defines it built in (include/linux/module.h, init.h): a static variable holding the exit function. */
const EXIT_H = `typedef void (*exitcall_t)(void);
#define __exitcall(fn) static exitcall_t __exitcall_##fn = fn
#define module_exit(x) __exitcall(x);
`;

const DRIVER = 'drivers/char/pf_drv.c';
const DRIVER_C = `#include <linux/init.h>
#include <linux/pf_exit.h>
#include <linux/fs.h>

static ssize_t pf_drv_write(struct kiocb *iocb, struct iov_iter *from)
{
	return 0;
}

static const struct file_operations pf_drv_fops = {
	.write_iter = pf_drv_write,
};

static int pf_drv_init(void)
{
	return 0;
}

static void pf_drv_exit(void)
{
}

module_init(pf_drv_init);
module_exit(pf_drv_exit);
`;

const IGB = 'drivers/net/ethernet/intel/igb/igb_main.c';

async function copy(files: Record<string, string> = {}): Promise<{ root: string; cache: string; igb: string }> {
  const { dir, root, cache } = await indexedCopy('minikernel', 'pathfind-incr-regs-', { [MAIN]: MAIN_C, 'include/linux/pf_dev.h': 'struct pf_dev { int id; };\ntypedef int (*pf_start_t)(struct pf_dev *dev);\n', 'include/linux/pf_exit.h': EXIT_H, [HOOK]: HOOK_C, ...files });
  dirs.push(dir);
  return { root, cache, igb: readFileSync(join(root, IGB), 'utf8') };
}

/** Asserts the cached graph equals a fresh index and was patched; returns its rows. */
async function patched(root: string, cache: string): Promise<string[]> {
  const { got, why } = await expectSameAsFresh(root, cache);
  expect(why).toMatch(/^graph: patched/);
  return got;
}

/** The rows of the dispatcher's edges. */
const dispatched = (rows: string[]): string[] => rows.filter((r) => r.startsWith('edge do_one_initcall@'));

describe('registrations edited', () => {
  it('patches a driver file added with module_init and module_exit, and its deletion', async () => {
    const { root, cache } = await copy();
    put(root, DRIVER, DRIVER_C);
    const rows = await patched(root, cache);
    expect(dispatched(rows).some((r) => r.includes('-> pf_drv_init@') && r.includes('module_init(pf_drv_init)'))).toBe(true);
    rmSync(join(root, DRIVER));
    expect(dispatched(await patched(root, cache)).some((r) => r.includes('pf_drv_init'))).toBe(false);
  });

  it("says on -v's patch line that the dispatcher's registration edges were made again", async () => {
    const { root, cache } = await copy();
    put(root, DRIVER, DRIVER_C);
    const { why, trace } = await expectSameAsFresh(root, cache);
    expect(why).toMatch(/^graph: patched/);
    expect(trace.find((m) => m.startsWith('patch:'))).toContain('registration edges of 1 dispatcher made again, ');
  });

  it('patches a registration added to, changed in and removed from a kept file', async () => {
    const { root, cache, igb } = await copy();
    const at = 'module_init(igb_init_module);\n';
    expect(igb).toContain(at);
    const helper = 'static int __init igb_late(void)\n{\n\treturn 0;\n}\n';
    put(root, IGB, igb.replace(at, `${helper}late_initcall(igb_late);\n${at}`));
    expect(dispatched(await patched(root, cache)).filter((r) => r.includes('late_initcall(igb_late)'))).toHaveLength(1);
    // The registration changed to another macro and function; then taken out, the function kept.
    put(root, IGB, igb.replace(at, `${helper}${at.replace('module_init(igb_init_module)', 'subsys_initcall(igb_late)')}`));
    const changed = dispatched(await patched(root, cache));
    expect(changed.some((r) => r.includes('igb_init_module'))).toBe(false);
    put(root, IGB, igb.replace(at, helper));
    expect(dispatched(await patched(root, cache)).filter((r) => r.includes('igb'))).toEqual([]);
    put(root, IGB, igb);
    await patched(root, cache);
  });

  it('patches lines moved above a kept registration, and one put in another place', async () => {
    const { root, cache, igb } = await copy({ [DRIVER]: DRIVER_C });
    put(root, IGB, `/* a comment */\n\n${igb}`);
    await patched(root, cache);
    const drv = readFileSync(join(root, DRIVER), 'utf8');
    put(root, DRIVER, drv.replace('module_init(pf_drv_init);\n', '').replace('static int pf_drv_init(void)', 'module_init(pf_drv_init);\n\nstatic int pf_drv_init(void)'));
    await patched(root, cache);
  });

  it('patches a function added whose name a kept registration of its file already named, and its removal', async () => {
    const { root, cache } = await copy({ [DRIVER]: 'static int pf_drv_other(void)\n{\n\treturn 0;\n}\n\nmodule_init(pf_drv_init);\n' });
    put(root, DRIVER, 'static int pf_drv_init(void)\n{\n\treturn 0;\n}\n\nstatic int pf_drv_other(void)\n{\n\treturn 0;\n}\n\nmodule_init(pf_drv_init);\n');
    expect(dispatched(await patched(root, cache)).some((r) => r.includes('-> pf_drv_init@'))).toBe(true);
    put(root, DRIVER, 'static int pf_drv_other(void)\n{\n\treturn 0;\n}\n\nmodule_init(pf_drv_init);\n');
    expect(dispatched(await patched(root, cache)).some((r) => r.includes('pf_drv_init'))).toBe(false);
  });

  it('makes a registered function a candidate of the signature fallback, and no longer one once unregistered', async () => {
    const { root, cache } = await copy();
    const fallback = (rows: string[]): string[] => rows.filter((r) => r.startsWith('edge pf_run_hook@') && r.includes(' signature '));
    const before = fallback((await expectSameAsFresh(root, cache)).got);
    expect(before.some((r) => r.includes('pf_hooked_start'))).toBe(false);
    put(root, HOOKED, HOOKED_C);
    const added = fallback(await patched(root, cache));
    expect(added.some((r) => r.includes('-> pf_hooked_start@'))).toBe(true);
    put(root, HOOKED, HOOKED_C.replace('module_init(pf_hooked_start);\n', ''));
    expect(fallback(await patched(root, cache))).toEqual(before);
    put(root, HOOKED, HOOKED_C);
    expect(fallback(await patched(root, cache))).toEqual(added);
  });

  it('resolves in full, saying why, when a second dispatcher is defined (a stub that does not call its parameter)', async () => {
    const { root, cache } = await copy({ [DRIVER]: DRIVER_C });
    put(root, 'kernel/pf_initcalls.c', '#include <linux/init.h>\n\nstatic int do_one_initcall(initcall_t fn)\n{\n\treturn 0;\n}\n');
    const { why } = await expectSameAsFresh(root, cache);
    expect(why).toMatch(/do_one_initcall.*(added or removed|mentioned)/);
  });
});

/** The syscall table's entries (Profile.dispatchTables) name functions outside any C file: a patch must not miss them. */
describe('functions a dispatch table names', () => {
  const SYS = 'kernel/sys.c';
  const GETPID = 'SYSCALL_DEFINE0(getpid)\n{\n\treturn READ_ONCE(task_tgid);\n}\n';

  it('resolves in full, saying why, for a system call the table names taken out and put back', async () => {
    const { root, cache } = await copy();
    const sys = readFileSync(join(root, SYS), 'utf8');
    expect(sys).toContain(GETPID);
    put(root, SYS, sys.replace(GETPID, ''));
    expect((await expectSameAsFresh(root, cache)).why).toMatch(/^graph: resolved in full: kernel\/sys\.c: /);
    put(root, SYS, sys);
    expect((await expectSameAsFresh(root, cache)).why).toMatch(/^graph: resolved in full: kernel\/sys\.c: /);
  });

  it('resolves in full, saying why, for a function the table names defined by hand, and for a call through the table added', async () => {
    const { root, cache } = await copy();
    put(root, 'kernel/pf_getpid.c', 'long __x64_sys_pf_tbl(void)\n{\n\treturn 0;\n}\n');
    const tbl = 'arch/x86/entry/syscalls/syscall_64.tbl';
    put(root, tbl, `${readFileSync(join(root, tbl), 'utf8')}450\tcommon\tpf_tbl\t\t\tsys_pf_tbl\n`);
    await expectSameAsFresh(root, cache);
    rmSync(join(root, 'kernel/pf_getpid.c'));
    expect((await expectSameAsFresh(root, cache)).why).toMatch(/^graph: resolved in full: .*__x64_sys_pf_tbl/);
    put(root, 'kernel/pf_getpid.c', 'long __x64_sys_pf_tbl(void)\n{\n\treturn 0;\n}\n');
    expect((await expectSameAsFresh(root, cache)).why).toMatch(/^graph: resolved in full: .*__x64_sys_pf_tbl/);
    put(root, 'kernel/pf_call.c', 'typedef long (*sys_call_ptr_t)(void);\nextern const sys_call_ptr_t sys_call_table[];\n\nlong pf_call(int nr)\n{\n\treturn sys_call_table[nr]();\n}\n');
    await expectSameAsFresh(root, cache);
  });
});

/** A file-scope variable whose only use is its initializer storing a function (module_exit's expansion): it only takes that function's address. */
describe('a variable initialized with a function, used nowhere', () => {
  it('patches module_exit added to and taken out of a kept file', async () => {
    const { root, cache, igb } = await copy();
    const at = 'module_init(igb_init_module);\n';
    put(root, IGB, `#include <linux/pf_exit.h>\n${igb}`);
    await expectSameAsFresh(root, cache);
    put(root, IGB, `#include <linux/pf_exit.h>\n${igb.replace(at, `static void igb_exit_module(void)\n{\n}\n${at}module_exit(igb_exit_module);\n`)}`);
    await patched(root, cache);
    put(root, IGB, `#include <linux/pf_exit.h>\n${igb.replace(at, `static void igb_exit_module(void)\n{\n}\n${at}`)}`);
    await patched(root, cache);
  });

  it('makes a function stored so a candidate of the signature fallback, and no longer one once the variable goes', async () => {
    const { root, cache } = await copy();
    const fallback = (rows: string[]): string[] => rows.filter((r) => r.startsWith('edge pf_run_hook@') && r.includes(' signature '));
    const before = fallback((await expectSameAsFresh(root, cache)).got);
    const kept = HOOKED_C.replace('module_init(pf_hooked_start);\n', '');
    put(root, HOOKED, kept);
    await expectSameAsFresh(root, cache);
    put(root, HOOKED, `${kept}\nstatic pf_start_t pf_hooked_starts[] = { pf_hooked_start };\n`);
    const added = fallback(await patched(root, cache));
    expect(added.some((r) => r.includes('-> pf_hooked_start@'))).toBe(true);
    put(root, HOOKED, kept);
    expect(fallback(await patched(root, cache))).toEqual(before);
  });
});

/** A registration inside an `#if` block counts only when the configuration may compile it, as a call does (index/inactive-calls.ts). */
describe('registrations under #if', () => {
  it('makes no edge for a registration the configuration leaves out, one for a set option, and patches each as a fresh index does', async () => {
    // A .config decides the options: CONFIG_NET set, CONFIG_PF_UNSET (which no Kconfig defines) not.
    const { root, cache, igb } = await copy({ '.config': 'CONFIG_NET=y\n' });
    const at = 'module_init(igb_init_module);\n';
    expect((await expectSameAsFresh(root, cache)).got.some((r) => r.startsWith('edge do_one_initcall@') && r.includes('-> igb_init_module@'))).toBe(true);
    put(root, IGB, igb.replace(at, `#ifdef CONFIG_PF_UNSET\n${at}#endif\n`));
    expect(dispatched(await patched(root, cache)).some((r) => r.includes('igb_init_module'))).toBe(false);
    put(root, IGB, igb.replace(at, `#ifdef CONFIG_NET\n${at}#endif\n`));
    expect(dispatched(await patched(root, cache)).some((r) => r.includes('igb_init_module'))).toBe(true);
    put(root, IGB, igb.replace(at, `#ifndef CONFIG_NET\n${at}#endif\n`));
    expect(dispatched(await patched(root, cache)).some((r) => r.includes('igb_init_module'))).toBe(false);
    put(root, IGB, igb);
    await patched(root, cache);
  });
});

describe('an #include line edited in a file with registrations', () => {
  // A new user's finding: the registration's macro (core_initcall) counted as a name the file uses as a value, so an #include making it visible resolved in full.
  it('patches an #include of the header defining its registration macro taken out and put back (the macro is read by its name, never bound)', async () => {
    const { root, cache } = await copy();
    const utils = 'net/core/utils.c';
    const text = readFileSync(join(root, utils), 'utf8');
    expect(text).toContain('core_initcall(net_utils_init);');
    put(root, utils, text.replace('#include <linux/init.h>\n', ''));
    await patched(root, cache);
    put(root, utils, text);
    await patched(root, cache);
  });
});
