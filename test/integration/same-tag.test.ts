import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTree, openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { compareWithFresh } from '../support/edit-files.js';
import { explainEdge } from '../../src/api/explain.js';
import type { Project } from '../../src/api/project.js';

/**
 * Struct tags defined by several drivers (fixtures/sametag), as e1000, e1000e, igb and igbvf each
 * define `struct e1000_hw` and `struct e1000_mac_operations` in Linux: a member call binds the
 * functions stored into the member of the definition its own file sees through its includes, not
 * every driver's functions stored into a member of that name.
 */
const ROOT = 'fixtures/sametag';

/** The functions `caller` calls, as `name (file)`, sorted. */
const calleesOf = (p: Project, caller: string): string[] =>
  p
    .tree(caller, 1, 'callees')
    .flatMap((t) => t.root.children.map((c) => `${c.node.name} (${c.node.file})`))
    .sort();

describe('a struct tag several drivers define', () => {
  it('binds a member call to the stores into the definition its file sees', async () => {
    const p = await openTree({ root: ROOT });
    expect(calleesOf(p, 'alpha_has_link')).toEqual(['alpha_check_for_link (drivers/net/alpha/alpha_mac.c)']);
    expect(calleesOf(p, 'alpha_reset')).toEqual(['alpha_reset_hw (drivers/net/alpha/alpha_mac.c)']);
    expect(calleesOf(p, 'beta_has_link')).toEqual(['beta_check_for_link (drivers/net/beta/beta_mac.c)']);
    // A definition in a .c file is its own: gamma.c's, not a header's.
    expect(calleesOf(p, 'gamma_has_link')).toEqual(['gamma_check_for_link (drivers/net/gamma/gamma.c)']);
    // Another folder's file that includes alpha's header sees alpha's definition.
    expect(calleesOf(p, 'gamma_glue_link')).toEqual(['alpha_check_for_link (drivers/net/alpha/alpha_mac.c)']);
  });

  // A user's finding on Linux 6.1: `curr->sched_class->task_tick(...)` in kernel/sched/core.c bound nothing, as the
  // member's tag was taken as include/linux/sched.h sees it (no definition) and so as cxgb4's `struct sched_class`.
  it("takes a member's tag as the calling file sees it when the struct's own header sees no definition of it", async () => {
    const p = await openTree({ root: ROOT });
    const kinds = (caller: string): string[] => p.tree(caller, 1, 'callees').flatMap((t) => t.root.children.map((c) => `${c.node.name} ${c.edge!.kind}`));
    expect(kinds('scheduler_tick')).toEqual(['task_tick_fair ops-initializer']);
    expect(kinds('enqueue_task')).toEqual(['enqueue_task_fair ops-initializer']);
    expect(kinds('delta_bind')).toEqual(['delta_bind_queue ops-initializer']);
  });

  it("reads a positional initializer in the order of the definition its file sees", async () => {
    const p = await openTree({ root: ROOT });
    expect(calleesOf(p, 'beta_probe')).toEqual(['beta_init_params (drivers/net/beta/beta_mac.c)', 'beta_reset_hw (drivers/net/beta/beta_mac.c)']);
  });

  it('shows the tag in evidence as written', async () => {
    const p = await openTree({ root: ROOT, facts: true });
    const edge = explainEdge(p, 'beta_has_link', 'beta_check_for_link').edges[0]!;
    expect((edge.evidence ?? []).map((e) => `${e.file}:${e.line} ${e.text}`)).toEqual(['drivers/net/beta/beta_mac.c:22 .check_for_link = beta_check_for_link (positional) in struct nic_mac_ops beta_mac_ops']);
  });
});

describe('edits that change which definition of a tag a file sees', () => {
  /** Edits a private copy of the fixture after indexing it with a cache; the graph opened through the cache equals a fresh one. */
  async function edited(edit: (root: string) => void): Promise<{ cached: Project; why: string }> {
    const { dir, root } = copyFixture('sametag', 'pathfind-sametag-');
    const cache = join(dir, 'cache');
    await openTreeReport({ root, cache });
    edit(root);
    const r = await compareWithFresh(root, cache);
    expect(r.got).toEqual(r.want);
    return { cached: await openTree({ root, cache }), why: r.why };
  }
  const replace = (root: string, file: string, from: string, to: string): void => {
    const path = join(root, file);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(from);
    writeFileSync(path, text.replace(from, to));
  };

  it('an #include line that brings another definition in: resolved in full, and the call binds the other driver', async () => {
    const { cached, why } = await edited((root) => replace(root, 'drivers/net/gamma/gamma_glue.c', '../alpha/alpha_hw.h', '../beta/beta_hw.h'));
    expect(calleesOf(cached, 'gamma_glue_link')).toEqual(['beta_check_for_link (drivers/net/beta/beta_mac.c)']);
    expect(why).toContain('which definition of a struct tag several files define it sees');
  });

  it('an initializer edited in one driver: patched, the other driver untouched', async () => {
    const { cached } = await edited((root) => replace(root, 'drivers/net/alpha/alpha_mac.c', '.reset_hw = alpha_reset_hw', '.reset_hw = alpha_check_for_link'));
    expect(calleesOf(cached, 'alpha_reset')).toEqual(['alpha_check_for_link (drivers/net/alpha/alpha_mac.c)']);
    expect(calleesOf(cached, 'beta_probe')).toEqual(['beta_init_params (drivers/net/beta/beta_mac.c)', 'beta_reset_hw (drivers/net/beta/beta_mac.c)']);
  });

  it("a driver's definition removed: the tag is no longer split", async () => {
    const { cached } = await edited((root) => replace(root, 'drivers/net/gamma/gamma.c', 'struct nic_mac_ops {\n\tint (*check_for_link)(void *priv);\n};\n', '#include "../alpha/alpha_hw.h"\n'));
    expect(calleesOf(cached, 'gamma_has_link')).toEqual(['alpha_check_for_link (drivers/net/alpha/alpha_mac.c)', 'gamma_check_for_link (drivers/net/gamma/gamma.c)']);
  });
});
