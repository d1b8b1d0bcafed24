// What the main thread pays to take in the parse workers' facts during a cold index, measured alone:
// JSON.parse of each file's facts (as a worker hands them over), then FactSharer (index/share-facts.ts),
// in one process, CPU time (process.cpuUsage, so other processes on the machine count less than in wall time).
// Usage: npm run build, then node --max-semi-space-size=64 bench/facts-handover.mjs TREE [PATH...]
// (PATHs limit the files, as for pathfind; the cold index runs with that semi-space size).
// The files are parsed first (not timed) and their JSON kept; then, three rounds of: `parse`
// (JSON.parse alone), `share` (JSON.parse and FactSharer, as index/parse-files.ts does). The facts'
// JSON must be the same after sharing: the run fails otherwise.
import { createHash } from 'node:crypto';
import { discoverFiles } from '../dist/index/discover-files.js';
import { FactSharer } from '../dist/index/share-facts.js';
import { fileParser } from '../dist/parse/file-parser.js';
import { detectProfile } from '../dist/profiles/index.js';

const [root, ...paths] = process.argv.slice(2);
if (!root) {
  console.error('usage: node bench/facts-handover.mjs TREE [PATH...]');
  process.exit(2);
}
const profile = detectProfile(root);
const parse = fileParser(root, profile);
const texts = discoverFiles(root, profile, paths.length ? { paths } : {}).map((f) => JSON.stringify(parse(f.path)));
const digest = (list) => list.reduce((h, t) => h.update(t).update('\n'), createHash('sha1')).digest('hex');
const before = digest(texts);

/** CPU seconds of `run` over every file's text, and the facts it kept. */
function timed(run) {
  const start = process.cpuUsage();
  const kept = texts.map(run);
  const used = process.cpuUsage(start);
  return { cpu: (used.user + used.system) / 1e6, kept };
}

const rows = [];
for (const round of [1, 2, 3]) {
  rows.push(['parse', round, timed((t) => JSON.parse(t)).cpu]);
  const sharer = new FactSharer();
  const shared = timed((t) => {
    const facts = JSON.parse(t);
    sharer.file(facts);
    return facts;
  });
  rows.push(['share', round, shared.cpu]);
  if (digest(shared.kept.map((f) => JSON.stringify(f))) !== before) throw new Error('the facts changed when shared');
}
console.log(`${texts.length} files, ${(texts.reduce((a, t) => a + t.length, 0) / 1e6).toFixed(0)} MB of facts JSON`);
console.log('| mode | round | CPU s |\n|---|---|---|');
for (const [mode, round, cpu] of rows) console.log(`| ${mode} | ${round} | ${cpu.toFixed(2)} |`);
