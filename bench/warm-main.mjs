// The main thread's share of a warm query, measured alone and in steps, in CPU time (process.cpuUsage:
// this thread and V8's helpers; other processes on the machine count less than in wall time): the
// graph cache's index and edges decoded (as while the tree is listed), the query's call graph made
// from the rows kept beside the cache, the answer worked out, and its text. No tree is listed, so
// it runs without the whole tree's stat() calls; the files a pointer step's text is read from are read.
// Usage: npm run build, run the query once with the CLI (so that its rows are kept), then
// node bench/warm-main.mjs CACHE-DIR TREE [paths|callees] [ROUNDS]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { earlyGraph } from '../dist/cache/graph-from-cache.js';
import { FrameFile } from '../dist/cache/frame-file.js';
import { CACHE_FORMAT } from '../dist/cache/index-cache.js';
import { Project } from '../dist/api/project.js';
import { readGraphRows, writeGraphRows } from '../dist/api/graph-rows-file.js';
import { detectProfile } from '../dist/profiles/index.js';
import { renderPathsText, renderTreeText } from '../dist/render/text.js';

const [cacheDir, root, what = 'paths', rounds = '1'] = process.argv.slice(2);
if (!cacheDir || !root) {
  console.error('usage: node bench/warm-main.mjs CACHE-DIR TREE [paths|callees] [ROUNDS]');
  process.exit(2);
}
const graphPath = readdirSync(cacheDir).filter((f) => f.endsWith('.graph')).map((f) => join(cacheDir, f))[0];
const profile = detectProfile(root);
let last = process.cpuUsage();
const steps = [];
const step = (name) => {
  const used = process.cpuUsage(last);
  steps.push(`${name} ${((used.user + used.system) / 1000).toFixed(0)} ms (sys ${(used.system / 1000).toFixed(0)})`);
  last = process.cpuUsage();
};
let out = '';
for (let r = 0; r < Number(rounds); r++) {
  const file = FrameFile.open(graphPath, CACHE_FORMAT, false);
  if (typeof file === 'string') throw new Error(`graph cache: ${file}`);
  const early = earlyGraph(file, root, profile);
  step('decode');
  const project = new Project(early.index, early.edges);
  const beside = { base: graphPath.slice(0, -'.graph'.length), identity: file.identity };
  project.useKeptRows(readGraphRows(beside));
  step('kept rows');
  if (what === 'paths') {
    project.graph({ noDeferred: true });
    step('call graph');
    const result = project.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue' });
    step('answer');
    out = renderPathsText(result, { color: false });
  } else {
    project.graph({});
    step('call graph');
    const trees = project.tree('tcp_sendmsg', 3, 'callees', {});
    step('answer');
    out = renderTreeText(trees, { color: false });
  }
  step('text');
  // Rows made without kept ones (a first run after a build) are kept, as the CLI keeps them.
  const rows = project.rowsToKeep();
  if (rows) {
    writeGraphRows(beside, rows);
    steps.push('(rows written: not kept before)');
  }
  file.close();
}
const mem = process.memoryUsage();
console.log(steps.join('\n'));
console.log(`output ${out.length} chars, ${out.split('\n').length} lines; rss ${(mem.rss / 1e6).toFixed(0)} MB`);
if (process.env.SHOW) console.log(out);
