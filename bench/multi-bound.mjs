// Measures how precisely calls by name bind: the share of call sites by name, in the functions of
// central kernel files, that bind to more than one definition (issue 11's measure), and the same
// over the whole tree. Usage: node bench/multi-bound.mjs TREE [--cache DIR] [--config FILE]
// Prints one line per file and the totals; `--json` prints them as JSON.
import { EDGE_KINDS, openTree } from '../dist/index.js';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const cache = opt('--cache');
const config = opt('--config');
const json = args.includes('--json');
// --names: also the called names behind the multi-bound sites of the central files, most frequent first.
const names = args.includes('--names');
const tree = args.find((a) => !a.startsWith('--'));
if (!tree) {
  console.error('usage: node bench/multi-bound.mjs TREE [--cache DIR] [--config FILE] [--json]');
  process.exit(2);
}

// Central files of Linux 6.1: the core of networking, scheduling, memory, block and one driver.
const CENTRAL = [
  'net/ipv4/tcp_output.c', 'net/ipv4/tcp_input.c', 'net/ipv4/tcp.c', 'net/core/dev.c', 'net/core/sock.c',
  'net/core/skbuff.c', 'kernel/sched/core.c', 'kernel/fork.c', 'kernel/workqueue.c', 'mm/filemap.c',
  'mm/page_alloc.c', 'mm/memory.c', 'block/blk-mq.c', 'fs/read_write.c', 'drivers/net/ethernet/intel/igb/igb_main.c',
];

const project = await openTree({ root: tree, facts: true, cache: cache ?? false, ...(config ? { config } : {}), jobs: 2 });
const { index, edges } = project;
const DIRECT = new Set(['direct', 'macro']);
// Distinct targets per (caller node, call site) among direct and macro edges.
const targets = new Map();
for (let e = 0; e < edges.length; e++) {
  if (!DIRECT.has(EDGE_KINDS[edges.kind.get(e)])) continue;
  const key = edges.from.get(e) * 65536 + edges.site.get(e);
  let set = targets.get(key);
  if (!set) targets.set(key, (set = new Set()));
  set.add(edges.to.get(e));
}
const central = new Set(CENTRAL);
const perFile = new Map(CENTRAL.map((f) => [f, { sites: 0, multi: 0 }]));
const whole = { sites: 0, multi: 0 };
const byName = new Map();
for (let node = 0; node < index.nodeCount; node++) {
  if (index.isExternal(node)) continue;
  const file = index.file(node);
  index.calls(node).forEach((call, site) => {
    if (call.name === undefined || call.hints) return;
    const set = targets.get(node * 65536 + site);
    if (!set) return;
    const multi = set.size > 1 ? 1 : 0;
    whole.sites++;
    whole.multi += multi;
    if (central.has(file)) {
      const f = perFile.get(file);
      f.sites++;
      f.multi += multi;
      if (multi) byName.set(call.name, (byName.get(call.name) ?? 0) + 1);
    }
  });
}
const sum = [...perFile.values()].reduce((a, f) => ({ sites: a.sites + f.sites, multi: a.multi + f.multi }), { sites: 0, multi: 0 });
const pct = (x) => (x.sites ? ((100 * x.multi) / x.sites).toFixed(1) : '-');
if (json) {
  console.log(JSON.stringify({ central: { ...sum, percent: Number(pct(sum)) }, whole: { ...whole, percent: Number(pct(whole)) }, files: Object.fromEntries(perFile) }));
} else {
  for (const [file, f] of perFile) console.log(`${pct(f).padStart(5)}%  ${String(f.multi).padStart(4)}/${String(f.sites).padEnd(5)} ${file}`);
  console.log(`central files: ${sum.multi} of ${sum.sites} call sites by name bind to more than one definition (${pct(sum)}%)`);
  console.log(`whole tree:    ${whole.multi} of ${whole.sites} (${pct(whole)}%)`);
  if (names) {
    for (const [name, n] of [...byName].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 40)) {
      const defs = index.nodesNamed(name).filter((d) => !index.isExternal(d)).map((d) => `${index.file(d)}:${index.nodeLine[d]}`);
      console.log(`${String(n).padStart(5)}  ${name}  ${defs.join(' ')}`);
    }
  }
}
