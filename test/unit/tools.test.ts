import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findTool, needTool, skipWithout } from '../support/tools.js';

// The rule for tests needing dot or chromium: skip when missing, except under PATHFIND_CI=1.
describe('test/support/tools.ts', () => {
  const saved = { PATH: process.env.PATH, CI: process.env.PATHFIND_CI };
  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.CI === undefined) delete process.env.PATHFIND_CI;
    else process.env.PATHFIND_CI = saved.CI;
    vi.restoreAllMocks();
  });

  const folderWithDot = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-tools-'));
    writeFileSync(join(dir, 'dot'), '#!/bin/sh\n');
    chmodSync(join(dir, 'dot'), 0o755);
    writeFileSync(join(dir, 'chromium'), 'not executable');
    return dir;
  };

  it('finds an executable on PATH, and only an executable', () => {
    const dir = folderWithDot();
    process.env.PATH = dir;
    expect(findTool('dot')).toBe(join(dir, 'dot'));
    expect(findTool('chromium')).toBeUndefined();
    expect(needTool('dot')).toBe(join(dir, 'dot'));
    expect(skipWithout('dot')).toBe(false);
  });

  it('skips with a reason when the tool is missing outside CI', () => {
    process.env.PATH = folderWithDot();
    delete process.env.PATHFIND_CI;
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(skipWithout('chromium')).toBe(true);
    expect(String(err.mock.calls[0][0])).toMatch(/^skipping tests that need chromium: not found on PATH/);
  });

  it('does not skip under PATHFIND_CI=1, where the missing tool fails the test with one line', () => {
    process.env.PATH = folderWithDot();
    process.env.PATHFIND_CI = '1';
    expect(skipWithout('chromium')).toBe(false);
    expect(() => needTool('chromium')).toThrow('chromium not found on PATH, and PATHFIND_CI=1 requires it');
  });
});
