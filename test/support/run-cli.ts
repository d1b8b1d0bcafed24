import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The built CLI's entry script. */
export const bin = join(import.meta.dirname, '../../bin/pathfind.js');

/** The built CLI run from dist/cli/main.js and its modules one by one, not from the bundle bin/pathfind.js loads (scripts/bundle.mjs): for tests that tell modules apart by their address. */
export const unbundledBin = join(import.meta.dirname, 'unbundled-cli.mjs');

/** A user cache folder private to this test run, so nothing is written in the repository or the real home. */
export const cacheHome = mkdtempSync(join(tmpdir(), 'pathfind-e2e-'));

/** The environment the CLI runs in: no colour, the user cache folder in a temporary place. */
export const cliEnv = (): NodeJS.ProcessEnv => ({ ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cacheHome });

export interface CliRun {
  stdout: string;
  stderr: string;
  /** Exit code; -1 when the process was killed by a signal. */
  code: number;
}

/** Runs the built CLI to its end, as a user would. */
export function runCli(...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: cliEnv() });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

/**
 * Runs the CLI with its stdout read by a reader that closes the pipe early: at once
 * (`afterBytes` 0, before anything is written) or after the first `afterBytes` bytes arrived,
 * like `pathfind ... | head -c N`. Resolves with the exit code, stderr and the bytes read.
 */
export function runCliClosingPipe(args: string[], afterBytes: number): Promise<{ code: number; stderr: string; read: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: cliEnv() });
    let read = 0;
    let stderr = '';
    if (afterBytes === 0) child.stdout.destroy();
    else
      child.stdout.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read >= afterBytes) child.stdout.destroy();
      });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stderr, read }));
  });
}

/**
 * A runner of the built CLI on one fixture tree (`fixtures/NAME`) with its index cache in a
 * fresh temporary folder: `cliOn('minikernel')('-s', 'a', '-t', 'b')`.
 */
export function cliOn(fixture: string): (...args: string[]) => CliRun {
  const tree = join(import.meta.dirname, '../../fixtures', fixture);
  const cache = mkdtempSync(join(tmpdir(), `pathfind-e2e-${fixture}-`));
  return (...args) => runCli('--cache', cache, '-C', tree, ...args);
}
