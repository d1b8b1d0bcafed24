// Measures the weak fallbacks (field-name, signature) on one tree: edges and call sites per
// kind, targets per site (median, p90, max), and the indirect sites left unresolved by reason.
// Usage: node bench/fallback-figures.mjs TREE [CACHE_DIR] (run `npm run build` first).
// Prints one JSON object. Not a test: a measurement for the README and reports.
import { computeStats, openTree } from '../dist/index.js';
import { EDGE_KINDS } from '../dist/resolve/edge-kind.js';

const [tree, cache] = process.argv.slice(2);
if (!tree) {
  console.error('usage: node bench/fallback-figures.mjs TREE [CACHE_DIR]');
  process.exit(2);
}
const project = await openTree({ root: tree, cache: cache ?? true, jobs: 2 });
const { edges } = project;
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0);
const out = {};
for (const kind of ['field-name', 'signature']) {
  const k = EDGE_KINDS.indexOf(kind);
  const sites = new Map();
  let count = 0;
  for (let e = 0; e < edges.length; e++) {
    if (edges.kind.get(e) !== k) continue;
    count++;
    const key = `${edges.from.get(e)}:${edges.site.get(e)}`;
    sites.set(key, (sites.get(key) ?? 0) + 1);
  }
  const per = [...sites.values()].sort((a, b) => a - b);
  out[kind] = { edges: count, sites: sites.size, targetsPerSite: { median: pct(per, 50), p90: pct(per, 90), max: per.at(-1) ?? 0 } };
}
// Sites over a fallback cap: how many per fallback, and their candidate counts.
for (const kind of ['field-name', 'signature']) {
  const k = EDGE_KINDS.indexOf(kind);
  const counts = [];
  for (let i = 0; i < edges.overCap.length; i += 4) if (edges.overCap[i + 2] === k) counts.push(edges.overCap[i + 3]);
  counts.sort((a, b) => a - b);
  out[kind].overCap = { sites: counts.length, candidates: { min: counts[0] ?? 0, median: pct(counts, 50), p90: pct(counts, 90), max: counts.at(-1) ?? 0 } };
}
const stats = computeStats(project);
out.indirect = stats.indirect;
out.edgesTotal = Object.values(stats.edges).reduce((a, b) => a + b, 0);
console.log(JSON.stringify(out, null, 2));
