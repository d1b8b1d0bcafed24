// Writes docs/minikernel-write-paths.svg, the picture the README shows, with the built CLI
// (`npm run picture:readme` builds first). test/e2e/readme-picture.test.ts checks that the
// committed file is what this command draws now.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(fileURLToPath(import.meta.url), '../..');

/** The picture's output file, relative to the repo. */
export const output = 'docs/minikernel-write-paths.svg';

/** The query: three ways write() can reach __wake_up in the minikernel, one per f_op->write_iter target. */
export const args = ['-C', 'fixtures/minikernel', '--no-cache', '-q', '-s', 'ksys_write', '-t', '__wake_up', '-k', '3', '--distinct-by', 'dispatch', '--cluster', 'dir'];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const run = spawnSync(process.execPath, [join(repo, 'bin/pathfind.js'), ...args, '-o', output], { cwd: repo, stdio: 'inherit' });
  process.exitCode = run.status ?? 2;
}
