import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeStats, openTree, UsageError } from '../../src/index.js';

const minikernel = join(import.meta.dirname, '../../fixtures/minikernel');
const small = join(import.meta.dirname, '../../fixtures/external');

/** The headline query, written for the minikernel: driver-ops.h (where drv_wake_tx_queue is defined) left out. */
const headlinePaths = ['fs/read_write.c', 'net/socket.c', 'net/ipv4', 'net/core', 'net/mac80211/tx.c', 'net/mac80211/iface.c', 'net/mac80211/ieee80211_i.h', 'include'];

describe('functions called but defined in no indexed file (external nodes)', () => {
  it('finds the path to a target defined outside the paths given, ending in an external leaf', async () => {
    const project = await openTree({ root: minikernel, paths: headlinePaths });
    const { paths } = project.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue' });
    expect(paths).toHaveLength(1);
    const nodes = paths[0]!.nodes;
    expect(nodes[0]).toMatchObject({ name: 'ksys_write', file: 'fs/read_write.c' });
    expect(nodes[0]!.external).toBeUndefined();
    expect(nodes[nodes.length - 1]).toMatchObject({ name: 'drv_wake_tx_queue', external: true });
    const last = paths[0]!.edges[paths[0]!.edges.length - 1]!;
    expect(last).toMatchObject({ from: { name: 'schedule_and_wake_txq', file: 'net/mac80211/tx.c' }, to: { name: 'drv_wake_tx_queue', external: true }, kind: 'direct', file: 'net/mac80211/tx.c', line: 96 });
    // The same chain as the whole tree gives, but for the last node's definition.
    const whole = (await openTree({ root: minikernel })).findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue' });
    expect(whole.paths[0]!.nodes.map((n) => n.name)).toEqual(nodes.map((n) => n.name));
    expect(whole.paths[0]!.nodes[nodes.length - 1]).toMatchObject({ file: 'net/mac80211/driver-ops.h' });
    expect(whole.paths[0]!.nodes[nodes.length - 1]!.external).toBeUndefined();
  });

  it('answers callers of an external function, and its callees as an empty tree', async () => {
    const project = await openTree({ root: minikernel, paths: headlinePaths });
    const [callers] = project.tree('drv_wake_tx_queue', 2, 'callers');
    expect(callers!.function).toMatchObject({ name: 'drv_wake_tx_queue', external: true });
    expect(callers!.root.children.map((c) => c.node.name)).toEqual(['schedule_and_wake_txq']);
    expect(callers!.root.children[0]!.children.map((c) => c.node.name)).toEqual(['ieee80211_open', 'ieee80211_queue_skb']);
    const [callees] = project.tree('drv_wake_tx_queue', 3, 'callees');
    expect(callees!.function.external).toBe(true);
    expect(callees!.root.children).toEqual([]);
    // A function defined in the indexed files shows its external callees as leaves.
    const [tx] = project.tree('schedule_and_wake_txq', 3, 'callees');
    expect(tx!.root.children.map((c) => [c.node.name, c.node.external, c.children.length])).toEqual([['drv_wake_tx_queue', true, 0]]);
  });

  it('takes an external function as start, --via and --avoid', async () => {
    const project = await openTree({ root: minikernel, paths: headlinePaths });
    expect(project.findPaths({ start: 'drv_wake_tx_queue', target: 'ksys_write' }).paths).toEqual([]);
    const via = project.findPaths({ start: 'ieee80211_subif_start_xmit', target: 'drv_wake_tx_queue', via: ['drv_wake_tx_queue'] });
    expect(via.paths).toHaveLength(1);
    expect(project.findPaths({ start: 'ksys_write', target: 'schedule_and_wake_txq', avoid: ['drv_wake_tx_queue'] }).paths).toHaveLength(1);
    expect(project.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue', avoid: ['schedule_and_wake_txq'] }).paths).toEqual([]);
  });

  it('makes external nodes of plain calls only: not builtins, pointer variables, parameters, macro aliases or type names', async () => {
    const project = await openTree({ root: small });
    const externals = (n: string) => project.nodes(n).map((id) => project.index.isExternal(id));
    expect(externals('ext_log')).toEqual([true]);
    expect(externals('ext_scale')).toEqual([true]);
    expect(externals('lib_double')).toEqual([false]);
    for (const name of ['__builtin_expect', 'event_hook', 'op', 'cb', 'twice', 'u8_t']) expect(() => project.nodes(name)).toThrow(UsageError);
    const [run] = project.tree('run', 1, 'callees');
    // `op(x)` goes through a local pointer initialised with local_helper: bound to it by that store.
    expect(run!.root.children.map((c) => `${c.node.name}${c.node.external ? ' (external)' : ''} ${c.edge!.kind}:${c.edge!.line}`)).toEqual(['ext_log (external) direct:20', 'lib_double direct:16', 'local_helper ops-initializer:18']);
    // With lib.c left out, lib_double is external too, and ext_scale is no longer called at all.
    const part = await openTree({ root: small, paths: ['main.c'] });
    expect(part.nodes('lib_double').map((id) => part.index.isExternal(id))).toEqual([true]);
    expect(() => part.nodes('ext_scale')).toThrow(/unknown function 'ext_scale'/);
    expect(() => part.nodes('twice')).toThrow(UsageError);
  });

  it('counts external functions apart in stats', async () => {
    const stats = computeStats(await openTree({ root: small, facts: true }));
    expect(stats.functions).toBe(6);
    expect(stats.external).toBe(2);
    const part = computeStats(await openTree({ root: small, paths: ['main.c'], facts: true }));
    expect(part.functions).toBe(5);
    expect(part.external).toBe(2);
  });

  it('keeps external nodes and their edges through the graph cache', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const cache = mkdtempSync(join(tmpdir(), 'pathfind-ext-'));
    const fresh = await openTree({ root: minikernel, paths: headlinePaths, cache });
    const cached = await openTree({ root: minikernel, paths: headlinePaths, cache });
    const query = { start: 'ksys_write', target: 'drv_wake_tx_queue' };
    expect(cached.findPaths(query)).toEqual(fresh.findPaths(query));
    expect(cached.tree('drv_wake_tx_queue', 2, 'callers')).toEqual(fresh.tree('drv_wake_tx_queue', 2, 'callers'));
  });
});
