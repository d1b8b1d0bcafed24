// Where a cold index's CPU goes, thread by thread and phase by phase: one `pathfind index` into a
// fresh cache folder, the CPU time (user + system) of every thread of its processes read from
// /proc/PID/task/TID/stat every 0.2 s (a thread that ends keeps its last reading), and at each
// `--verbose` line that ends a phase, what each thread used since the previous one.
// Why: --cpu-prof samples each thread in wall time, so on a loaded machine (or with more busy
// threads than cores) a thread waiting for a core counts as busy; this counts only the CPU it got.
// Threads are named by what they did: `main` (the process's own thread), and by their CPU in the
// parse phase the parse workers (the largest two), then the rest (V8's helper threads: optimising
// compiler, concurrent marking, parallel scavenges; the facts writer, encoders) as `other`.
// Usage: npm run build, then node bench/phase-threads.mjs [--bin BIN] TREE [PATH...]
// (BIN: the bin/pathfind.js to run, default this checkout's; PATHs limit the files indexed). On a
// kernel, run it under the machine's kernel lock (flock). Measures; asserts nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { descendants } from './proc-tree.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--bin');
const bin = at >= 0 ? args.splice(at, 2)[1] : join(dirname(fileURLToPath(import.meta.url)), '../bin/pathfind.js');
const [tree, ...paths] = args;
if (!tree) {
  console.error('usage: node bench/phase-threads.mjs [--bin BIN] TREE [PATH...]');
  process.exit(2);
}
const cache = mkdtempSync(join(tmpdir(), 'pathfind-phase-threads-'));
const TICK = 100; // clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux)

/** CPU seconds by `pid:tid`, the latest reading of each thread seen so far. */
const cpu = new Map();
function poll(root) {
  for (const pid of [root, ...descendants(root)]) {
    let tids;
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        cpu.set(`${pid}:${tid}`, (Number(fields[11]) + Number(fields[12])) / TICK);
      } catch {
        // ended meanwhile: its last reading stays
      }
    }
  }
}

const run = spawn(process.execPath, [bin, '-q', '-v', '-C', tree, '--cache', cache, 'index', ...paths], { stdio: ['ignore', 'ignore', 'pipe'] });
const timer = setInterval(() => poll(run.pid), 200);
const phases = [];
let last = new Map();
let started = Date.now();
let rest = '';
run.stderr.on('data', (chunk) => {
  const lines = (rest + chunk).split('\n');
  rest = lines.pop();
  for (const line of lines) {
    const m = /^pathfind: ([^:]+):/.exec(line);
    if (!m) continue;
    poll(run.pid);
    const used = new Map([...cpu].map(([k, v]) => [k, v - (last.get(k) ?? 0)]));
    phases.push({ name: m[1], wall: (Date.now() - started) / 1000, used });
    last = new Map(cpu);
    started = Date.now();
  }
});
run.on('exit', (code) => {
  clearInterval(timer);
  rmSync(cache, { recursive: true, force: true });
  if (code !== 0) {
    console.error(`pathfind exited with ${code}`);
    process.exit(1);
  }
  // The main thread: the thread whose id is its process's, in the process that used the most CPU (the second process of a cold index).
  const byProcess = new Map();
  for (const [k, v] of cpu) byProcess.set(k.split(':')[0], (byProcess.get(k.split(':')[0]) ?? 0) + v);
  const pid = [...byProcess].sort((a, b) => b[1] - a[1])[0][0];
  const main = `${pid}:${pid}`;
  const parse = phases.find((p) => p.name === 'parse');
  const workers = parse ? [...parse.used].filter(([k]) => k !== main).sort((a, b) => b[1] - a[1]).slice(0, 2).map(([k]) => k) : [];
  const s = (x) => x.toFixed(1).padStart(7);
  console.log('phase          wall    main  worker1  worker2   other   total  (CPU s: user + system)');
  for (const p of phases) {
    const total = [...p.used.values()].reduce((a, x) => a + x, 0);
    const w = [0, 1].map((i) => (workers[i] ? (p.used.get(workers[i]) ?? 0) : 0));
    const other = total - (p.used.get(main) ?? 0) - w[0] - w[1];
    console.log(`${p.name.padEnd(12)}${s(p.wall)} ${s(p.used.get(main) ?? 0)}  ${s(w[0])}  ${s(w[1])} ${s(other)} ${s(total)}`);
  }
});
