import { afterEach, describe, expect, it } from 'vitest';
import { toolAvailable } from '../support/tools.js';

describe('toolAvailable (the skip rule for tests needing dot or chromium)', () => {
  const saved = process.env.PATHFIND_CI;
  afterEach(() => {
    if (saved === undefined) delete process.env.PATHFIND_CI;
    else process.env.PATHFIND_CI = saved;
  });

  it('finds a tool on PATH or by absolute path', () => {
    expect(toolAvailable('sh')).toEqual({ ok: true, reason: '' });
    expect(toolAvailable(process.execPath).ok).toBe(true);
  });

  it('gives a reason to skip for a missing tool, outside CI', () => {
    delete process.env.PATHFIND_CI;
    const r = toolAvailable('/nonexistent/pathfind-no-such-tool');
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/not installed.*skipped/);
  });

  it('fails instead when PATHFIND_CI=1', () => {
    process.env.PATHFIND_CI = '1';
    expect(() => toolAvailable('pathfind-no-such-tool')).toThrow(/required when PATHFIND_CI=1/);
  });
});
