import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeStats, EDGE_KINDS, openTree, openTreeReport, type Project } from '../../src/index.js';
import type { Extractor } from '../../src/parse/file-parser.js';
import { calleeKinds as callees } from '../support/callees.js';
import { copyFixture } from '../support/fixtures.js';
import { explainEdge } from '../../src/api/explain.js';
import { renderExplainText } from '../../src/render/text.js';

/**
 * fixtures/macrocall/guard: calls of what a function-like macro invocation expands to. `guard(m)`
 * expands through `CLASS(m, id)` to a declaration ending in `class_m_constructor`, which a
 * DEFINE_GUARD-like definer (DEFINE_CLASS, whose body starts with a typedef) defines; `CLASS(h, v)(fd)`
 * the same in one step; `FNAME(step)` has two definitions under #if branches, each naming its
 * function; `static_call(hook)` ends with a cast value, no name.
 */
const root = join(import.meta.dirname, '../../fixtures/macrocall/guard');
const open = (extractor: Extractor = 'scan'): Promise<Project> => openTree({ root, jobs: 1, cache: false, extractor });

/** The whole graph as sorted text: edges with kinds and lines. */
function graphText(p: Project): string[] {
  const { index, edges } = p;
  const node = (n: number): string => `${index.name(n)}@${index.file(n)}:${index.nodeLine[n]}`;
  const rows: string[] = [];
  for (let e = 0; e < edges.length; e++) rows.push(`${node(edges.from.get(e))} -> ${node(edges.to.get(e))} ${EDGE_KINDS[edges.kind.get(e)]} at ${edges.line.get(e)}`);
  return rows.sort();
}

describe.each(['scan', 'tree-sitter'] as const)('calls of a macro invocation (%s)', (extractor) => {
  it('calls the name the expansion ends with, through nested macros and a definer that starts with a typedef', async () => {
    const p = await open(extractor);
    expect(callees(p, 'dev_bump')).toEqual(['class_mutex_constructor direct', 'guard macro']);
    expect(callees(p, 'class_mutex_constructor')).toEqual(['mutex_lock direct']);
    expect(callees(p, 'class_mutex_destructor')).toEqual(['mutex_unlock direct']);
    expect(callees(p, 'dev_flags')).toEqual(['CLASS macro', 'class_handle_constructor direct']);
    expect(callees(p, 'class_handle_constructor')).toEqual(['handle_get direct']);
  });

  it('explain says that the call is one of what the macro expands to, and which names it ends with', async () => {
    const p = await openTree({ root, jobs: 1, cache: false, extractor, facts: true });
    const guarded = explainEdge(p, 'dev_bump', 'class_mutex_constructor');
    expect(guarded.edges.map((e) => [e.kind, e.resultOf])).toEqual([['direct', { macro: 'guard', invocation: 'guard(mutex)', names: ['class_mutex_constructor'] }]]);
    expect(renderExplainText(guarded, { color: false })).toContain('    a call of what guard(mutex) expands to: class_mutex_constructor\n');
    // One name per definition of FNAME (its #if branches), the same on each edge.
    const walked = explainEdge(p, 'walk_entry', 'walk64_step');
    expect(walked.edges.map((e) => e.resultOf)).toEqual([{ macro: 'FNAME', invocation: 'FNAME(step)', names: ['walk32_step', 'walk64_step'] }]);
    expect(renderExplainText(walked, { color: false })).toContain('    a call of what FNAME(step) expands to: walk32_step or walk64_step (one name per definition of FNAME)\n');
    // A plain call by name says nothing of the kind.
    expect(explainEdge(p, 'class_mutex_constructor', 'mutex_lock').edges.map((e) => e.resultOf)).toEqual([undefined]);
  });

  it('calls one name per definition of the macro', async () => {
    const p = await open(extractor);
    expect(callees(p, 'walk_entry')).toEqual(['FNAME macro', 'FNAME macro', 'walk32_step direct', 'walk64_step direct']);
  });

  it('leaves a call of an expansion that ends with a cast value as it is', async () => {
    const p = await open(extractor);
    expect(callees(p, 'dev_notify').filter((c) => !c.endsWith(' macro'))).toEqual([]);
  });

  it('counts the calls of names as direct sites, the cast one as through another expression', async () => {
    const s = computeStats(await open(extractor));
    expect(s.indirect.bySite['expression']).toEqual({ sites: 1, unresolved: 1 });
    expect(s.callSites.indirect).toBe(1);
  });
});

describe('calls of a macro invocation, cached', () => {
  it("follows an edit of the macro's header and of the calling file as a fresh index does", async () => {
    const { dir, root: tree } = copyFixture('macrocall/guard', 'pathfind-macrocall-');
    const cache = join(dir, 'cache');
    await openTreeReport({ root: tree, cache });
    const edit = (path: string, from: string, to: string): void => {
      const file = join(tree, path);
      const before = readFileSync(file, 'utf8');
      expect(before.includes(from)).toBe(true);
      writeFileSync(file, before.replace(from, to));
    };
    const same = async (): Promise<Project> => {
      const cached = await openTreeReport({ root: tree, cache });
      const scratch = await openTreeReport({ root: tree, cache: false });
      expect(graphText(cached.project)).toEqual(graphText(scratch.project));
      return cached.project;
    };
    // The FNAME of width 32 now names other functions.
    edit('include/walk_tmpl.h', 'walk##32_##name', 'walk##32_##name##_v2');
    edit('walk.c', 'int walk32_step(int v)', 'int walk32_step_v2(int v)');
    expect(callees(await same(), 'walk_entry')).toEqual(['FNAME macro', 'FNAME macro', 'walk32_step_v2 direct', 'walk64_step direct']);
    // The header's class macro no longer ends with the constructor.
    edit('include/cleanup.h', '\t\tclass_##_name##_constructor\n', '\t\t(class_##_name##_constructor)\n');
    expect(callees(await same(), 'dev_bump')).toEqual(['guard macro']);
    edit('include/cleanup.h', '\t\t(class_##_name##_constructor)\n', '\t\tclass_##_name##_constructor\n');
    expect(callees(await same(), 'dev_bump')).toEqual(['class_mutex_constructor direct', 'guard macro']);
    // A new call in the calling file, and a moved one.
    edit('dev.c', '\td->count++;\n', '\td->count++;\n\tguard(mutex)(&d->lock);\n');
    edit('dev.c', 'void hook_tramp(int v);\n', 'void hook_tramp(int v);\n/* moved */\n');
    const p = await same();
    expect(graphText(p).filter((r) => r.startsWith('dev_bump@') && r.includes('class_mutex_constructor'))).toEqual([
      'dev_bump@dev.c:12 -> class_mutex_constructor@include/mutex.h:10 direct at 14',
      'dev_bump@dev.c:12 -> class_mutex_constructor@include/mutex.h:10 direct at 16',
    ]);
    // An edit that changes no fact keeps the rewritten calls in the cached facts, which call details read.
    edit('dev.c', '\td->count++;\n', '\td->count++ ;\n');
    const lazy = await openTreeReport({ root: tree, cache, facts: 'lazy' });
    const dev = lazy.project.index.fileFacts(lazy.project.index.files.findIndex((f) => f.path === 'dev.c'));
    expect(dev.functions.find((f) => f.name === 'dev_bump')!.calls.filter((c) => c.ret === 'guard').map((c) => `${c.line} ${c.name} ${c.expandsTo?.join(',')}`)).toEqual([
      '14 class_mutex_constructor class_mutex_constructor',
      '16 class_mutex_constructor class_mutex_constructor',
    ]);
  });
});
