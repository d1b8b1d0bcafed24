// Where a cold index's memory goes, phase by phase: one `pathfind index` into a fresh cache folder,
// its processes' resident memory polled every 0.5 s (/proc/PID/status VmRSS: the second process a
// cold index starts, cli/young-generation.ts, is the one that peaks), each sample counted in the
// phase running then (the `--verbose` lines mark where each phase ends), and V8's own account of the
// main thread's heap from `--trace-gc` (node's flags go on to the second process): at each full
// collection (Mark-Compact), the heap used and committed before it and what was live after it.
// Usage: npm run build, then node bench/cold-memory.mjs [--bin BIN] [--keep] TREE [NODE_FLAG...]
// BIN: the bin/pathfind.js to run (default this checkout's, started as `node BIN` as the brief's runs
// are: without bin/pathfind.js's own GLIBC_TUNABLES line). The cache folder is made under the
// system's temporary folder and removed after (kept with --keep: its path is printed). On a kernel,
// run it under the machine's kernel lock (flock). It prints, per phase: its wall time, the largest
// RSS seen in it, and the largest heap committed, used and live after a full collection in it; then
// /usr/bin/time's user and system CPU and maxrss for the whole run. Measures; asserts nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { descendants } from './proc-tree.mjs';

const args = process.argv.slice(2);
const take = (flag) => {
  const at = args.indexOf(flag);
  if (at < 0) return undefined;
  const [, value] = args.splice(at, 2);
  return value;
};
const keep = args.includes('--keep') ? (args.splice(args.indexOf('--keep'), 1), true) : false;
const bin = take('--bin') ?? join(dirname(fileURLToPath(import.meta.url)), '../bin/pathfind.js');
const [tree, ...nodeFlags] = args;
if (!tree) {
  console.error('usage: node bench/cold-memory.mjs [--bin BIN] [--keep] TREE [NODE_FLAG...]');
  process.exit(2);
}
const cache = mkdtempSync(join(tmpdir(), 'pathfind-cold-memory-'));

/** VmRSS of `pid` in MiB, or 0 when it is gone. */
function rssMiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

const phases = [];
const open = () => {
  if (!phases.length || phases.at(-1).ended) phases.push({ name: null, start: Date.now(), rss: 0, committed: 0, used: 0, live: 0 });
  return phases.at(-1);
};
open();
const run = spawn('/usr/bin/time', ['-f', 'time: %U %S %M %e', process.execPath, ...nodeFlags, '--trace-gc', bin, '-q', '-C', tree, '--cache', cache, '--verbose', 'index'], { stdio: ['ignore', 'pipe', 'pipe'] });

// The heap of the isolate whose heap is largest is the main thread's (the workers' stay small).
const isolates = new Map();
let rest = '';
run.stdout.on('data', (chunk) => {
  const lines = (rest + chunk).split('\n');
  rest = lines.pop();
  for (const line of lines) {
    const m = /^\[(\d+:0x[0-9a-f]+)\]\s+\d+ ms: Mark-Compact[^\d]*([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/.exec(line);
    if (!m) continue;
    const [, isolate, used, committed, live] = m;
    const seen = isolates.get(isolate) ?? { largest: 0 };
    seen.largest = Math.max(seen.largest, Number(committed));
    isolates.set(isolate, seen);
    const p = open();
    (p.gc ??= new Map()).set(isolate, { committed: Math.max(p.gc.get(isolate)?.committed ?? 0, Number(committed)), used: Math.max(p.gc.get(isolate)?.used ?? 0, Number(used)), live: Math.max(p.gc.get(isolate)?.live ?? 0, Number(live)) });
  }
});
let timeLine = '';
let errRest = '';
run.stderr.on('data', (chunk) => {
  const lines = (errRest + chunk).split('\n');
  errRest = lines.pop();
  for (const line of lines) {
    const phase = /^pathfind: ([^:]+): .*\(([\d.]+) s\)$/.exec(line);
    if (phase) {
      const p = open();
      p.name = phase[1];
      p.ended = Date.now();
    } else if (line.startsWith('time: ')) timeLine = line;
    else if (!line.startsWith('pathfind: ')) process.stderr.write(`${line}\n`);
  }
});
const poll = setInterval(() => {
  const p = open();
  for (const pid of descendants(run.pid)) p.rss = Math.max(p.rss, rssMiB(pid));
}, 500);

const code = await new Promise((resolve) => run.on('exit', (c) => resolve(c)));
clearInterval(poll);
if (!keep) rmSync(cache, { recursive: true, force: true });
else console.log(`cache kept: ${cache}`);
const main = [...isolates].sort((a, b) => b[1].largest - a[1].largest)[0]?.[0];
// --trace-gc's MB are MiB (V8's MB is 1024 * 1024 bytes).
const mib = (mb) => (mb ? mb.toFixed(0) : '-');
console.log(['phase', 'wall s', 'peak RSS MiB', 'heap committed MiB', 'heap used MiB', 'live after full gc MiB'].join('\t'));
for (const p of phases) {
  const heap = main ? p.gc?.get(main) : undefined;
  console.log([p.name ?? '(after the last phase)', (((p.ended ?? Date.now()) - p.start) / 1000).toFixed(1), p.rss.toFixed(0), mib(heap?.committed), mib(heap?.used), mib(heap?.live)].join('\t'));
}
const [, user, system, maxrss, wall] = /time: ([\d.]+) ([\d.]+) (\d+) ([\d.]+)/.exec(timeLine) ?? [];
if (user) console.log(`CPU ${(Number(user) + Number(system)).toFixed(1)} s (user ${user}, system ${system}), maxrss ${(Number(maxrss) / 1024).toFixed(0)} MiB (${maxrss} kB), wall ${wall} s`);
process.exitCode = code ?? 1;
