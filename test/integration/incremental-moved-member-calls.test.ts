import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectSameAsFresh } from '../support/same-as-fresh.js';
import { editFile, expectResolvedInFull, indexedCopy, putFile } from '../support/edit-files.js';

/**
 * A call through a member that only one function makes, when that function is renamed or the call
 * moves to a function added: e1000e's NAPI poll e1000e_poll is the one caller of
 * `adapter->clean_rx(...)` in Linux 6.1, so renaming it took the one site reading that member out
 * of the graph, and the new site had no other to take its edges from. The removed function's site
 * read the member's bindings as the new one does: its edges serve, unless the edit changed the
 * member's bindings too. Each step is compared with a fresh index.
 */

const NAPI_H = [
  'struct nic_napi {\n\tint (*poll)(struct nic_napi *n, int budget);\n};',
  'void nic_napi_add(struct nic_napi *n, int (*poll)(struct nic_napi *n, int budget));',
  'void nic_rx_action(struct nic_napi *n);',
  '',
].join('\n');

const CORE_C = `#include <linux/nic_napi.h>

void nic_napi_add(struct nic_napi *n, int (*poll)(struct nic_napi *n, int budget))
{
\tn->poll = poll;
}

void nic_rx_action(struct nic_napi *n)
{
\tn->poll(n, 64);
}
`;

/** A driver whose poll function alone calls through its private clean_rx member, which configure sets. */
const DRV_C = `#include <linux/nic_napi.h>

struct nic_adapter {
\tstruct nic_napi napi;
\tint (*clean_rx)(struct nic_adapter *a, int *done, int budget);
\tint count;
};

struct nic_adapter *nic_of(struct nic_napi *n);

static int nic_clean_rx_irq(struct nic_adapter *a, int *done, int budget)
{
\treturn 0;
}

static int nic_clean_rx_ps(struct nic_adapter *a, int *done, int budget)
{
\treturn 1;
}

static int nic_poll(struct nic_napi *n, int budget)
{
\tstruct nic_adapter *a = nic_of(n);
\tint done = 0;

\ta->clean_rx(a, &done, budget);
\treturn done;
}

static void nic_configure(struct nic_adapter *a)
{
\tif (a->count)
\t\ta->clean_rx = nic_clean_rx_ps;
\telse
\t\ta->clean_rx = nic_clean_rx_irq;
}

void nic_probe(struct nic_adapter *a)
{
\tnic_napi_add(&a->napi, nic_poll);
\tnic_configure(a);
}
`;

const DRV = 'drivers/net/nic_drv.c';

async function tree(): Promise<{ root: string; cache: string }> {
  const { root, cache } = await indexedCopy('minikernel', 'pathfind-moved-member-', { 'include/linux/nic_napi.h': NAPI_H, 'kernel/nic_napi.c': CORE_C, [DRV]: DRV_C });
  return { root, cache };
}

/** Renames every whole word `from` in the driver to `to`. */
function rename(root: string, from: string, to: string): void {
  putFile(root, DRV, readFileSync(join(root, DRV), 'utf8').replace(new RegExp(`\\b${from}\\b`, 'g'), to));
}

/** The callees of `caller`'s edges of kind `kind` in a canonical graph. */
const callees = (graph: string[], caller: string, kind: string): string[] =>
  graph.filter((r) => r.startsWith(`edge ${caller}@`) && r.includes(` ${kind} `)).map((r) => r.replace(/^edge \S+ -> (\w+)@.*$/, '$1'));

describe('a call through a member whose one caller is renamed or moved', () => {
  it('patches the function renamed, and its name restored', async () => {
    const { root, cache } = await tree();
    rename(root, 'nic_poll', 'nic_napi_poll');
    const renamed = await expectSameAsFresh(root, cache);
    expect(callees(renamed.got, 'nic_napi_poll', 'ops-assignment').sort()).toEqual(['nic_clean_rx_irq', 'nic_clean_rx_ps']);
    expect(renamed.incremental, renamed.why).toBe(true);
    rename(root, 'nic_napi_poll', 'nic_poll');
    const restored = await expectSameAsFresh(root, cache);
    expect(restored.incremental, restored.why).toBe(true);
  });

  it('patches the function renamed with its body edited, and the call moved to a function added', async () => {
    const { root, cache } = await tree();
    rename(root, 'nic_poll', 'nic_poll_one');
    editFile(root, DRV, '\tint done = 0;\n', '\tint done = 0;\n\n\tnic_rx_action(n);\n');
    const first = await expectSameAsFresh(root, cache);
    expect(first.incremental, first.why).toBe(true);
    // The call leaves the poll function for a helper added before it.
    editFile(root, DRV, '\ta->clean_rx(a, &done, budget);\n\treturn done;', '\treturn nic_rx_helper(a, &done, budget);');
    editFile(root, DRV, 'static int nic_poll_one(', 'static int nic_rx_helper(struct nic_adapter *a, int *done, int budget)\n{\n\treturn a->clean_rx(a, done, budget);\n}\n\nstatic int nic_poll_one(');
    const second = await expectSameAsFresh(root, cache);
    expect(callees(second.got, 'nic_rx_helper', 'ops-assignment').sort()).toEqual(['nic_clean_rx_irq', 'nic_clean_rx_ps']);
    // The call left a kept function's body for a function added: the site taken out of the body lends its edges.
    expect(second.incremental, second.why).toBe(true);
  });

  it('resolves in full when the same edit changes what the member holds', async () => {
    const { root, cache } = await tree();
    rename(root, 'nic_poll', 'nic_napi_poll');
    editFile(root, DRV, '\t\ta->clean_rx = nic_clean_rx_ps;\n', '\t\ta->clean_rx = nic_clean_rx_irq;\n');
    await expectResolvedInFull(root, cache, /a call through the member clean_rx was moved \(its function renamed, or the call put elsewhere\), and the same edit changed what that member holds/);
  });
});
