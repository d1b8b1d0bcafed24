import { describe, expect, it } from 'vitest';
import { renderDot } from '../../src/render/dot.js';
import { picturePaths } from '../../src/render/picture/build-paths.js';
import { pictureTrees, summaryText } from '../../src/render/picture/build-tree.js';
import { lastMember } from '../../src/render/picture/edge-text.js';
import { excludeMatcher } from '../../src/render/picture/exclude.js';
import { linuxProfile } from '../../src/profiles/linux.js';
import { genericProfile } from '../../src/profiles/generic.js';
import type { EdgeRef, NodeRef, PathsResult, TreeItem, TreeResult } from '../../src/types/results.js';

const ref = (name: string, file = `${name.split('_')[0]}/${name}.c`, line = 10): NodeRef => ({ name, file, line });
const call = (from: NodeRef, to: NodeRef, kind = 'direct', extra: Partial<EdgeRef> = {}): EdgeRef => ({ from, to, kind, file: from.file, line: from.line + 1, ...extra });

/** A callees tree from nested [name, children] pairs: every name in its own file under a directory named by its prefix. */
type Spec = [string, Spec[]?];
function calleesTree([name, kids = []]: Spec): TreeResult {
  const item = (node: NodeRef, spec: Spec[]): TreeItem => ({ node, children: spec.map(([n, k = []]) => ({ ...item(ref(n), k), edge: call(node, ref(n)) })) });
  return { direction: 'callees', function: ref(name), root: item(ref(name), kids) };
}
const base = { cluster: 'none' as const, maxNodes: 150, exclude: [] as string[] };
const names = (p: { nodes: { name: string; summary?: unknown }[] }) => p.nodes.filter((n) => !n.summary).map((n) => n.name);

describe('exclude patterns', () => {
  it('match whole names with * and ?, everything else literal', () => {
    const m = excludeMatcher(['pr_*', 'WARN?', 'a.b', 'likely']);
    expect(['pr_err', 'pr_', 'WARN1', 'a.b', 'likely'].every(m)).toBe(true);
    expect(['xpr_err', 'WARN', 'WARN12', 'axb', 'unlikely', 'likely2'].some(m)).toBe(false);
  });

  it('the Linux profile declares the kernel noise; the generic profile none', () => {
    const m = excludeMatcher(linuxProfile.pictureExcludes);
    for (const n of ['printk', 'pr_err', 'dev_err', 'netdev_warn', 'WARN_ON', 'WARN_ON_ONCE', 'BUG_ON', 'lockdep_assert_held', 'might_sleep', 'likely', 'unlikely', 'trace_kfree_skb']) expect(m(n), n).toBe(true);
    for (const n of ['tcp_sendmsg', 'dev_queue_xmit', 'netdev_start_xmit', 'kfree_skb', 'spin_lock']) expect(m(n), n).toBe(false);
    expect(genericProfile.pictureExcludes).toEqual([]);
  });
});

