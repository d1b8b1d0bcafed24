import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareWithFresh, editFile, indexedCopy, putFile as put } from '../support/edit-files.js';
import { seededRandom } from '../support/random.js';
import { expectSameAsFresh } from '../support/same-as-fresh.js';

/**
 * Initializers and assignments of a member that call sites of an unknown struct read by its name
 * alone (the field-name fallback: `((struct mystery *)p)->handle(r)` binds every function bound
 * to any member named `handle`, narrowed by the arguments, none past the cap) added, changed and
 * removed, in kept, added and deleted files (resolve/patch-field-names.ts). Each step must equal
 * a fresh index, over-cap counts included, and be patched where the test says so.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function copy(files: Record<string, string> = {}): Promise<{ root: string; cache: string }> {
  const { dir, root, cache } = await indexedCopy('fallback', 'pathfind-incr-fields-', { 'include/handler.h': HANDLER_H, 'first.c': FIRST, ...files });
  dirs.push(dir);
  return { root, cache };
}

/** Asserts the cached graph equals a fresh index and was patched; returns its rows. */
async function patched(root: string, cache: string): Promise<string[]> {
  const { got, why } = await expectSameAsFresh(root, cache);
  expect(why).toMatch(/^graph: patched/);
  return got;
}

/** The field-name edges of `caller`, as `callee` names in edge order. */
const fieldEdges = (rows: string[], caller: string): string[] =>
  rows
    .filter((r) => r.startsWith(`order ${caller}@`))
    .flatMap((r) => r.slice(r.indexOf(': ') + 2).split(', '))
    .filter((e) => e.includes(' field-name '))
    .map((e) => e.slice(0, e.indexOf('@')));

/** The over-cap row of `caller`'s call site, if any. */
const overCap = (rows: string[], caller: string): string | undefined => rows.find((r) => r.startsWith(`over cap ${caller}@`));

/** A struct with a `handle` member declared in a header, as drivers' ops structs are, and a first file binding it (so that a binding of it is known). */
const HANDLER_H = `#include "dev.h"

struct extra_handler {
	int (*handle)(struct req *r);
};
`;
const FIRST = `#include "include/handler.h"

static int first_handle(struct req *r)
{
	return r->len * 3;
}

static struct extra_handler first_h = { .handle = first_handle };
`;

/** Another file binding the header's member to a function taking a request. */
const EXTRA = `#include "include/handler.h"

static int extra_handle(struct req *r)
{
	return r->len * 2;
}

static struct extra_handler extra_h = { .handle = extra_handle };
`;

/** The seventy-first driver of cap.c's kind, in a file of its own. */
const DRV71 = `#include "include/dev.h"

static int probe_71(struct dev *d)
{
	return d->id + 71;
}

static struct driver drv_71 = { .name = "drv71", .probe = probe_71 };
`;

/** `count` handlers of requests, each bound to a `handle` member: enough to put the calls by name past the cap. */
const many = (count: number): string => {
  let text = '#include "include/handler.h"\n';
  for (let i = 0; i < count; i++) text += `\nstatic int many_${i}(struct req *r)\n{\n\treturn r->len + ${i};\n}\n\nstatic struct extra_handler many_h${i} = { .handle = many_${i} };\n`;
  return text;
};

/** A parameter stored into dev_handler.handle by a caller's call, beside an initializer of it: a binding another phase than the initializers adds. */
const STORED = `#include "include/dev.h"

struct dev_handler {
	int (*handle)(struct dev *d);
};

static int stored_handle(struct dev *d)
{
	return d->id - 2;
}

static struct dev_handler stored_h = { .handle = stored_handle };

static int late_handle(struct dev *d)
{
	return d->id - 1;
}

void set_handle(struct dev_handler *h, int (*fn)(struct dev *d))
{
	h->handle = fn;
}

void stored_setup(void)
{
	set_handle(&stored_h, late_handle);
}
`;

