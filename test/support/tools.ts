import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Whether a system tool a test needs (graphviz `dot`, `/usr/bin/chromium`) is present. A test
 * that needs a missing tool is skipped with `reason`, except in CI (PATHFIND_CI=1), where a
 * missing tool must fail the run: then this throws.
 */
export function toolAvailable(tool: string): { ok: boolean; reason: string } {
  const found = tool.startsWith('/') ? existsSync(tool) : spawnSync('which', [tool], { encoding: 'utf8' }).status === 0;
  const reason = found ? '' : `${tool} not installed (Debian: ${tool.includes('chromium') ? 'chromium' : tool === 'dot' ? 'graphviz' : tool}); skipped`;
  if (!found && process.env.PATHFIND_CI === '1') throw new Error(`${tool} is required when PATHFIND_CI=1 but not installed`);
  return { ok: found, reason };
}
