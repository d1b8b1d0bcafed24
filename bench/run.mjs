// Benchmarks pathfind against cscope on one tree, both measured in the same run.
// Usage: node bench/run.mjs [TREE] (default: the tree printed by scripts/fetch-linux.sh).
// Writes bench/results.md and prints the same table.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { totalmem, tmpdir, cpus as cpuList } from 'node:os';
import { join } from 'node:path';
import { discoverFiles } from '../dist/index/discover-files.js';
import { detectProfile } from '../dist/profiles/index.js';

const here = new URL('.', import.meta.url).pathname;
const bin = join(here, '../bin/pathfind.js');
const tree = process.argv[2] ?? execFileSync('bash', [join(here, '../scripts/fetch-linux.sh')], { encoding: 'utf8' }).trim();
const work = mkdtempSync(join(tmpdir(), 'pathfind-bench-'));
const cache = join(work, 'cache');

/** Runs a command under GNU time: wall seconds and peak RSS in MB. */
function timed(cmd, args, options = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [wall, kb] = last.split(' ').map(Number);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-500)}`);
  return { wall, rssMB: kb / 1024, stdout: r.stdout };
}

const dirSize = (dir) => Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]) / 1e6;

// The same file list for both tools: what pathfind's profile admits (x86 only, no tools/).
const files = discoverFiles(tree, detectProfile(tree), {});
const list = join(work, 'files.txt');
writeFileSync(list, files.map((f) => f.path).join('\n') + '\n');
const totalMB = files.reduce((a, f) => a + f.size, 0) / 1e6;

const cscopeDir = join(work, 'cscope');
execFileSync('mkdir', ['-p', cscopeDir]);
const cscope = timed('cscope', ['-b', '-q', '-k', '-i', list, '-f', join(cscopeDir, 'cscope.out')], { cwd: tree });
const cold = timed(process.execPath, [bin, '--cache', cache, '-C', tree, '-q', 'index']);
const query = ['--cache', cache, '-C', tree, '-q', '-s', 'ksys_write', '-t', 'drv_wake_tx_queue'];
timed(process.execPath, [bin, ...query]);
const warm = timed(process.execPath, [bin, ...query]);
// Edits to one file, each followed by a query: a comment appended; a call inserted at the top of
// a function body, which moves every later line of the file; the file restored.
const edited = join(tree, 'net/socket.c');
const original = readFileSync(edited, 'latin1');
const fnAt = original.indexOf('\nint __sys_sendto(');
const bodyAt = original.indexOf('{\n', fnAt) + 2;
if (fnAt < 0 || bodyAt < 2) throw new Error('net/socket.c: __sys_sendto not found');
const edits = {};
try {
  writeFileSync(edited, original + '\n/* pathfind bench edit */\n', 'latin1');
  edits.comment = timed(process.execPath, [bin, ...query]);
  writeFileSync(edited, original.slice(0, bodyAt) + '\tmight_sleep();\n' + original.slice(bodyAt), 'latin1');
  edits.call = timed(process.execPath, [bin, ...query]);
} finally {
  writeFileSync(edited, original, 'latin1');
}
edits.restored = timed(process.execPath, [bin, ...query]);
const incremental = edits.call;
const indexMB = dirSize(cache);
const cscopeMB = dirSize(cscopeDir);

const cpu = cpuList()[0]?.model ?? 'unknown';
const row = (what, value, target, ok) => `| ${what} | ${value} | ${target} | ${ok ? 'met' : 'not met'} |`;
const ratio = cold.wall / cscope.wall;
const lines = [
  '# pathfind benchmark',
  '',
  `Tree: ${tree} (${files.length} files, ${totalMB.toFixed(0)} MB, x86, without tools/). Machine: ${cpuList().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB. ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '| measure | pathfind | peer (same run) | ratio |',
  '|---|---|---|---|',
  `| cold index, wall | ${cold.wall.toFixed(1)} s | cscope -b -q -k: ${cscope.wall.toFixed(1)} s | ${ratio.toFixed(2)} |`,
  `| peak memory while indexing | ${cold.rssMB.toFixed(0)} MB | cscope: ${cscope.rssMB.toFixed(0)} MB | ${(cold.rssMB / cscope.rssMB).toFixed(1)} |`,
  `| index on disk | ${indexMB.toFixed(0)} MB | cscope: ${cscopeMB.toFixed(0)} MB | ${(indexMB / cscopeMB).toFixed(2)} |`,
  '',
  '| target | measured | target | |',
  '|---|---|---|---|',
  row('cold index / cscope', ratio.toFixed(2), '<= 1.0', ratio <= 1),
  row('warm query, whole process', `${warm.wall.toFixed(2)} s`, '< 1.5 s', warm.wall < 1.5),
  row('query after one edited file (a call added in a function body)', `${incremental.wall.toFixed(1)} s`, '< 5 s', incremental.wall < 5),
  row('peak memory while indexing', `${(cold.rssMB / 1024).toFixed(2)} GB`, '< 4 GB', cold.rssMB < 4096),
  row('index on disk', `${indexMB.toFixed(0)} MB`, '< 300 MB', indexMB < 300),
  '',
  `Queries after edits to net/socket.c: a comment appended ${edits.comment.wall.toFixed(2)} s; \`might_sleep();\` inserted at the top of __sys_sendto ${edits.call.wall.toFixed(2)} s; the file restored ${edits.restored.wall.toFixed(2)} s.`,
  '',
];
const text = lines.join('\n');
writeFileSync(join(here, 'results.md'), text);
process.stdout.write(text);
rmSync(work, { recursive: true, force: true });