/** A driver's probe stored through a parameter (as platform_driver_probe stores its `probe`): struct driver.probe is bound by another phase too. */
const REGISTER = `#include "include/dev.h"

static int late_probe(struct dev *d)
{
	return d->id * 2;
}

static struct driver late_drv;

void driver_set_probe(struct driver *drv, int (*probe)(struct dev *d))
{
	drv->probe = probe;
}

void register_late(void)
{
	driver_set_probe(&late_drv, late_probe);
}
`;

/** A copy of the header's member from one variable to another: struct extra_handler.handle holds what a copy brings. */
const COPIER = `#include "include/handler.h"

static int copier_handle(struct req *r)
{
	return r->len;
}

static struct extra_handler src_h = { .handle = copier_handle };
static struct extra_handler dst_h;

void copier(void)
{
	dst_h.handle = src_h.handle;
}
`;

/** A copy from the header's member into a member of the same name of another struct: the settle of copies binds that pair. */
const BOXER = `#include "include/handler.h"

struct handle_box {
	int (*handle)(struct req *r);
};

static int boxed_handle(struct req *r)
{
	return r->len + 7;
}

static struct extra_handler boxed_src = { .handle = boxed_handle };
static struct handle_box box;

void boxer(void)
{
	box.handle = boxed_src.handle;
}
`;

describe('a member read by its name alone, its bindings edited', () => {
  it('patches a file added with a binding of the member, and its deletion', async () => {
    const { root, cache } = await copy();
    const before = (await expectSameAsFresh(root, cache)).got;
    expect(fieldEdges(before, 'dispatch_unknown')).not.toContain('extra_handle');
    put(root, 'extra.c', EXTRA);
    const rows = await patched(root, cache);
    // extra.c comes before first.c in the table's order of files.
    for (const caller of ['dispatch_unknown', 'dispatch_untyped', 'dispatch_alias']) expect(fieldEdges(rows, caller)).toEqual(['extra_handle', ...fieldEdges(before, caller)]);
    rmSync(join(root, 'extra.c'));
    expect(await patched(root, cache)).toEqual(before);
  });

  it('patches the candidate count of a call site over the cap', async () => {
    const { root, cache } = await copy();
    expect(overCap((await expectSameAsFresh(root, cache)).got, 'probe_all')).toMatch(/ 70 candidates$/);
    put(root, 'drv71.c', DRV71);
    const rows = await patched(root, cache);
    expect(overCap(rows, 'probe_all')).toMatch(/ 71 candidates$/);
    expect(overCap(rows, 'probe_req')).toBeUndefined();
    editFile(root, 'cap.c', '.probe = probe_70 };', '.probe = probe_69 };');
    expect(overCap(await patched(root, cache), 'probe_all')).toMatch(/ 70 candidates$/);
  });

  it('patches a binding of the member changed in a kept file', async () => {
    const { root, cache } = await copy();
    editFile(root, 'many.c', 'net_h = { .handle = net_handle }', 'net_h = { .handle = misc_handle }');
    const rows = await patched(root, cache);
    expect(fieldEdges(rows, 'dispatch_unknown')).not.toContain('net_handle');
    editFile(root, 'many.c', 'net_h = { .handle = misc_handle }', 'net_h = { .handle = net_handle }');
    await patched(root, cache);
  });

  it('patches call sites going past the cap, and resolves in full when they come back under it', async () => {
    const { root, cache } = await copy();
    put(root, 'many_handlers.c', many(62));
    const rows = await patched(root, cache);
    expect(fieldEdges(rows, 'dispatch_unknown')).toEqual([]);
    expect(overCap(rows, 'dispatch_unknown')).toMatch(/ 66 candidates$/);
    rmSync(join(root, 'many_handlers.c'));
    const { why } = await expectSameAsFresh(root, cache);
    // Named by the caller and its file (a helper read `many_handlers.c: dispatch_unknown:66` as a line of the deleted file).
    expect(why).toMatch(/a call site in dispatch_unknown \(many\.c\) bound by the member name handle alone comes back under the fallback's cap \(\d+ candidates\)/);
  });

  it('keeps the bindings other phases add to a member of the same name, also when an initializer binds the same function', async () => {
    const { root, cache } = await copy({ 'stored.c': STORED });
    const before = (await expectSameAsFresh(root, cache)).got;
    expect(fieldEdges(before, 'dispatch_untyped')).toContain('late_handle');
    editFile(root, 'many.c', 'net_h = { .handle = net_handle }', 'net_h = { .handle = misc_handle }');
    expect(fieldEdges(await patched(root, cache), 'dispatch_untyped')).toContain('late_handle');
    editFile(root, 'stored.c', 'stored_h = { .handle = stored_handle }', 'stored_h = { .handle = late_handle }');
    const rows = await patched(root, cache);
    expect(rows.find((r) => r.startsWith('edge dispatch_untyped@') && r.includes('-> late_handle@'))).toMatch(/stored_h\].*late_handle passed by stored_setup|late_handle passed by stored_setup.*stored_h\]/);
  });

  it('patches a binding added to a member a copy of members binds into (the copies replayed)', async () => {
    const { root, cache } = await copy({ 'copier.c': COPIER });
    const before = (await expectSameAsFresh(root, cache)).got;
    put(root, 'extra.c', EXTRA);
    expect(fieldEdges(await patched(root, cache), 'dispatch_unknown')).toContain('extra_handle');
    rmSync(join(root, 'extra.c'));
    expect(await patched(root, cache)).toEqual(before);
  });

  it('patches a binding added to a member that a parameter store also binds', async () => {
    const { root, cache } = await copy({ 'register.c': REGISTER });
    expect(overCap((await expectSameAsFresh(root, cache)).got, 'probe_all')).toMatch(/ 71 candidates$/);
    put(root, 'drv71.c', DRV71);
    expect(overCap(await patched(root, cache), 'probe_all')).toMatch(/ 72 candidates$/);
    rmSync(join(root, 'drv71.c'));
    expect(overCap(await patched(root, cache), 'probe_all')).toMatch(/ 71 candidates$/);
  });

  it('follows a bound function whose parameters an edit changed (resolved in full: a signature changed)', async () => {
    const { root, cache } = await copy();
    editFile(root, 'many.c', 'static int net_handle(struct req *r)', 'static int net_handle(struct dev *r)');
    const { got } = await expectSameAsFresh(root, cache);
    expect(fieldEdges(got, 'dispatch_unknown')).not.toContain('net_handle');
  });
});

