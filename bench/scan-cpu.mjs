// The scanner's own CPU, in one thread: reads and extracts every file of a list as a parse worker
// does (parse/file-parser.ts fileParser, then JSON.stringify of each file's facts), ROUNDS times in
// one process, and prints for each round the CPU of the main thread and of the process's other
// threads (V8's optimising compiler and garbage collector's helpers), from /proc/self/task.
// Why: a cold index's parse workers each warm the scanner's code up on their own, and --cpu-prof
// counts wall time; the first round against the later ones shows what warming up costs (compiling,
// code thrown out after deopts and compiled again), the later ones what the code itself costs.
// --hash prints the SHA-1 of all the facts' JSON, to check that a change to the scanner leaves
// its facts as they were. Usage: npm run build, then
//   node bench/scan-cpu.mjs [--dist DIR] [--hash] TREE LIST [ROUNDS]
// (DIR: a build's dist/ folder, default this checkout's; LIST: a file of paths relative to TREE,
// one a line, e.g. `cd TREE && find drivers/net fs kernel -name '*.[ch]' | sort`; node flags such
// as --trace-deopt go before the script). Runs in one thread on a subset: needs no kernel lock.
// Measures; asserts nothing.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const take = (flag, value) => {
  const at = args.indexOf(flag);
  return at < 0 ? undefined : args.splice(at, value ? 2 : 1)[value ? 1 : 0];
};
const dist = resolve(take('--dist', true) ?? join(dirname(fileURLToPath(import.meta.url)), '../dist'));
const hash = take('--hash', false) !== undefined;
const [tree, list, rounds = '1'] = args;
if (!tree || !list) {
  console.error('usage: node bench/scan-cpu.mjs [--dist DIR] [--hash] TREE LIST [ROUNDS]');
  process.exit(2);
}
const { fileParser } = await import(pathToFileURL(join(dist, 'parse/file-parser.js')).href);
const { profileNamed } = await import(pathToFileURL(join(dist, 'profiles/index.js')).href);
const files = readFileSync(list, 'utf8').split('\n').filter(Boolean);
const parse = fileParser(tree, profileNamed('linux'), 'scan');
const TICK = 100; // clock ticks per second of /proc's utime and stime (USER_HZ)

/** CPU seconds (user + system) of this thread and of the others. */
function threadCpu() {
  let main = 0;
  let other = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
    const cpu = (Number(fields[11]) + Number(fields[12])) / TICK;
    if (Number(tid) === process.pid) main += cpu;
    else other += cpu;
  }
  return { main, other };
}

for (let r = 0; r < Number(rounds); r++) {
  const digest = createHash('sha1');
  let bytes = 0;
  const before = threadCpu();
  const start = performance.now();
  for (const f of files) {
    const json = JSON.stringify(parse(f));
    bytes += json.length;
    if (hash) digest.update(json);
  }
  const after = threadCpu();
  const wall = (performance.now() - start) / 1000;
  console.log(`round ${r + 1}: ${files.length} files, ${bytes} characters of JSON; CPU main ${(after.main - before.main).toFixed(2)} s, other threads ${(after.other - before.other).toFixed(2)} s; wall ${wall.toFixed(2)} s${hash ? `; sha1 ${digest.digest('hex')}` : ''}`);
}
