import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** The name of the run's folder starts so. */
const PREFIX = 'pathfind-test-run-';

/**
 * Vitest global setup: gives the whole test run one temporary folder and points TMPDIR at it, so every
 * `mkdtempSync(join(tmpdir(), ...))` of a test, and every CLI process a test spawns, writes under it.
 * The teardown removes the folder, so no test run leaves caches or copied trees behind in the system
 * temporary folder, whichever test made them and whether or not it cleaned up itself.
 */
export default function setup(): () => void {
  // Vitest runs a global setup once per project too (vitest.config.ts has two): the run's folder is made once, not nested
  // (Chromium refuses a profile folder whose socket path passes some 100 characters).
  if (basename(tmpdir()).startsWith(PREFIX)) return () => {};
  const root = mkdtempSync(join(tmpdir(), PREFIX));
  // Others may pass through it, as through /tmp: tests that run the CLI as an unprivileged user make their folders below it.
  chmodSync(root, 0o755);
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true, maxRetries: 100, retryDelay: 50 });
}
