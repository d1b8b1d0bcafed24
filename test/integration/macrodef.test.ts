import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { openTree, openTreeReport, type Project } from '../../src/index.js';
import type { Extractor } from '../../src/parse/file-parser.js';
import { calleeKinds as callees, edgeEvidence as evidence } from '../support/callees.js';
import { copyFixture } from '../support/fixtures.js';

/**
 * fixtures/macrodef: functions and objects defined by macros (issue 12, kind 6), in the file that
 * defines the macro (getter) and in a header (ops): token pasting, an initializer after the
 * invocation, nested definers, an initializer macro in a definer, and an unknown macro.
 */
const fixture = (name: string): string => join(import.meta.dirname, '../../fixtures/macrodef', name);
const open = (name: string, extractor: Extractor = 'scan'): Promise<Project> => openTree({ root: fixture(name), jobs: 1, cache: false, extractor });

/** Every function of the tree, `name file:line`, sorted. */
function functions(p: Project): string[] {
  const out: string[] = [];
  for (let n = 0; n < p.index.nodeCount; n++) if (!p.index.isExternal(n) && !p.index.isMacro(n)) out.push(`${p.index.name(n)} ${p.index.file(n)}:${p.index.nodeLine[n]}`);
  return out.sort();
}

describe.each(['scan', 'tree-sitter'] as const)('definitions made by macros (%s)', (extractor) => {
  it('makes the function a macro defines with ##, with the calls of its body, at the invocation', async () => {
    const p = await open('getter', extractor);
    expect(functions(p)).toEqual(['knob_set_int knob.c:4', 'parse_int knob.c:6', 'show knob.c:5']);
    expect(callees(p, 'show')).toEqual(['knob_set_int direct']);
    expect(callees(p, 'knob_set_int')).toEqual(['parse_int direct']);
  });

  it('binds pointer calls to functions and objects a header macro defines, through nested definers and initializer macros', async () => {
    const p = await open('ops', extractor);
    expect(callees(p, 'vfs_open_file')).toEqual(['alpha_open ops-initializer', 'beta_open ops-initializer', 'stats_open ops-initializer']);
    expect(callees(p, 'stats_open')).toEqual(['seq_single_open direct', 'stats_show callback-arg']);
    expect(callees(p, 'run_work')).toEqual(['flush_fn ops-initializer']);
    expect(callees(p, 'pick_next')).toEqual(['pick_idle ops-initializer']);
    expect(evidence(p, 'vfs_open_file', 'stats_open')).toEqual(['stats.c:4 .open = stats_open in struct file_operations stats_fops']);
    expect(evidence(p, 'run_work', 'flush_fn')).toEqual(['stats.c:11 .func = flush_fn in struct work_struct flush_work']);
    expect(evidence(p, 'pick_next', 'pick_idle')).toEqual(['stats.c:17 .pick = pick_idle in struct task_class idle_task_class']);
  });

  it('reads an initializer after an invocation across its lines and directives, each store at its own line', async () => {
    // `DEFINE_SCHED_CLASS(fair) = { ... #ifdef CONFIG_SMP ... #endif .task_tick = task_tick_fair, ... };` in kernel/sched/fair.c.
    const p = await open('ops', extractor);
    expect(callees(p, 'put_prev')).toEqual(['put_idle ops-initializer']);
    expect(callees(p, 'balance_cpu')).toEqual(['balance_idle ops-initializer']);
    expect(evidence(p, 'put_prev', 'put_idle')).toEqual(['stats.c:21 .put = put_idle in struct task_class idle_task_class']);
    expect(evidence(p, 'balance_cpu', 'balance_idle')).toEqual(['stats.c:19 .balance = balance_idle in struct task_class idle_task_class']);
  });

  it('makes nothing for an invocation whose macro is defined nowhere, and names the definer of what it makes', async () => {
    const p = await openTree({ root: fixture('ops'), jobs: 1, cache: false, extractor, facts: true });
    const stats = p.index.fileFacts(p.index.files.findIndex((f) => f.path === 'stats.c'));
    expect(stats.functions.map((f) => `${f.name}${f.definer ? ` by ${f.definer}` : ''}`)).toEqual([
      'stats_show', 'stats_open by MAKE_SHOW_OPS', 'alpha_show', 'beta_show', 'alpha_open by MAKE_SHOW_PAIR', 'beta_open by MAKE_SHOW_PAIR', 'flush_fn', 'pick_idle', 'put_idle', 'balance_idle',
    ]);
    expect(stats.globals.map((g) => `${g.name}: ${g.type}`).sort()).toEqual([
      'alpha_fops: struct file_operations', 'beta_fops: struct file_operations', 'flush_work: struct work_struct', 'idle_task_class: struct task_class', 'stats_fops: struct file_operations',
    ]);
  });
});

describe('definitions made by macros, cached', () => {
  it('keeps the expansions through the cache and follows an edit of the defining header', async () => {
    const { dir, root } = copyFixture('macrodef/ops', 'pathfind-macrodef-');
    const cache = join(dir, 'cache');
    const cold = await openTreeReport({ root, cache });
    expect(callees(cold.project, 'run_work')).toEqual(['flush_fn ops-initializer']);
    // The graph cache, then the facts cache read lazily for call details.
    const warm = await openTreeReport({ root, cache, facts: 'lazy' });
    expect(warm.report.fromGraphCache).toBe(true);
    const explained = explainEdge(warm.project, 'stats_open', 'seq_single_open');
    expect(explained.edges.map((e) => `${e.file}:${e.line}`)).toEqual(['stats.c:4']);
    expect(explainEdge(warm.project, 'stats_open', 'stats_show').unresolved).toEqual([]);
    // Lines moved in the invoking file: the expansions move with the invocation.
    const stats = join(root, 'stats.c');
    writeFileSync(stats, `/* moved */\n${readFileSync(stats, 'utf8')}`);
    const moved = await openTreeReport({ root, cache });
    expect(evidence(moved.project, 'run_work', 'flush_fn')).toEqual(['stats.c:12 .func = flush_fn in struct work_struct flush_work']);
    // The header's initializer macro no longer stores the function: the binding goes.
    const header = join(root, 'include/seqops.h');
    writeFileSync(header, readFileSync(header, 'utf8').replace('.func = (f),', '.data = 1,'));
    const edited = await openTreeReport({ root, cache });
    expect(callees(edited.project, 'run_work')).toEqual([]);
    expect(callees(edited.project, 'vfs_open_file')).toEqual(['alpha_open ops-initializer', 'beta_open ops-initializer', 'stats_open ops-initializer']);
  });
});

describe('definitions made by macros, both extractors', () => {
  it('gives the same expanded facts with the scanner and with tree-sitter', async () => {
    for (const name of ['getter', 'ops']) {
      const facts = async (extractor: Extractor) => {
        const p = await openTree({ root: fixture(name), jobs: 1, cache: false, extractor, facts: true });
        return p.index.files.map((_, i) => {
          const f = p.index.fileFacts(i);
          return JSON.stringify({ path: f.path, functions: f.functions, globals: f.globals, bindings: f.bindings, invocations: f.invocations, bodies: f.macros.map((m) => m.body ?? null) });
        });
      };
      expect(await facts('tree-sitter')).toEqual(await facts('scan'));
    }
  });
});
