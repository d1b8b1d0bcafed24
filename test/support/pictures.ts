import type { Picture, PictureEdge, PictureNode } from '../../src/types/picture.js';

/**
 * Hand-built Pictures for the picture renderers' tests, mimicking what pathfind queries give on
 * the minikernel: a path, `-k 3` merged paths, a callers tree with a summary node and cut
 * nodes, a clustered callees tree, hostile names, and a large random graph.
 */

/** `ksys_write -> vfs_write -> sock_write_iter -> inet_sendmsg (via .sendmsg) -> tcp_sendmsg`. */
export function pathPicture(): Picture {
  return {
    title: 'ksys_write -> tcp_sendmsg',
    kind: 'paths',
    nodes: [
      { id: 'n0', name: 'ksys_write', file: 'fs/read_write.c', line: 10, role: 'start' },
      { id: 'n1', name: 'vfs_write', file: 'fs/read_write.c', line: 40 },
      { id: 'n2', name: 'sock_write_iter', file: 'net/socket.c', line: 120 },
      { id: 'n3', name: 'inet_sendmsg', file: 'net/ipv4/af_inet.c', line: 80 },
      { id: 'n4', name: 'tcp_sendmsg', file: 'net/ipv4/tcp.c', line: 300, role: 'target' },
    ],
    edges: [
      { id: 'e0', from: 'n0', to: 'n1', kind: 'direct', file: 'fs/read_write.c', line: 12 },
      { id: 'e1', from: 'n1', to: 'n2', kind: 'ops-initializer', member: 'write_iter', file: 'fs/read_write.c', line: 44, evidence: 'net/socket.c:150 .write_iter = sock_write_iter' },
      { id: 'e2', from: 'n2', to: 'n3', kind: 'ops-initializer', member: 'sendmsg', file: 'net/socket.c', line: 125, evidence: 'net/ipv4/af_inet.c:1050 .sendmsg = inet_sendmsg' },
      { id: 'e3', from: 'n3', to: 'n4', kind: 'macro', file: 'net/ipv4/af_inet.c', line: 85 },
    ],
    clusters: [],
    legend: [],
  };
}

/** Three merged paths from `dev_queue_xmit` to `drv_xmit`, sharing their ends. */
export function kPathsPicture(): Picture {
  const nodes: PictureNode[] = [
    { id: 'n0', name: 'dev_queue_xmit', file: 'net/core/dev.c', line: 5, role: 'start', paths: [0, 1, 2] },
    { id: 'n1', name: 'sch_direct_xmit', file: 'net/sched/sch_generic.c', line: 9, paths: [0] },
    { id: 'n2', name: 'dev_hard_start_xmit', file: 'net/core/dev.c', line: 50, paths: [0, 1] },
    { id: 'n3', name: 'netpoll_send_skb', file: 'net/core/netpoll.c', line: 7, paths: [2] },
    { id: 'n4', name: 'drv_xmit', file: 'drivers/net/drv.c', line: 33, role: 'target', paths: [0, 1, 2] },
  ];
  const edges: PictureEdge[] = [
    { id: 'e0', from: 'n0', to: 'n1', kind: 'direct', paths: [0] },
    { id: 'e1', from: 'n0', to: 'n2', kind: 'direct', paths: [1] },
    { id: 'e2', from: 'n0', to: 'n3', kind: 'direct', paths: [2] },
    { id: 'e3', from: 'n1', to: 'n2', kind: 'direct', paths: [0] },
    { id: 'e4', from: 'n2', to: 'n4', kind: 'ops-initializer', member: 'ndo_start_xmit', paths: [0, 1] },
    { id: 'e5', from: 'n3', to: 'n4', kind: 'ops-initializer', member: 'ndo_start_xmit', paths: [2] },
  ];
  return {
    title: 'dev_queue_xmit -> drv_xmit (3 paths)',
    kind: 'paths',
    nodes,
    edges,
    clusters: [],
    legend: [
      { path: 0, calls: 3 },
      { path: 1, calls: 2 },
      { path: 2, calls: 2 },
    ],
  };
}

/** Callers of `kfree_skb`, depth 2, with a cut node, a summary node and an external caller. */
export function callersTreePicture(): Picture {
  return {
    title: 'callers of kfree_skb',
    kind: 'callers',
    nodes: [
      { id: 'n0', name: 'kfree_skb', file: 'net/core/skbuff.c', line: 700, role: 'root' },
      { id: 'n1', name: 'tcp_drop', file: 'net/ipv4/tcp_input.c', line: 40, cut: true },
      { id: 'n2', name: 'net_rx_action', file: 'net/core/dev.c', line: 900 },
      { id: 'n3', name: 'ext_helper', external: true },
      { id: 'n4', name: 'KFREE', file: 'include/linux/skbuff.h', line: 12, macro: true },
      { id: 'n5', name: '', summary: { count: 37, text: '+37 callers in fs/ (12 files)' } },
    ],
    edges: [
      { id: 'e0', from: 'n1', to: 'n0', kind: 'direct' },
      { id: 'e1', from: 'n2', to: 'n0', kind: 'callback-arg', member: 'poll', deferred: true },
      { id: 'e2', from: 'n3', to: 'n0', kind: 'direct' },
      { id: 'e3', from: 'n4', to: 'n0', kind: 'macro' },
      { id: 'e4', from: 'n5', to: 'n1', kind: 'summary' },
    ],
    clusters: [],
    legend: [],
    caption: '6 of 43 nodes shown',
  };
}

