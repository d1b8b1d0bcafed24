// Measures #include resolution and include closures on a whole tree (e.g. Linux 6.1, x86):
//   npm run build && node bench/include-closure.mjs /path/to/linux [--cache DIR] [paths...]
// Prints the time to resolve every directive, the share resolved, the time to compute the closure
// of every .c file once, closure sizes, and the most frequent unresolved include names.
import { performance } from 'node:perf_hooks';
import { openTree } from '../dist/index.js';
import { IncludeGraph } from '../dist/index/include-graph.js';

const args = process.argv.slice(2);
const root = args.shift();
if (!root) {
  console.error('usage: node bench/include-closure.mjs ROOT [--cache DIR] [paths...]');
  process.exit(2);
}
let cache = false;
const paths = [];
while (args.length) {
  const a = args.shift();
  if (a === '--cache') cache = args.shift();
  else paths.push(a);
}

let t = performance.now();
const project = await openTree({ root, jobs: 2, facts: true, cache, ...(paths.length ? { paths } : {}) });
const { index } = project;
console.log(`opened ${index.files.length} files in ${((performance.now() - t) / 1000).toFixed(1)} s (arch ${index.arch})`);

t = performance.now();
const graph = IncludeGraph.build(index.files, index.profile, index.arch);
const buildMs = performance.now() - t;
const snap = graph.snapshot();
const directives = snap.targets.length;
let resolved = 0;
for (const x of snap.targets) if (x >= 0) resolved++;
console.log(`resolve: ${directives} directives in ${buildMs.toFixed(0)} ms; resolved ${resolved} (${((100 * resolved) / directives).toFixed(1)}%)`);

const unresolved = new Map();
index.files.forEach((f, i) => {
  const row = graph.includesOf(i);
  f.includes.forEach((inc, k) => {
    if (row[k] < 0) unresolved.set(inc.path, (unresolved.get(inc.path) ?? 0) + 1);
  });
});
const core = new Map();
index.files.forEach((f, i) => {
  if (!f.path.startsWith('include/') && !f.path.startsWith(`arch/${index.arch}/include/`)) return;
  const row = graph.includesOf(i);
  f.includes.forEach((inc, k) => {
    if (row[k] < 0) core.set(inc.path, (core.get(inc.path) ?? 0) + 1);
  });
});
const topCore = [...core].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 15);
console.log(`unresolved in include/ and the arch's include/: ${topCore.map(([n, c]) => `${n} ${c}`).join(', ')}`);
const top = [...unresolved].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 25);
console.log(`unresolved: ${unresolved.size} distinct names; top: ${top.map(([n, c]) => `${n} ${c}`).join(', ')}`);

const cFiles = [];
index.files.forEach((f, i) => f.path.endsWith('.c') && cFiles.push(i));
t = performance.now();
const sizes = new Int32Array(cFiles.length);
cFiles.forEach((f, k) => (sizes[k] = graph.closureSize(f)));
const closureMs = performance.now() - t;
const sorted = Int32Array.from(sizes).sort();
const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
let maxAt = 0;
sizes.forEach((s, k) => s > sizes[maxAt] && (maxAt = k));
console.log(`closures of ${cFiles.length} .c files: ${closureMs.toFixed(0)} ms (${((1000 * closureMs) / cFiles.length).toFixed(1)} µs each); size mean ${mean.toFixed(0)}, median ${sorted[sorted.length >> 1]}, max ${sorted[sorted.length - 1]} (${index.files[cFiles[maxAt]].path})`);

// sees() for every (caller file, definition file) pair of nodes sharing a name, grouped by caller file as the resolver asks.
t = performance.now();
let asked = 0;
let seen = 0;
for (const f of cFiles) {
  for (const n of index.nodesNamed('pr_info')) {
    asked++;
    if (graph.sees(f, index.nodeFile[n])) seen++;
  }
}
console.log(`sees: ${asked} questions (pr_info definitions from every .c file) in ${(performance.now() - t).toFixed(0)} ms, ${seen} visible`);
