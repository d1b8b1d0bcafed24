import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * System tools some tests need (`dot` from Debian's graphviz, Debian's `chromium`), and the one
 * rule for when they are missing: the test skips with a clear reason, except under
 * PATHFIND_CI=1 (set by .ci/run), where it runs and fails, so CI never passes by skipping.
 */
export type Tool = 'dot' | 'chromium';

/** The tool's executable found on PATH, or undefined. */
export function findTool(name: Tool): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** True when tests needing the tool should skip (missing, and not in CI); says why on stderr. */
export function skipWithout(name: Tool): boolean {
  if (findTool(name) || process.env.PATHFIND_CI === '1') return false;
  process.stderr.write(`skipping tests that need ${name}: not found on PATH (install it, e.g. apt-get install ${name === 'dot' ? 'graphviz' : name})\n`);
  return true;
}

/** The tool's path; throws a one-line error when it is missing (what a CI run reports). */
export function needTool(name: Tool): string {
  const path = findTool(name);
  if (!path) throw new Error(`${name} not found on PATH, and PATHFIND_CI=1 requires it`);
  return path;
}
