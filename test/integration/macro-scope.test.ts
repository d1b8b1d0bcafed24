import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeStats, openTree, openTreeReport, type Project } from '../../src/index.js';
import { explainEdge } from '../../src/api/explain.js';
import { calleeKinds as callees } from '../support/callees.js';
import { compareWithFresh, editFile, putFile } from '../support/edit-files.js';
import { copyFixture } from '../support/fixtures.js';

/**
 * fixtures/macroscope: calls in a header macro's body bind in the file expanding the macro, as
 * the preprocessor and the compiler see it. include/dev.h's `call_probe(d, v)` calls
 * `really_probe`, static in drivers/base/dd.c and (another one) in drivers/misc/other.c;
 * `bind_device` calls `__bind_one`, whose body calls `bind_hook`, static in dd.c only;
 * `with_lock` calls `dev_lock`, which the header itself defines.
 */
const root = join(import.meta.dirname, '../../fixtures/macroscope');
const open = (): Promise<Project> => openTree({ root, jobs: 1, cache: false });

/** The callees of a function named `name` in `file`, as `name@file kind`, sorted. */
function calleesIn(p: Project, file: string, name: string): string[] {
  const { index, edges } = p;
  const from = p.nodes(name).filter((n) => index.file(n) === file);
  const out: string[] = [];
  for (let e = 0; e < edges.length; e++) {
    if (!from.includes(edges.from.get(e))) continue;
    const t = edges.to.get(e);
    out.push(`${index.name(t)}@${index.isExternal(t) ? 'external' : index.file(t)}`);
  }
  return out.sort();
}

describe('calls in a macro body bind where the macro is expanded', () => {
  it("binds a header macro's call to the static function of the expanding file", async () => {
    const p = await open();
    expect(calleesIn(p, 'drivers/base/dd.c', 'driver_probe')).toEqual(['bind_device@include/dev.h', 'bind_hook@drivers/base/dd.c', 'call_probe@include/dev.h', 'really_probe@drivers/base/dd.c']);
    // The other file's expansion calls its own static, never dd.c's.
    expect(calleesIn(p, 'drivers/misc/other.c', 'other_probe')).toEqual(['call_probe@include/dev.h', 'really_probe@drivers/misc/other.c']);
    // A file that sees no definition of the name: the macro's own call (to the external node) stands alone.
    expect(calleesIn(p, 'drivers/misc/other.c', 'other_bind')).toEqual(['bind_device@include/dev.h']);
    // The macro node itself still calls the name as its header sees it: defined nowhere there.
    expect(calleesIn(p, 'include/dev.h', 'call_probe')).toEqual(['really_probe@external']);
    // A name the header sees: bound there, once, whoever expands it.
    expect(callees(p, 'with_lock')).toEqual(['dev_lock macro']);
    expect(calleesIn(p, 'drivers/base/dd.c', 'really_probe')).toEqual(['foo_probe@drivers/base/dd.c', 'with_lock@include/dev.h']);
  });

  it('explains a nested expansion with the macros it goes through', async () => {
    const p = await open();
    const x = explainEdge(p, 'driver_probe', 'bind_hook');
    expect(x.edges.flatMap((e) => (e.evidence ?? []).map((b) => `${b.file}:${b.line} ${b.text}`))).toEqual([
      'drivers/base/dd.c:20 bind_hook called in the body of __bind_one (include/dev.h:12), through bind_device (include/dev.h:13), expanded here: bound in drivers/base/dd.c',
    ]);
  });

  it('counts a site whose macro call makes such an edge as bound to one definition, not several', async () => {
    const s = computeStats(await open());
    expect(s.binding.multiple).toBe(0);
    expect(s.edges.macro).toBe(12);
  });

  it('finds the path through the inlined static function', async () => {
    const p = await open();
    const [path] = p.findPaths({ start: 'foo_init', target: 'foo_probe' }).paths;
    expect(path?.nodes.map((s) => `${s.name}@${s.file}`)).toEqual(['foo_init@drivers/base/dd.c', 'driver_probe@drivers/base/dd.c', 'really_probe@drivers/base/dd.c', 'foo_probe@drivers/base/dd.c']);
  });

  it('explains the call through the macro that makes it', async () => {
    const p = await open();
    const x = explainEdge(p, 'driver_probe', 'really_probe');
    expect(x.edges.map((e) => `${e.file}:${e.line} ${e.kind} ${(e.evidence ?? []).map((b) => `${b.file}:${b.line} ${b.text}`).join('; ')}`)).toEqual([
      'drivers/base/dd.c:21 macro drivers/base/dd.c:21 really_probe called in the body of call_probe (include/dev.h:9), expanded here: bound in drivers/base/dd.c',
    ]);
  });
});

describe('calls in a macro body, cached', () => {
  it('follows edits of the expanding file and of a header it includes as a fresh index does', async () => {
    const { dir, root: tree } = copyFixture('macroscope', 'pathfind-macroscope-');
    const cache = join(dir, 'cache');
    await openTreeReport({ root: tree, cache });
    const step = async (what: string, claimed: boolean): Promise<void> => {
      const r = await compareWithFresh(tree, cache);
      expect(r.got, what).toEqual(r.want);
      if (claimed) expect(r.incremental, `${what}: ${r.why}`).toBe(true);
    };
    const probe = 'static int really_probe(struct device *d, int v)\n{\n\twith_lock(d);\n\treturn foo_probe(d);\n}\n';
    // The static function removed, then added back.
    editFile(tree, 'drivers/base/dd.c', probe, '');
    editFile(tree, 'drivers/base/dd.c', 'int driver_probe(', `${probe}\nint driver_probe(`);
    await step('static function moved below', false);
    editFile(tree, 'drivers/base/dd.c', probe, '');
    await step('static function removed', true);
    editFile(tree, 'drivers/base/dd.c', 'int driver_probe(', `${probe}\nint driver_probe(`);
    await step('static function added', true);
    // The expansion removed, then added back.
    editFile(tree, 'drivers/base/dd.c', '\treturn call_probe(d, v);', '\treturn 0;');
    await step('expansion removed', true);
    editFile(tree, 'drivers/base/dd.c', '\treturn 0;\n}\n\nint foo_init', '\treturn call_probe(d, v);\n}\n\nint foo_init');
    await step('expansion added', true);
    // A nested expansion's name defined in a header the expanding file includes.
    putFile(tree, 'drivers/misc/hooks.h', '/* hooks */\n');
    editFile(tree, 'drivers/misc/other.c', '#include "../../include/dev.h"\n', '#include "../../include/dev.h"\n#include "hooks.h"\n');
    await step('header included', false);
    putFile(tree, 'drivers/misc/hooks.h', '/* hooks */\nstatic inline void bind_hook(struct device *d)\n{\n}\n');
    await step('static inline added to the included header', true);
    putFile(tree, 'drivers/misc/hooks.h', '/* hooks */\n');
    await step('static inline removed from the included header', true);
    // A macro of that name: the expansion calls it, and what its own body calls.
    putFile(tree, 'drivers/misc/hooks.h', '/* hooks */\n#define bind_hook(d) other_probe(d)\n');
    await step('macro added to the included header', false);
    putFile(tree, 'drivers/misc/hooks.h', '/* hooks */\n');
    await step('macro removed from the included header', false);
    // The macro's own header gains a definition of the name: every expansion calls that one.
    editFile(tree, 'include/dev.h', 'int driver_probe(', 'static inline int really_probe(struct device *d, int v) { return v; }\nint driver_probe(');
    await step('definition added to the macro header', true);
  });
});
