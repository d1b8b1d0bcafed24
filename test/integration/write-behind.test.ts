import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { IndexCache, writesDone } from '../../src/cache/index-cache.js';
import { copyFixture } from '../support/fixtures.js';
import { canonicalGraph } from '../support/tree-edits.js';

/** The graph file of a cache folder (one query scope), decoded: its manifest and payload, every column read. */
function graphFile(cache: string): unknown {
  const name = readdirSync(cache).find((f) => f.endsWith('.graph'));
  expect(name).toBeDefined();
  const loaded = new IndexCache(cache, name!.slice(0, -'.graph'.length), () => {}).load('graph');
  expect(loaded).not.toBeNull();
  // Through JSON, so that every lazily decoded column is read and typed arrays compare by their values.
  return JSON.parse(JSON.stringify(loaded, (_, v: unknown) => (ArrayBuffer.isView(v) ? [...(v as Uint8Array)] : v)));
}

/** Adds a call of `callee` at the top of the first function body of `path` under `root`. */
function addCall(root: string, path: string, callee: string): void {
  const file = join(root, path);
  const text = readFileSync(file, 'utf8');
  const body = /(\n\w[^\n;]*\)\n\{\n)/;
  expect(body.test(text)).toBe(true);
  writeFileSync(file, text.replace(body, `$1\t${callee}(0);\n`));
}

describe('a patched graph written behind (OpenOptions.writeBehind)', () => {
  it('writes in a worker thread the same file the patch writes at once, and a later open in the process waits for it', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-behind-');
    const atOnce = join(dir, 'cache-at-once');
    const behind = join(dir, 'cache-behind');
    await openTreeReport({ root, cache: atOnce });
    cpSync(atOnce, behind, { recursive: true });
    const first = await openTreeReport({ root, cache: false });
    const caller = first.project.index.files.map((f) => f.path).find((p) => p.endsWith('.c') && /\n\w[^\n;]*\)\n\{\n/.test(readFileSync(join(root, p), 'utf8')));
    addCall(root, caller!, 'pathfind_behind');

    const traceAtOnce: string[] = [];
    const patched = await openTreeReport({ root, cache: atOnce, onTrace: (m) => traceAtOnce.push(m) });
    expect(patched.report.incremental).toBe(true);
    expect(traceAtOnce.some((m) => /^save: .*graph written \(/.test(m))).toBe(true);

    const trace: string[] = [];
    const behindOpen = await openTreeReport({ root, cache: behind, writeBehind: true, onTrace: (m) => trace.push(m) });
    expect(behindOpen.report.incremental).toBe(true);
    expect(trace.some((m) => /^save: .*graph handed to a writer thread \(/.test(m))).toBe(true);
    // The project handed back is the patched graph, whatever the writer is doing.
    expect(canonicalGraph(behindOpen.project)).toEqual(canonicalGraph(patched.project));

    // A later open waits for the write, and finds the graph up to date: loaded, not patched again.
    const again = await openTreeReport({ root, cache: behind, writeBehind: true });
    expect(again.report).toMatchObject({ incremental: false, parsed: 0 });
    expect(canonicalGraph(again.project)).toEqual(canonicalGraph((await openTreeReport({ root, cache: false })).project));
    await writesDone();
    // The same file but for how v8 happened to store some numbers in the skeleton (a small integer or a double).
    expect(graphFile(behind)).toEqual(graphFile(atOnce));
  });
});