describe('a member read by its name alone, the functions a parameter store binds into it edited', () => {
  /** Renames every `from` of the file (a whole name) to `to`. */
  const rename = (root: string, path: string, from: string, to: string): void => put(root, path, readFileSync(join(root, path), 'utf8').replace(new RegExp(`\\b${from}\\b`, 'g'), to));
  /** stored.c's store through set_handle with `fn` passed, defined before stored_setup. */
  const storing = (fn: string): string => STORED.replace('set_handle(&stored_h, late_handle);', `set_handle(&stored_h, ${fn});`).replace('void stored_setup(void)', `static int ${fn}(struct dev *d)\n{\n\treturn d->id - 5;\n}\n\nvoid stored_setup(void)`).replace(/static int late_handle\(struct dev \*d\)\n\{\n\treturn d->id - 1;\n\}\n/, '');

  it('patches the stored function renamed with the call passing it, and its name restored', async () => {
    const { root, cache } = await copy({ 'stored.c': STORED });
    const before = (await expectSameAsFresh(root, cache)).got;
    expect(fieldEdges(before, 'dispatch_untyped')).toContain('late_handle');
    rename(root, 'stored.c', 'late_handle', 'later_handle');
    const rows = await patched(root, cache);
    expect(fieldEdges(rows, 'dispatch_untyped')).toContain('later_handle');
    expect(fieldEdges(rows, 'dispatch_untyped')).not.toContain('late_handle');
    rename(root, 'stored.c', 'later_handle', 'late_handle');
    expect(await patched(root, cache)).toEqual(before);
  });

  it('patches another function passed to the store, and the store taken out', async () => {
    const { root, cache } = await copy({ 'stored.c': STORED });
    const before = (await expectSameAsFresh(root, cache)).got;
    // A function an initializer binds too: the store adds its evidence to the initializer's pair.
    editFile(root, 'stored.c', '\tset_handle(&stored_h, late_handle);\n', '\tset_handle(&stored_h, late_handle);\n\tset_handle(&stored_h, stored_handle);\n');
    const both = await patched(root, cache);
    expect(both.find((r) => r.startsWith('edge dispatch_untyped@') && r.includes('-> stored_handle@'))).toMatch(/stored_handle passed by stored_setup/);
    put(root, 'stored.c', storing('new_handle'));
    expect(fieldEdges(await patched(root, cache), 'dispatch_untyped')).toContain('new_handle');
    editFile(root, 'stored.c', '\tset_handle(&stored_h, new_handle);\n', '');
    expect(fieldEdges(await patched(root, cache), 'dispatch_untyped')).not.toContain('new_handle');
    put(root, 'stored.c', STORED);
    expect(await patched(root, cache)).toEqual(before);
  });

  it('patches the rename where copies into members of the same name bind too, and the copied function renamed', async () => {
    const { root, cache } = await copy({ 'stored.c': STORED, 'boxer.c': BOXER });
    const before = (await expectSameAsFresh(root, cache)).got;
    expect(fieldEdges(before, 'dispatch_unknown')).toContain('boxed_handle');
    rename(root, 'stored.c', 'late_handle', 'later_handle');
    expect(fieldEdges(await patched(root, cache), 'dispatch_untyped')).toContain('later_handle');
    rename(root, 'boxer.c', 'boxed_handle', 'boxed_handle2');
    expect(fieldEdges(await patched(root, cache), 'dispatch_unknown')).toContain('boxed_handle2');
    rename(root, 'boxer.c', 'boxed_handle2', 'boxed_handle');
    rename(root, 'stored.c', 'later_handle', 'late_handle');
    expect(await patched(root, cache)).toEqual(before);
  });

  it('matches a fresh index along random sequences of store, initializer and copy edits, most of them patched', async () => {
    /** Each edit as a pair of texts: either way round when its side is in the file. */
    const pairs: [path: string, a: string, b: string][] = [
      ['stored.c', 'late_handle(struct dev *d)', 'late_handle2(struct dev *d)'],
      ['stored.c', '&stored_h, late_handle', '&stored_h, late_handle2'],
      ['stored.c', '\tset_handle(&stored_h, late', '\tset_handle(&stored_h, stored_handle);\n\tset_handle(&stored_h, late'],
      ['stored.c', 'stored_h = { .handle = stored_handle }', 'stored_h = { .handle = late_handle }'],
      ['boxer.c', 'boxed_handle(struct req', 'boxed_handle2(struct req'],
      ['boxer.c', '{ .handle = boxed_handle }', '{ .handle = boxed_handle2 }'],
      ['boxer.c', '\tbox.handle = boxed_src.handle;\n', '\tbox.handle = 0;\n'],
      ['many.c', 'net_h = { .handle = net_handle }', 'net_h = { .handle = misc_handle }'],
    ];
    let patched = 0;
    let steps = 0;
    for (const seed of [5, 23]) {
      const random = seededRandom(seed);
      const { root, cache } = await copy({ 'stored.c': STORED, 'boxer.c': BOXER });
      for (let step = 0; step < 10; step++) {
        const [path, a, b] = pairs[Math.floor(random() * pairs.length)]!;
        const text = readFileSync(join(root, path), 'utf8');
        const [from, to] = text.includes(a) ? [a, b] : [b, a];
        put(root, path, text.replace(from, to));
        const { incremental, why, got, want } = await compareWithFresh(root, cache);
        expect(got, `seed ${seed} step ${step}: ${path} ${JSON.stringify(from)} -> ${JSON.stringify(to)} (${why})`).toEqual(want);
        steps++;
        if (incremental) patched++;
      }
    }
    expect(patched, `${patched} of ${steps} patched`).toBeGreaterThanOrEqual(steps / 2);
  });
});
