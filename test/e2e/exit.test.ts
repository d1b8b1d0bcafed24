import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesDir } from '../support/fixtures.js';
import { bin, cliEnv } from '../support/run-cli.js';

/** Runs the CLI with its stdout read only after `delayMs` (a reader that falls behind, as a pager does): its bytes and exit code. */
function runWithSlowReader(args: string[], delayMs: number): Promise<{ out: Buffer; code: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'ignore'], env: cliEnv() });
    const chunks: Buffer[] = [];
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), delayMs);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('close', (code) => resolve({ out: Buffer.concat(chunks), code: code ?? -1 }));
  });
}

/**
 * bin/pathfind.js exits as soon as the event loop is empty, without node's teardown of V8's heap:
 * what the command wrote must all reach its reader all the same, and the exit code be the command's.
 */
describe('the end of a command', () => {
  const cache = mkdtempSync(join(tmpdir(), 'pathfind-exit-'));
  afterAll(() => rmSync(cache, { recursive: true, force: true }));
  const tree = join(fixturesDir, 'minikernel');

  it('an output larger than a pipe holds reaches a reader that reads late, whole', async () => {
    const args = ['-q', '--cache', cache, '-C', tree, '-s', 'ksys_write', '-t', 'drv_wake_tx_queue', '--format', 'html'];
    const whole = spawnSync(process.execPath, [bin, ...args], { env: cliEnv(), maxBuffer: 1 << 26 });
    expect(whole.status).toBe(0);
    // Larger than a Linux pipe's 64 KB: the command blocks on the pipe until the reader reads.
    expect(whole.stdout.length).toBeGreaterThan(1 << 16);
    const late = await runWithSlowReader(args, 300);
    expect(late.code).toBe(0);
    expect(late.out.equals(whole.stdout)).toBe(true);
  });

  it('keeps the exit code of a negative answer and of a usage error', () => {
    const none = spawnSync(process.execPath, [bin, '-q', '--cache', cache, '-C', tree, '-s', 'drv_wake_tx_queue', '-t', 'ksys_write'], { env: cliEnv(), encoding: 'utf8' });
    expect(none.status, none.stderr).toBe(1);
    expect(none.stderr).toMatch(/^pathfind: no call path from drv_wake_tx_queue to ksys_write/);
    const usage = spawnSync(process.execPath, [bin, '-q', '--cache', cache, '-C', tree, '-s', 'ksys_write', '-t', 'drv_wake_tx_queue', '-k', 'x'], { env: cliEnv(), encoding: 'utf8' });
    expect(usage.status, usage.stderr).toBe(2);
  });
});
