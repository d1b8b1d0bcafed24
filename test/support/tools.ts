import { spawnSync } from 'node:child_process';

/**
 * Whether a system tool (`dot`, `chromium`) can run here, as a reason to skip when it cannot:
 * null when the tool runs; otherwise the reason. With PATHFIND_CI=1 a missing tool is a failure,
 * not a skip: this throws, so CI cannot pass without the tools it installs.
 */
export function missingTool(command: string, args: string[] = ['-V']): string | null {
  const run = spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 });
  if (run.error === undefined && run.status !== null) return null;
  const reason = `${command} is not installed (${run.error?.message ?? 'it did not run'}); on Debian: apt-get install ${command === 'dot' ? 'graphviz' : command}`;
  if (process.env.PATHFIND_CI === '1') throw new Error(`PATHFIND_CI=1 and ${reason}`);
  return reason;
}
