import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliOn, runCli } from '../support/run-cli.js';

/** The files of the headline query, written for the minikernel: driver-ops.h, which defines drv_wake_tx_queue, left out. */
const paths = ['fs/read_write.c', 'net/socket.c', 'net/ipv4', 'net/core', 'net/mac80211/tx.c', 'net/mac80211/iface.c', 'net/mac80211/ieee80211_i.h', 'include'];

const pathfind = cliOn('minikernel');

const hint = 'pathfind: note: drv_wake_tx_queue is external: defined in none of the indexed files (its definition lies outside the paths given)\n';

describe('external functions on the command line', () => {
  it('traces ksys_write to drv_wake_tx_queue with its file left out, marking the external leaf', () => {
    const r = pathfind('-s', 'ksys_write', '-t', 'drv_wake_tx_queue', ...paths);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(hint);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('ksys_write  defined at fs/read_write.c:75');
    expect(lines[lines.length - 2]).toMatch(/└─ schedule_and_wake_txq  net\/mac80211\/tx\.c:28$/);
    expect(lines[lines.length - 1]).toMatch(/└─ drv_wake_tx_queue \(external\)  net\/mac80211\/tx\.c:96$/);
  });

  it('marks it in JSON: external, without file and line', () => {
    const r = pathfind('-s', 'ksys_write', '-t', 'drv_wake_tx_queue', '--format', 'json', ...paths);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(hint);
    const json = JSON.parse(r.stdout) as { paths: { nodes: Record<string, unknown>[]; edges: Record<string, unknown>[] }[] };
    const { nodes, edges } = json.paths[0]!;
    expect(nodes[0]).toEqual({ name: 'ksys_write', file: 'fs/read_write.c', line: 75 });
    expect(nodes[nodes.length - 1]).toEqual({ name: 'drv_wake_tx_queue', external: true });
    expect(edges[edges.length - 1]).toEqual({ from: { name: 'schedule_and_wake_txq', file: 'net/mac80211/tx.c', line: 94 }, to: { name: 'drv_wake_tx_queue', external: true }, kind: 'direct', file: 'net/mac80211/tx.c', line: 96 });
  });

  it('prints an external root with the marker: callees empty, callers found', () => {
    const callees = pathfind('callees', 'drv_wake_tx_queue', ...paths);
    expect(callees.code).toBe(0);
    expect(callees.stdout).toBe('drv_wake_tx_queue  (external: not defined in the indexed files)\n');
    expect(callees.stderr).toBe(hint);
    const callers = pathfind('callers', 'drv_wake_tx_queue', '--depth', '1', '--format', 'json', ...paths);
    expect(callers.code).toBe(0);
    const json = JSON.parse(callers.stdout) as { direction: string; trees: { function: unknown; edges: unknown[] }[] };
    expect(json.direction).toBe('callers');
    expect(json.trees).toHaveLength(1);
    expect(json.trees[0]!.function).toEqual({ name: 'drv_wake_tx_queue', external: true });
    expect(json.trees[0]!.edges).toEqual([{ from: { name: 'schedule_and_wake_txq', file: 'net/mac80211/tx.c', line: 94 }, to: { name: 'drv_wake_tx_queue', external: true }, kind: 'direct', file: 'net/mac80211/tx.c', line: 96 }]);
    // A tree rooted at a defined function marks its external leaves without a note.
    const tx = pathfind('callees', 'schedule_and_wake_txq', ...paths);
    expect(tx.stdout).toBe('schedule_and_wake_txq  defined at net/mac80211/tx.c:94\n└─ drv_wake_tx_queue (external)  net/mac80211/tx.c:96\n');
    expect(tx.stderr).toBe('');
  });

  it('says that a function is external only to callers none of whose definitions they see, when each is static to its file', () => {
    const root = mkdtempSync(join(tmpdir(), 'pathfind-static-'));
    writeFileSync(join(root, 'a.c'), 'void a_top(void)\n{\n\thelper();\n}\n');
    writeFileSync(join(root, 'b.c'), 'static void helper(void)\n{\n}\n\nvoid b_top(void)\n{\n\thelper();\n}\n');
    writeFileSync(join(root, 'c.c'), 'static void helper(void)\n{\n}\n');
    const r = runCli('--no-cache', '-q', '-C', root, 'callers', 'helper');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^helper {2}\(external: not defined in the indexed files\) {2}called by:\n└─ a_top/m);
    expect(r.stderr).toBe('pathfind: note: helper is external where it is called from files that see none of its definitions: each is static to its file (b.c, c.c)\n');
  });

  it('counts external functions in stats, and still rejects a name neither defined nor called', () => {
    const stats = pathfind('stats', ...paths);
    expect(stats.stdout).toMatch(/\nexternal functions\s+\d+\n/);
    const json = JSON.parse(pathfind('stats', '--json', ...paths).stdout) as { external: number };
    expect(json.external).toBeGreaterThan(0);
    const bad = pathfind('-s', 'ksys_write', '-t', 'ieee80211_no_such_fn', ...paths);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^pathfind: unknown function 'ieee80211_no_such_fn'/);
  });
});

describe('other names of a function on the command line', () => {
  // A user's finding: `-s __x64_sys_sendto` printed a path from sys_sendto with no word of the name asked.
  it('says which function a definer macro\'s other name stands for, in paths, trees and explain', () => {
    const note = 'pathfind: note: __x64_sys_write is sys_write (fs/read_write.c:95): a definer macro defines it under both names\n';
    const path = pathfind('-s', '__x64_sys_write', '-t', 'vfs_write');
    expect(path.code).toBe(0);
    expect(path.stderr).toBe(note);
    expect(path.stdout.split('\n')[0]).toBe('sys_write  defined at fs/read_write.c:95');
    expect(pathfind('callees', '__x64_sys_write', '--depth', '1').stderr).toBe(note);
    expect(pathfind('explain', '__x64_sys_write', 'ksys_write').stderr).toBe(note);
    // The name itself: no note.
    expect(pathfind('-s', 'sys_write', '-t', 'vfs_write').stderr).toBe('');
  });
});
