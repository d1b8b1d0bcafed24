import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: gives the whole test run one temporary folder and points TMPDIR at it, so every
 * `mkdtempSync(join(tmpdir(), ...))` of a test, and every CLI process a test spawns, writes under it.
 * The teardown removes the folder, so no test run leaves caches or copied trees behind in the system
 * temporary folder, whichever test made them and whether or not it cleaned up itself.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'pathfind-test-run-'));
  // Others may pass through it, as through /tmp: tests that run the CLI as an unprivileged user make their folders below it.
  chmodSync(root, 0o755);
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true, maxRetries: 100, retryDelay: 50 });
}