describe('picture of a tree', () => {
  const tree = calleesTree(['top', [['a_one', [['c_deep']]], ['pr_err', [['b_only']]], ['b_two', [['c_deep'], ['b_only']]]]]);

  it('drops excluded names and what hangs only under them, and says how many', () => {
    const p = pictureTrees([calleesTree(['top', [['a_one'], ['pr_err', [['d_hang', [['d_hang2']]]]]]])], 'callees', { ...base, exclude: ['pr_*'] });
    expect(names(p)).toEqual(['top', 'a_one']);
    expect(p.caption).toBe('1 excluded by --exclude; 2 more reached only through them');
  });

  it('keeps a node reached both through an excluded one and another way', () => {
    const p = pictureTrees([tree], 'callees', { ...base, exclude: ['pr_*'] });
    // Depth, then name: b_only and c_deep are both at depth 2.
    expect(names(p)).toEqual(['top', 'a_one', 'b_two', 'b_only', 'c_deep']);
    expect(p.caption).toBe('1 excluded by --exclude');
  });

  it("counts the user's --exclude and the profile's default excludes apart, each in its own words", () => {
    const t = calleesTree(['top', [['a_one'], ['pr_err', [['d_hang']]], ['b_two'], ['pr_info']]]);
    const p = pictureTrees([t], 'callees', { ...base, exclude: ['b_*'], defaultExclude: ['pr_*'] });
    expect(names(p)).toEqual(['top', 'a_one']);
    expect(p.caption).toBe('1 excluded by --exclude; 2 left out by default (--no-default-excludes keeps them); 1 more reached only through them');
    const defaultsOnly = pictureTrees([t], 'callees', { ...base, defaultExclude: ['pr_*'] });
    expect(defaultsOnly.caption).toBe('2 left out by default (--no-default-excludes keeps them); 1 more reached only through them');
    // A name both sets match is the user's.
    expect(pictureTrees([t], 'callees', { ...base, exclude: ['pr_err'], defaultExclude: ['pr_*'] }).caption).toBe('1 excluded by --exclude; 1 left out by default (--no-default-excludes keeps them); 1 more reached only through them');
  });

  it('--max-nodes keeps direct and macro calls before pointer-call targets at the same depth, then by name', () => {
    const top = ref('top');
    const kid = (name: string, kind: string) => ({ node: ref(name), children: [], edge: call(top, ref(name), kind) });
    const t: TreeResult = {
      direction: 'callees',
      function: top,
      root: { node: top, children: [kid('z_ptr', 'ops-initializer'), kid('y_ptr', 'ops-assignment'), kid('x_direct', 'direct'), kid('w_macro', 'macro'), kid('v_direct', 'direct')] },
    };
    expect(names(pictureTrees([t], 'callees', { ...base, maxNodes: 4 }))).toEqual(['top', 'v_direct', 'x_direct', 'w_macro']);
    const p = pictureTrees([t], 'callees', { ...base, maxNodes: 5 });
    expect(names(p)).toEqual(['top', 'v_direct', 'x_direct', 'w_macro', 'z_ptr']);
    expect(p.nodes.filter((n) => n.summary).map((n) => n.summary!.text)).toEqual(['+1 callee in y/y_ptr.c']);
  });

  it('never excludes the root', () => {
    expect(names(pictureTrees([calleesTree(['pr_info', [['a_x']]])], 'callees', { ...base, exclude: ['pr_*'] }))).toEqual(['pr_info', 'a_x']);
  });

  it('cuts breadth-first at maxNodes, leaving summary nodes and a caption', () => {
    const wide = calleesTree(['top', [['a_x', [['fs_one'], ['fs_two'], ['fs_three', [['fs_four']]]]], ['b_y', [['net_z']]]]]);
    const p = pictureTrees([wide], 'callees', { ...base, maxNodes: 3 });
    expect(names(p)).toEqual(['top', 'a_x', 'b_y']);
    const summaries = p.nodes.filter((n) => n.summary);
    expect(summaries.map((n) => n.summary)).toEqual([
      { count: 4, text: '+4 callees in fs/ (4 files)' },
      { count: 1, text: '+1 callee in net/net_z.c' },
    ]);
    expect(p.nodes.filter((n) => n.cut).map((n) => n.name)).toEqual(['a_x', 'b_y']);
    const a = p.nodes.find((n) => n.name === 'a_x')!;
    expect(p.edges).toContainEqual({ id: expect.any(String), from: a.id, to: summaries[0]!.id, kind: 'summary' });
    expect(p.caption).toBe('3 of 8 nodes shown; + marks a node with callees not drawn');
    // Nothing dropped silently: shown plus summarised is everything.
    expect(3 + summaries.reduce((s, n) => s + n.summary!.count, 0)).toBe(8);
  });

  it('marks cut every shown node with a call not shown, also one whose hidden callee is summarised under another node', () => {
    // a_x and b_y both call c_shared and c_other; --max-nodes keeps neither: their summary hangs under a_x (the breadth-first parent), and b_y is cut too.
    const shared = calleesTree(['top', [['a_x', [['c_shared'], ['c_other']]], ['b_y', [['c_shared'], ['c_other']]]]]);
    const p = pictureTrees([shared], 'callees', { ...base, maxNodes: 3 });
    expect(names(p)).toEqual(['top', 'a_x', 'b_y']);
    expect(p.nodes.filter((n) => n.cut).map((n) => n.name)).toEqual(['a_x', 'b_y']);
  });

  it('marks cut a node whose every call --built-only left out (TreeItem.leftOutNotBuilt): it is no leaf of the code', () => {
    const t = calleesTree(['top', [['a_x'], ['b_y']]]);
    t.root.children[0]!.leftOutNotBuilt = 2;
    const p = pictureTrees([t], 'callees', { ...base });
    expect(p.nodes.filter((n) => n.cut).map((n) => n.name)).toEqual(['a_x']);
  });

  it('summary text names the common directory, files and external nodes', () => {
    expect(summaryText('callers', [ref('x', 'fs/ext4/a.c'), ref('y', 'fs/b.c'), { name: 'z', file: '', line: 0, external: true }])).toBe('+3 callers in fs/ (2 files, 1 external)');
    expect(summaryText('callers', [ref('x', 'fs/a.c'), ref('y', 'mm/b.c')])).toBe('+2 callers (2 files)');
    // One file is named whole: a picture clustered by file draws the summary in that file's box.
    expect(summaryText('callers', [ref('x', 'include/linux/fs.h'), ref('y', 'include/linux/fs.h')])).toBe('+2 callers in include/linux/fs.h');
    expect(summaryText('callers', [ref('x', 'include/linux/fs.h'), { name: 'z', file: '', line: 0, external: true }])).toBe('+2 callers in include/linux/fs.h (1 external)');
  });

  it('levels past depth only mark their parents as cut', () => {
    const p = pictureTrees([tree], 'callees', { ...base, depth: 1 });
    expect(names(p)).toEqual(['top', 'a_one', 'b_two', 'pr_err']);
    expect(p.nodes.filter((n) => n.cut).map((n) => n.name)).toEqual(['a_one', 'b_two', 'pr_err']);
    // A user's finding: a bare `+` after a name read as cryptic; the caption says what it marks.
    expect(p.caption).toBe('3 nodes with more callees past depth 1 (marked +)');
  });

  it('callers edges run from caller to callee; the root has its role', () => {
    const root = ref('sink');
    const caller = ref('src');
    const t: TreeResult = { direction: 'callers', function: root, root: { node: root, children: [{ node: caller, edge: call(caller, root), children: [] }] } };
    const p = pictureTrees([t], 'callers', base);
    expect(p.nodes.map((n) => [n.name, n.role])).toEqual([['sink', 'root'], ['src', undefined]]);
    expect(p.edges.map((e) => [e.from, e.to])).toEqual([['n1', 'n0']]);
    expect(p.title).toBe('callers of sink');
  });

  it('clusters by file or directory, sorted by label', () => {
    const p = pictureTrees([tree], 'callees', { ...base, cluster: 'dir' });
    expect(p.clusters.map((c) => c.label)).toEqual(['a/', 'b/', 'c/', 'pr/', 'top/']);
    expect(p.nodes.find((n) => n.name === 'b_only')!.cluster).toBe(p.clusters.find((c) => c.label === 'b/')!.id);
    expect(pictureTrees([tree], 'callees', { ...base, cluster: 'file' }).clusters.map((c) => c.label)[0]).toBe('a/a_one.c');
  });

  it('puts a summary node in the cluster of the nodes it stands for when they share one, even one no shown node is in', () => {
    const wide = calleesTree(['top', [['a_x', [['fs_one'], ['mm_two']]], ['b_y', [['net_z'], ['net_w']]]]]);
    for (const cluster of ['dir', 'file'] as const) {
      const p = pictureTrees([wide], 'callees', { ...base, maxNodes: 3, cluster });
      const summary = (text: string) => p.nodes.find((n) => n.summary?.text === text)!;
      const clusterOf = (label: string) => p.clusters.find((c) => c.label === label)?.id;
      // fs/ and mm/: no one cluster.
      expect(summary('+2 callees (2 files)').cluster).toBeUndefined();
      if (cluster === 'dir') {
        expect(clusterOf('net/')).toBeDefined();
        expect(summary('+2 callees in net/ (2 files)').cluster).toBe(clusterOf('net/'));
      } else expect(summary('+2 callees in net/ (2 files)').cluster).toBeUndefined();
    }
    const one = pictureTrees([calleesTree(['top', [['a_x', [['fs_one'], ['fs_two']]], ['b_y', [['net_z']]]]])], 'callees', { ...base, maxNodes: 3, cluster: 'file' });
    const netSummary = one.nodes.find((n) => n.summary?.text === '+1 callee in net/net_z.c')!;
    expect(netSummary.cluster).toBe(one.clusters.find((c) => c.label === 'net/net_z.c')!.id);
  });
});

