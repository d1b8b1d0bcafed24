import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IndexCache, manifestOf } from '../../src/cache/index-cache.js';
import { summariseCallSites } from '../../src/cache/call-site-summary.js';
import { TreeBuild } from '../../src/cache/tree-build.js';
import type { GraphPayload } from '../../src/cache/patch-cached-graph.js';
import { discoverFiles } from '../../src/index/discover-files.js';
import { detectProfile } from '../../src/profiles/index.js';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';

describe('graph cache file', () => {
  it('gives back every field of the payload it was given, fields it does not know included', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-graph-frame-');
    const { project } = await openTreeReport({ root, cache: false, facts: true });
    const { index, edges } = project;
    const build = new TreeBuild(root, detectProfile(root), '');
    index.bindingScope = build.scopeFor(index);
    // A field another stage may add later: typed arrays, strings and records of its own.
    const future = { table: Int32Array.from({ length: 5000 }, (_, i) => i * 7), names: Array.from({ length: 5000 }, (_, i) => `n${i}`), note: 'kept' };
    const payload: GraphPayload & { future: typeof future } = { index: index.snapshot(), edges: edges.snapshot(), unreadable: project.unreadable, callSites: summariseCallSites(index), build: build.record(index), future };
    const manifest = manifestOf(discoverFiles(root, detectProfile(root)));
    const cache = new IndexCache(join(dir, 'cache'), 'k', () => {});
    cache.save('graph', manifest, [payload]);
    // The folder made for it holds the graph file, and the .gitignore of a cache folder pathfind makes (cache-dir.ts).
    expect(readdirSync(join(dir, 'cache')).sort()).toEqual(['.gitignore', 'k.graph']);
    const loaded = cache.load<GraphPayload & { future: typeof future }>('graph')!;
    expect(loaded.manifest).toEqual(manifest);
    expect(loaded.pieces).toHaveLength(1);
    const back = loaded.pieces[0]!;
    expect(Object.keys(back).sort()).toEqual(Object.keys(payload).sort());
    for (const key of Object.keys(payload.index) as (keyof GraphPayload['index'])[]) expect(back.index[key], `index.${key}`).toEqual(payload.index[key]);
    for (const key of Object.keys(payload.edges) as (keyof GraphPayload['edges'])[]) expect(back.edges[key], `edges.${key}`).toEqual(payload.edges[key]);
    expect(back.callSites).toEqual(payload.callSites);
    expect(back.build).toEqual(payload.build);
    expect(back.unreadable).toEqual(payload.unreadable);
    expect(back.future).toEqual(future);
    // The miniature kernel's string table (a few hundred names) is a column of its own, read when first asked for,
    // exactly when small values are stored as columns (the project of the tests of patched graphs: vitest.config.ts).
    expect(payload.index.strings.length).toBeLessThan(4096);
    expect(typeof Object.getOwnPropertyDescriptor(cache.load<GraphPayload>('graph')!.pieces[0]!.index, 'strings')!.get).toBe(process.env.PATHFIND_SMALL_COLUMNS === '1' ? 'function' : 'undefined');
  });
});
