import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport, UsageError } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';

describe('path limits', () => {
  const { dir, root } = copyFixture('minikernel', 'pathfind-limits-');
  const cache = join(dir, 'cache');

  it('are the tree own paths however they are written: one cache scope, the same files', async () => {
    const first = await openTreeReport({ root, cache, paths: ['net'] });
    expect(first.report.fromGraphCache).toBe(false);
    const files = first.project.index.files.map((f) => f.path);
    expect(files.length).toBeGreaterThan(3);
    expect(files.every((f) => f.startsWith('net/'))).toBe(true);
    for (const spelt of ['net/', './net', 'net/../net', join(root, 'net')]) {
      const again = await openTreeReport({ root, cache, paths: [spelt] });
      expect({ spelt, cached: again.report.fromGraphCache }).toEqual({ spelt, cached: true });
      expect(again.project.index.files.map((f) => f.path)).toEqual(files);
    }
  });

  it('outside the tree are a usage error, not indexed as part of it', async () => {
    for (const outside of ['..', '../tree-elsewhere', '/tmp', join(root, '..')]) {
      await expect(openTreeReport({ root, cache: false, paths: [outside] }), outside).rejects.toThrow(UsageError);
      await expect(openTreeReport({ root, cache: false, paths: [outside] }), outside).rejects.toThrow(/^path outside the tree: /);
    }
  });
});