describe('picture of paths', () => {
  const [s, a, b, t] = ['start', 'a_mid', 'b_mid', 'target'].map((n) => ref(n));
  const result: PathsResult = {
    paths: [
      { nodes: [s!, a!, t!], edges: [call(s!, a!, 'ops-initializer', { via: 'sock->ops->sendmsg', targets: 1312, evidence: [{ file: 'net/af.c', line: 5, text: '.sendmsg = a_mid in struct proto_ops x' }, { file: 'net/b.c', line: 9, text: '.sendmsg = a_mid in y' }] }), call(a!, t!)] },
      { nodes: [s!, b!, a!, t!], edges: [call(s!, b!), call(b!, a!, 'ops-assignment', { evidence: [{ file: 'b/x.c', line: 3, text: 'p->ops.run = a_mid in setup (struct ops)' }] }), call(a!, t!)] },
    ],
  };

  it('merges -k paths: each node and edge carries its path indexes, the legend a row per path', () => {
    const p = picturePaths(result, { cluster: 'none', via: ['b_mid'] });
    expect(p.nodes.map((n) => [n.name, n.role, n.paths])).toEqual([['start', 'start', [0, 1]], ['a_mid', undefined, [0, 1]], ['target', 'target', [0, 1]], ['b_mid', 'via', [1]]]);
    expect(p.edges.map((e) => [e.from, e.to, e.paths])).toEqual([['n0', 'n1', [0]], ['n1', 'n2', [0, 1]], ['n0', 'n3', [1]], ['n3', 'n1', [1]]]);
    expect(p.legend).toEqual([{ path: 0, calls: 2 }, { path: 1, calls: 3 }]);
    expect(p.title).toBe('start -> target, 2 paths');
  });

  it('pointer edges carry the member called and their first binding', () => {
    const p = picturePaths(result, { cluster: 'none' });
    expect(p.edges[0]).toMatchObject({ kind: 'ops-initializer', member: 'sendmsg', evidence: 'net/af.c:5 .sendmsg = a_mid in struct proto_ops x', moreEvidence: 1 });
    expect(p.edges[3]).toMatchObject({ member: 'run', evidence: 'b/x.c:3 p->ops.run = a_mid in setup (struct ops)' });
    expect(p.edges[1]).not.toHaveProperty('member');
  });

  it("a pointer edge carries how many targets its call site binds, as the text's `one of N targets`", () => {
    const p = picturePaths(result, { cluster: 'none' });
    expect(p.edges[0]).toMatchObject({ targets: 1312, via: 'sock->ops->sendmsg' });
    expect(p.edges[3]).not.toHaveProperty('targets');
    expect(renderDot(p, { rankdir: 'TB', theme: 'light' })).toContain('one of 1,312 targets of sock->ops->sendmsg');
  });

  it('says in its caption that --built-only kept the paths to built code', () => {
    expect(picturePaths(result, { cluster: 'none', builtOnly: 'arch/x86/configs/x86_64_defconfig' }).caption).toBe('through code built with arch/x86/configs/x86_64_defconfig only (--built-only)');
    expect(picturePaths(result, { cluster: 'none' }).caption).toBeUndefined();
  });

  it('member of a called expression is its last identifier', () => {
    expect([lastMember('file->f_op->write'), lastMember('ops[i].run'), lastMember('(*fn)'), lastMember('tbl[idx[i]]')]).toEqual(['write', 'run', 'fn', 'tbl']);
  });
});
