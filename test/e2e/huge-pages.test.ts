import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAUNCHER_TUNABLES } from '../../src/cli/young-generation.js';
import { bin, cliEnv } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pathfind-huge-pages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs bin/pathfind.js as a command (through its first line, as `pathfind` on the PATH runs), with `tunables` as GLIBC_TUNABLES (none when undefined): the GLIBC_TUNABLES node ran with, and the exit code. */
function tunablesSeen(tunables: string | undefined): { seen: string; code: number } {
  const report = join(dir, 'report.cjs');
  writeFileSync(report, "process.stderr.write(`tunables: ${process.env.GLIBC_TUNABLES ?? '(none)'}\\n`);\n");
  const env: NodeJS.ProcessEnv = { ...cliEnv(), NODE_OPTIONS: `--require ${report}` };
  delete env.GLIBC_TUNABLES;
  if (tunables !== undefined) env.GLIBC_TUNABLES = tunables;
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', env });
  return { seen: /^tunables: (.*)$/m.exec(r.stderr)?.[1] ?? '', code: r.status ?? -1 };
}

describe("the command runs with glibc's malloc tuned for a query's large arrays", () => {
  it.runIf(process.platform === 'linux')('sets LAUNCHER_TUNABLES for node (huge pages, memory kept for reuse), a GLIBC_TUNABLES of the user after it', () => {
    const plain = tunablesSeen(undefined);
    expect(plain.code).toBe(0);
    // No tunable of the user's: the line's `:${GLIBC_TUNABLES}` leaves a colon at the end, which glibc ignores.
    expect(plain.seen.replace(/:$/, '')).toBe(LAUNCHER_TUNABLES);
    expect(plain.seen.split(':')).toEqual(expect.arrayContaining(['glibc.malloc.hugetlb=1', 'glibc.malloc.mmap_threshold=33554432', 'glibc.malloc.trim_threshold=1073741824', 'glibc.malloc.top_pad=67108864']));
    const own = tunablesSeen('glibc.malloc.hugetlb=0');
    expect(own.code).toBe(0);
    expect(own.seen).toBe(`${LAUNCHER_TUNABLES}:glibc.malloc.hugetlb=0`);
  });
});