/** Callees of `sys_sendto`, clustered by directory. */
export function clusteredPicture(): Picture {
  return {
    title: 'callees of sys_sendto',
    kind: 'callees',
    nodes: [
      { id: 'n0', name: 'sys_sendto', file: 'net/socket.c', line: 2000, role: 'root', cluster: 'c1' },
      { id: 'n1', name: 'sock_sendmsg', file: 'net/socket.c', line: 700, cluster: 'c1' },
      { id: 'n2', name: 'inet_sendmsg', file: 'net/ipv4/af_inet.c', line: 80, cluster: 'c2' },
      { id: 'n3', name: 'security_socket_sendmsg', file: 'security/security.c', line: 10, cluster: 'c3' },
    ],
    edges: [
      { id: 'e0', from: 'n0', to: 'n1', kind: 'direct' },
      { id: 'e1', from: 'n1', to: 'n2', kind: 'ops-initializer', member: 'sendmsg' },
      { id: 'e2', from: 'n1', to: 'n3', kind: 'direct' },
    ],
    clusters: [
      { id: 'c1', label: 'net/' },
      { id: 'c2', label: 'net/ipv4/' },
      { id: 'c3', label: 'security/' },
    ],
    legend: [],
  };
}

/** Names that break naive writers of DOT, Mermaid, SVG or HTML (see docs in common standards). */
export const HOSTILE_NAMES = [
  'node',
  'Graph',
  'STRICT',
  'end',
  'a\\',
  '<anonymous>',
  '"quoted"',
  '#hash',
  '#quot;',
  '</script><script>alert(1)</script>',
  '`**bold**`',
  '%%{init: {"securityLevel": "loose"}}%%',
  'café',
  'x;y',
  'a|b',
];

/** A file name holding markup. */
export const HOSTILE_FILE = 'drivers/"><svg onload=alert(1)>/x.c';

/** A path through one node per hostile name, clustered by the hostile file, with hostile members. */
export function hostilePicture(): Picture {
  const nodes: PictureNode[] = HOSTILE_NAMES.map((name, i) => ({
    id: `n${i}`,
    name,
    file: i % 2 ? HOSTILE_FILE : 'fs/café.c',
    line: i + 1,
    ...(i === 0 ? { role: 'start' as const } : {}),
    cluster: i % 2 ? 'c0' : 'c1',
  }));
  const edges: PictureEdge[] = nodes.slice(1).map((n, i) => ({
    id: `e${i}`,
    from: `n${i}`,
    to: n.id,
    kind: i % 2 ? 'ops-initializer' : 'direct',
    ...(i % 2 ? { member: HOSTILE_NAMES[i] } : {}),
  }));
  return {
    title: HOSTILE_NAMES.join(' -> '),
    kind: 'paths',
    nodes,
    edges,
    clusters: [
      { id: 'c0', label: HOSTILE_FILE },
      { id: 'c1', label: 'fs/café.c' },
    ],
    legend: [],
    caption: '<b>#1</b> "cut" %%{init}%%',
  };
}

/** A deterministic pseudo-random callees graph: `nodeCount` nodes, `edgeCount` edges, a tree plus extra edges. */
export function largePicture(nodeCount: number, edgeCount: number): Picture {
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const nodes: PictureNode[] = Array.from({ length: nodeCount }, (_, i) => ({
    id: `n${i}`,
    name: `function_number_${i}`,
    file: `dir${i % 7}/file${i % 13}.c`,
    line: i + 1,
    ...(i === 0 ? { role: 'root' as const } : {}),
  }));
  const seen = new Set<string>();
  const edges: PictureEdge[] = [];
  const add = (from: number, to: number): void => {
    if (from === to || seen.has(`${from} ${to}`)) return;
    seen.add(`${from} ${to}`);
    edges.push({ id: `e${edges.length}`, from: `n${from}`, to: `n${to}`, kind: edges.length % 3 ? 'direct' : 'ops-initializer', member: 'op' });
  };
  for (let i = 1; i < nodeCount; i++) add(rand(i), i);
  while (edges.length < edgeCount) add(rand(nodeCount), rand(nodeCount));
  return { title: `callees of function_number_0`, kind: 'callees', nodes, edges, clusters: [], legend: [] };
}

/** Odd but legal shapes: a recursive call (self-loop), a nameless node, two edges between one pair. */
export function oddPicture(): Picture {
  return {
    title: 'callees of rec',
    kind: 'callees',
    nodes: [
      { id: 'n0', name: 'rec', file: 'a.c', line: 1, role: 'root' },
      { id: 'n1', name: '' },
    ],
    edges: [
      { id: 'e0', from: 'n0', to: 'n0', kind: 'direct' },
      { id: 'e1', from: 'n0', to: 'n1', kind: 'signature', member: '' },
      { id: 'e2', from: 'n0', to: 'n1', kind: 'direct', deferred: true },
    ],
    clusters: [],
    legend: [],
  };
}

/** A picture with nothing in it (every node excluded). */
export function emptyPicture(): Picture {
  return { title: '', kind: 'callers', nodes: [], edges: [], clusters: [], legend: [] };
}
