import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';

/**
 * The check that a cached graph's build record still holds, made while the tree is listed in
 * another process or thread (open-index.ts, the early graph): a build file that changed makes the
 * graph resolve again there too.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the build record check of an open that lists the tree meanwhile', () => {
  it('resolves the graph again when a build file changed', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-build-record-');
    dirs.push(dir);
    const cache = join(dir, 'cache');
    // net/Makefile entering net/core/: the record names a found Makefile below the top.
    writeFileSync(join(root, 'net/Makefile'), 'obj-y += core/\n');
    const open = async (): Promise<string> => {
      const trace: string[] = [];
      await openTreeReport({ root, cache, discoverInWorker: true, onTrace: (m) => trace.push(m) }, (p) => void p.graph({}));
      return trace.find((m) => m.startsWith('graph'))!.replace(/\s*\(\d+(\.\d+)? s\)$/, '');
    };
    expect(await open()).toMatch(/^graph: resolved in full/);
    expect(await open()).toBe('graph: loaded from the cache: no file changed');
    writeFileSync(join(root, 'net/Makefile'), 'obj-y += core/ socket.o\n');
    expect(await open()).toBe('graph: resolved in full: a build file or the configuration changed: net/Makefile changed, and whether Kbuild builds net/socket.c changed (unknown to yes)');
    expect(await open()).toBe('graph: loaded from the cache: no file changed');
  });
});
