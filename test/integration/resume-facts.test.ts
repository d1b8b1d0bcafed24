import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { canonicalGraph } from '../support/tree-edits.js';

const dir = mkdtempSync(join(tmpdir(), 'pathfind-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A tree of `n` files calling one another in a ring, each with a pointer call bound by an ops initializer. */
function ringTree(name: string, n: number): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'lib'), { recursive: true });
  writeFileSync(join(root, 'lib/ops.h'), 'struct ring_ops {\n\tint (*step)(int x);\n};\n');
  for (let i = 0; i < n; i++) {
    writeFileSync(join(root, `lib/r${i}.c`), `#include "ops.h"\n\nint r${i}(int x)\n{\n\treturn r${(i + 1) % n}(x);\n}\n\nstatic const struct ring_ops ops${i} = { .step = r${i} };\n\nint via${i}(const struct ring_ops *o)\n{\n\treturn o->step(${i});\n}\n`);
  }
  return root;
}

/** An open that stops where resolution starts, as an index interrupted while resolving (Ctrl-C) does: the binding scope is made right before. */
const interrupted = (): never => {
  throw new Error('interrupted while resolving');
};

describe('a cold index interrupted while resolving', () => {
  // jobs 2 with more than 200 files: facts frames packed by the parse workers and encoded in a worker; jobs 1: encoded here.
  for (const [jobs, n] of [
    [2, 450],
    [1, 30],
  ] as const) {
    it(`keeps the facts it parsed, and the next run resolves from them without parsing (jobs ${jobs}, ${n + 1} files)`, async () => {
      const root = ringTree(`tree-${jobs}`, n);
      const cache = join(dir, `cache-${jobs}`);
      await expect(openTreeReport({ root, cache, jobs, refresh: true, bindingScope: interrupted })).rejects.toThrow('interrupted while resolving');
      expect(readdirSync(cache).filter((f) => f.endsWith('.facts'))).toHaveLength(1);
      expect(readdirSync(cache).filter((f) => f.endsWith('.graph'))).toHaveLength(0);
      const resumed = await openTreeReport({ root, cache, jobs });
      expect(resumed.report).toMatchObject({ parsed: 0, reused: n + 1, fromGraphCache: false });
      const plain = await openTreeReport({ root, cache: false });
      expect(canonicalGraph(resumed.project)).toEqual(canonicalGraph(plain.project));
      // The graph written by the resumed run is used as it is by the next.
      expect((await openTreeReport({ root, cache, jobs })).report).toMatchObject({ parsed: 0, fromGraphCache: true });
    });
  }
});
