import type { Picture } from '../../src/types/picture.js';

/** The hostile names common to every picture format's tests (issue 9). */
export const HOSTILE = {
  script: '</script><script>alert(1)</script>',
  file: 'fs/"><svg onload=alert(1)>.c',
} as const;

/**
 * A two-path picture (`-k 2` shape) whose names, files, evidence, title and caption are hostile:
 * DOT keywords, a trailing backslash, angle brackets, quotes, `#`, a script end tag, a file name
 * that closes an attribute, and UTF-8. Path 0: node -> Graph -> </script>... -> STRICT (3 calls);
 * path 1: node -> café -> a\ -> <anonymous> -> "quoted" -> #hash -> STRICT (6 calls).
 */
export function hostilePicture(): Picture {
  const names = ['node', 'Graph', HOSTILE.script, 'café', 'a\\', '<anonymous>', '"quoted"', '#hash', 'STRICT'];
  const files = ['fs/read_write.c', HOSTILE.file, 'net/socket.c', 'net/café.c', 'include/x.h', 'drivers/x.c', 'drivers/x.c', 'drivers/x.c', 'drivers/net/wifi.c'];
  const paths: number[][] = [[0, 1], [0], [0], [1], [1], [1], [1], [1], [0, 1]];
  const nodes = names.map((name, i) => ({
    id: `n${i}`,
    name,
    file: files[i],
    line: 10 * (i + 1),
    paths: paths[i],
    ...(i === 0 ? { role: 'start' as const, signature: 'ssize_t node(struct file *f, const char <*buf>)' } : {}),
    ...(i === 8 ? { role: 'target' as const } : {}),
    ...(i === 4 ? { macro: true as const } : {}),
  }));
  const chain = (p: number, ids: number[]) => ids.slice(1).map((to, k) => ({ from: ids[k]!, to, p }));
  const links = [...chain(0, [0, 1, 2, 8]), ...chain(1, [0, 3, 4, 5, 6, 7, 8])];
  const edges = links.map(({ from, to, p }, i) => ({
    id: `e${i}`,
    from: `n${from}`,
    to: `n${to}`,
    kind: from === 1 ? 'ops-initializer' : from === 3 ? 'macro' : 'direct',
    file: files[from],
    line: 10 * (from + 1) + 2,
    paths: [p],
    ...(from === 1
      ? { member: 'sendmsg', evidence: `${HOSTILE.file}:7 .sendmsg = ${HOSTILE.script} in struct proto_ops "ops"`, moreEvidence: 2 }
      : {}),
  }));
  return {
    title: `node -> STRICT </title><script>alert(1)</script>`,
    kind: 'paths',
    nodes,
    edges,
    clusters: [],
    legend: [
      { path: 0, calls: 3 },
      { path: 1, calls: 6 },
    ],
    caption: `9 of 12 nodes shown; 3 excluded by --exclude ${HOSTILE.script}`,
  };
}

/** A DOT string: `"`, with `\` and `"` escaped (enough for Graphviz to read any name as text). */
const q = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * A small DOT drawing of `picture` for tests (the real DOT writer is another module): every
 * node and edge with its id, labels quoted, path edges coloured, the start node linked.
 */
export function testDot(picture: Picture): string {
  const colours = ['#0072B2', '#E69F00', '#009E73'];
  const lines = ['digraph "pathfind" {', '  graph [rankdir=LR, fontname="Helvetica", bgcolor="transparent"];', '  node [shape=box, fontname="Helvetica"];', '  edge [fontname="Helvetica"];'];
  for (const n of picture.nodes) {
    const url = n.role === 'start' ? `, URL=${q('https://example.org/start')}` : '';
    lines.push(`  ${n.id} [id=${q(n.id)}, label=${q(n.name)}, tooltip=${q(n.file ? `${n.file}:${n.line}` : n.name)}${url}];`);
  }
  for (const e of picture.edges) {
    const colour = colours[(e.paths ?? [0])[0]! % colours.length]!;
    const label = e.member ? `, label=${q(e.member)}, style=dashed, tooltip=${q(e.evidence ?? '')}` : e.kind === 'macro' ? ', style=dotted' : '';
    lines.push(`  ${e.from} -> ${e.to} [id=${q(e.id)}, color=${q(colour)}${label}];`);
  }
  lines.push('}', '');
  return lines.join('\n');
}
