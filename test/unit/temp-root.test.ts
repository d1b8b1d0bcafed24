import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('the test run keeps its temporary files in one folder it removes', () => {
  it('tmpdir() is the run folder the global setup made, and a test folder lands in it', () => {
    expect(basename(tmpdir())).toMatch(/^pathfind-test-run-/);
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-probe-'));
    expect(dirname(dir)).toBe(tmpdir());
  });
});
