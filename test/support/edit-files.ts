import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { CallGraph } from '../../src/graph/call-graph.js';
import { rowsOf } from '../../src/graph/graph-rows.js';
import { openTreeReport } from '../../src/index.js';
import { canonicalGraph } from './canonical-graph.js';
import { copyFixture } from './fixtures.js';

/**
 * Edits to a test's tree of files, each given a fresh mtime two seconds past the last one (so a
 * cache keyed by size and mtime always sees the change, even within one second), and the
 * comparison of the tree opened through its cache with a fresh index of it.
 */

let clock = Math.floor(Date.now() / 1000);

/** Writes a file of the tree (and its folders) with a fresh mtime. */
export function putFile(root: string, path: string, text: string): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  clock += 2;
  utimesSync(file, clock, clock);
}

/** A private copy of fixture `name` (temp folder named by `prefix`) with `files` (path -> text) written over it, indexed once with its cache. */
export async function indexedCopy(name: string, prefix: string, files: Record<string, string>): Promise<{ dir: string; root: string; cache: string }> {
  const { dir, root } = copyFixture(name, prefix);
  for (const [path, text] of Object.entries(files)) putFile(root, path, text);
  const cache = join(dir, 'cache');
  await openTreeReport({ root, cache });
  return { dir, root, cache };
}

/** Replaces `from` (which must occur exactly once) by `to` in a file of the tree, with a fresh mtime. */
export function editFile(root: string, path: string, from: string, to: string): void {
  const text = readFileSync(join(root, path), 'utf8');
  expect(text.split(from).length, `${path}: ${JSON.stringify(from)} once`).toBe(2);
  putFile(root, path, text.replace(from, to));
}

/** Opens the tree through its cache and from scratch: whether the cache was patched, the `-v` graph lines (why not), and both canonical graphs; checks that the call graphs the cached open makes are those folding its edges makes. */
export async function compareWithFresh(root: string, cache: string): Promise<{ incremental: boolean; why: string; got: string[]; want: string[] }> {
  const trace: string[] = [];
  const cached = await openWithGraphsChecked(root, cache, trace);
  const scratch = await openTreeReport({ root, cache: false });
  return { incremental: cached.report.incremental, why: trace.filter((m) => m.includes('graph')).join(' | '), got: canonicalGraph(cached.project), want: canonicalGraph(scratch.project) };
}

/** One edit of a test's tree: the file, the text replaced (once), its replacement. */
export type EditStep = [path: string, from: string, to: string];

/** Makes each edit of `steps` in turn, and after each expects the tree opened through its cache to be patched (incremental) and equal a fresh index of it. */
export async function expectEachPatched(root: string, cache: string, steps: readonly EditStep[]): Promise<void> {
  for (const [path, from, to] of steps) {
    editFile(root, path, from, to);
    const { incremental, why, got, want } = await compareWithFresh(root, cache);
    expect(got).toEqual(want);
    expect(incremental, why).toBe(true);
  }
}

/** Expects the tree opened through its cache to be resolved in full, `-v` saying why as `reason` matches, and equal to a fresh index. */
export async function expectResolvedInFull(root: string, cache: string, reason: RegExp): Promise<void> {
  const { incremental, why, got, want } = await compareWithFresh(root, cache);
  expect(got).toEqual(want);
  expect(incremental).toBe(false);
  expect(why).toMatch(reason);
}

/**
 * Opens the tree through its cache as the CLI opens a large one, listed in a worker thread with
 * the call graphs built meanwhile (after a patch they are derived from those, across a node
 * renumbering too: graph/derive-rows.ts), and checks that the call graphs it then makes are
 * those folding its edges makes. `trace` gets the `-v` lines.
 */
export async function openWithGraphsChecked(root: string, cache: string, trace: string[]): Promise<Awaited<ReturnType<typeof openTreeReport>>> {
  const filters = [{ noDeferred: true }, {}];
  const cached = await openTreeReport({ root, cache, discoverInWorker: true, onTrace: (m) => trace.push(m) }, (p) => filters.forEach((f) => p.graph(f)));
  for (const f of filters) {
    const g = cached.project.graph(f);
    expect(rowsOf(g), `call graph ${g.madeBy}`).toEqual(rowsOf(new CallGraph(g.index, g.edges, g.keep, g.withDeferred)));
  }
  return cached;
}
