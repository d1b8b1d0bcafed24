import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../support/fixtures.js';
import { cliEnv } from '../support/run-cli.js';

/** O_NONBLOCK on Linux (asm-generic/fcntl.h: 00004000). */
const O_NONBLOCK = 0o4000;
const main = pathToFileURL(join(import.meta.dirname, '../../dist/cli/main.js')).href;

describe('a piped stdin', () => {
  // Other processes may read the same pipe while pathfind runs (`pathfind ... | diff - <(pathfind ...)`:
  // the second pathfind's stdin is diff's), so its file status flags must stay as they were. Node
  // puts them back at exit, so they are read in the process, once the command has run.
  it.runIf(process.platform === 'linux')('is left blocking while a query runs, for whoever reads the same pipe', () => {
    const tree = join(fixturesDir, 'minikernel');
    for (const query of [['-s', 'ksys_write', '-t', 'drv_wake_tx_queue'], ['stats'], ['callees', 'tcp_sendmsg', '--depth', '2']]) {
      const argv = JSON.stringify([process.execPath, 'pathfind', '--no-cache', '-C', tree, ...query]);
      const script = `const { readFileSync } = require('node:fs'); import(${JSON.stringify(main)}).then((m) => m.main(${argv})).then(() => process.stderr.write(readFileSync('/proc/self/fdinfo/0', 'utf8').split('\\n').find((l) => l.startsWith('flags:'))))`;
      const r = spawnSync(process.execPath, ['-e', script], { input: '', encoding: 'utf8', env: cliEnv() });
      expect(r.status, r.stderr).toBe(0);
      const flags = Number.parseInt(r.stderr.trim().replace(/^flags:\s*/, ''), 8);
      expect(Number.isNaN(flags), r.stderr).toBe(false);
      expect(flags & O_NONBLOCK, `${query.join(' ')}: ${r.stderr}`).toBe(0);
    }
  });
});
