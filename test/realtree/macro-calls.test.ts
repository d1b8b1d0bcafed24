import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { openTree, type Project } from '../../src/index.js';

/**
 * The real-kernel tier for calls of what a macro invocation expands to (PATHFIND_LINUX: an
 * unpacked Linux 6.1 tree): `guard(mutex)(&ops_mutex)` calls class_mutex_constructor, which
 * DEFINE_GUARD(mutex, ...) defines through DEFINE_CLASS; `FNAME(walk_addr_generic)(...)` in
 * paging_tmpl.h calls one name per definition of FNAME.
 */
const tree = process.env.PATHFIND_LINUX;

describe.skipIf(!tree)('Linux 6.1 calls of macro expansions', () => {
  let project: Project;

  /** Under the x86_64 defconfig model; with dynamic ftrace set (the guard call sits under `#ifdef CONFIG_DYNAMIC_FTRACE`). */
  let traced: Project;
  const paths = ['kernel/trace/ftrace.c', 'include', 'arch/x86/include', 'arch/x86/kvm/mmu'];

  beforeAll(async () => {
    project = await openTree({ root: tree!, paths, jobs: 2, cache: false, facts: true });
    const config = join(mkdtempSync(join(tmpdir(), 'pathfind-ftrace-config-')), '.config');
    writeFileSync(config, 'CONFIG_64BIT=y\nCONFIG_X86_64=y\nCONFIG_FUNCTION_TRACER=y\nCONFIG_DYNAMIC_FTRACE=y\n');
    traced = await openTree({ root: tree!, paths, jobs: 2, cache: false, facts: true, config });
  }, 600_000);

  it('guard(mutex)(&ops_mutex) in ftrace_ops_init calls class_mutex_constructor, defined by DEFINE_GUARD in mutex.h', () => {
    const { paths: found } = traced.findPaths({ start: 'ftrace_ops_init', target: 'class_mutex_constructor', maxDepth: 1 });
    expect(found.map((p) => `${p.edges[0]!.from.name} -> ${p.edges[0]!.to.name} ${p.edges[0]!.kind} ${p.edges[0]!.to.file}`)).toEqual(['ftrace_ops_init -> class_mutex_constructor direct include/linux/mutex.h']);
  });

  it('leaves that call out under the defconfig, which does not set CONFIG_DYNAMIC_FTRACE, and explain says so', () => {
    expect(project.findPaths({ start: 'ftrace_ops_init', target: 'class_mutex_constructor', maxDepth: 1 }).paths).toEqual([]);
    expect(explainEdge(project, 'ftrace_ops_init', 'class_mutex_constructor').leftOut?.map((l) => `${l.file} ${l.call} ${l.cond}`)).toEqual(['kernel/trace/ftrace.c class_mutex_constructor defined(CONFIG_DYNAMIC_FTRACE)']);
  });

  it('FNAME(...)(...) in paging_tmpl.h calls the paging64_, paging32_ and ept_ names', () => {
    const file = project.index.files.findIndex((f) => f.path === 'arch/x86/kvm/mmu/paging_tmpl.h');
    const calls = project.index.fileFacts(file).functions.flatMap((f) => f.calls).filter((c) => c.ret === 'FNAME');
    expect(calls.length).toBeGreaterThan(10);
    for (const c of calls) {
      // Three names, one per width, for the same function.
      expect(c.expandsTo).toHaveLength(3);
      expect(new Set(c.expandsTo!.map((n) => n.replace(/^(?:paging64|paging32|ept)_/, ''))).size).toBe(1);
    }
    expect(calls.some((c) => c.expandsTo?.join(' ') === 'ept_walk_addr_generic paging32_walk_addr_generic paging64_walk_addr_generic')).toBe(true);
  });
});
