import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport, type Project } from '../../src/index.js';
import { OVERLAY_MAX_FILES } from '../../src/cache/facts-overlay.js';
import { settleWrites } from '../../src/cache/write-behind.js';
import { copyFixture } from '../support/fixtures.js';
import { canonicalGraph } from '../support/tree-edits.js';

/** Every file of a cache folder, by name. */
const snapshot = (cache: string): Map<string, Buffer> => new Map(readdirSync(cache).map((name) => [name, readFileSync(join(cache, name))]));

/** Makes the cache folder hold exactly `files`. */
function restore(cache: string, files: Map<string, Buffer>): void {
  for (const name of readdirSync(cache)) rmSync(join(cache, name), { force: true });
  for (const [name, bytes] of files) writeFileSync(join(cache, name), bytes);
}

/** The one name of `files` ending with `suffix`. */
function named(files: Map<string, Buffer>, suffix: string): string {
  const names = [...files.keys()].filter((n) => n.endsWith(suffix));
  expect(names).toHaveLength(1);
  return names[0]!;
}

/** Each file's facts, as the index reads them (lazily from the cache, or as parsed). */
const allFacts = (p: Project): string[] => p.index.files.map((_, i) => JSON.stringify(p.index.fileFacts(i)));

/** Appends a comment to `path`: it is touched, its facts stay the same. */
const touchUp = (root: string, path: string): void => writeFileSync(join(root, path), `${readFileSync(join(root, path), 'utf8')}\n/* edited */\n`);

describe('a patch that rewrites the facts file, cut short', () => {
  // A patch whose overlay overflows writes the facts frames again, then the graph (facts-overlay.ts). The new facts
  // take the facts file's name only once the graph that reads them is written (IndexCache.savePendingFacts): a process
  // killed between the two writes leaves the old graph with the old facts, or the new graph with the new facts
  // still under their pending name. Either way the next query must patch or load, never resolve the tree in full.
  it.each([false, true])('leaves the graph and its facts as a pair the next query reads, whichever write it was cut after (graph written behind: %s)', async (writeBehind) => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-overlay-cut-');
    const cache = join(dir, 'cache');
    const first = await openTreeReport({ root, cache });
    const files = first.project.index.files.map((f) => f.path);
    expect(files.length).toBeGreaterThan(OVERLAY_MAX_FILES + 1);
    for (const path of files.slice(0, OVERLAY_MAX_FILES)) {
      touchUp(root, path);
      expect((await openTreeReport({ root, cache })).report).toMatchObject({ incremental: true, parsed: 1 });
    }
    const before = snapshot(cache);
    const factsName = named(before, '.facts');
    const graphName = named(before, '.graph');
    const pendingName = factsName.replace(/\.facts$/, '.nextfacts');
    touchUp(root, files[OVERLAY_MAX_FILES]!);
    const notes: string[] = [];
    const overflowed = await openTreeReport({ root, cache, writeBehind, facts: 'lazy', onNote: (m) => notes.push(m) });
    // Nothing was cut short: the facts take their name without a note.
    expect(notes).toEqual([]);
    expect(overflowed.report).toMatchObject({ incremental: true, parsed: 1 });
    // Written behind, a query's own later reads of the facts wait for the graph, and the pending facts' rename after it.
    expect(allFacts(overflowed.project)).toEqual(allFacts((await openTreeReport({ root, cache: false, facts: true })).project));
    settleWrites();
    const after = snapshot(cache);
    // The facts were written again, and nothing is left under the pending name once the graph is written.
    expect(after.get(factsName)!.equals(before.get(factsName)!)).toBe(false);
    expect(after.has(pendingName)).toBe(false);
    const scratch = await openTreeReport({ root, cache: false, facts: true });

    const cutAfter = {
      // Killed after the new facts were written, before the graph: the old graph, the old facts, the new ones pending.
      'the facts': new Map([...before, [pendingName, after.get(factsName)!]]),
      // Killed after the graph was written, before the new facts took the facts file's name.
      'the graph': new Map([...before, [graphName, after.get(graphName)!], [pendingName, after.get(factsName)!]]),
    };
    for (const [step, files] of Object.entries(cutAfter)) {
      restore(cache, files);
      const said: string[] = [];
      const next = await openTreeReport({ root, cache, facts: 'lazy', onNote: (m) => said.push(m) });
      // Cut after the graph, the facts pending are put in place, and a note says so.
      expect(said.some((m) => m.includes('the facts a query cut short had written were put in place')), `cut after ${step}`).toBe(step === 'the graph');
      expect(next.report.incremental || next.report.fromGraphCache, `cut after ${step}`).toBe(true);
      expect(canonicalGraph(next.project), `cut after ${step}`).toEqual(canonicalGraph(scratch.project));
      expect(allFacts(next.project), `cut after ${step}`).toEqual(allFacts(scratch.project));
      // The query after reads the cache as it is now left, as a pair too.
      const again = await openTreeReport({ root, cache, facts: 'lazy' });
      expect(again.report.fromGraphCache, `cut after ${step}, then again`).toBe(true);
      expect(allFacts(again.project), `cut after ${step}, then again`).toEqual(allFacts(scratch.project));
      // Cut after the graph, the pending facts took the facts file's name; cut before it, the next patch wrote its own, then the same.
      expect(existsSync(join(cache, pendingName)), `cut after ${step}: facts left pending`).toBe(false);
    }
    // Cut after the graph, and another file edited before the next query: the patch reads the pending facts.
    restore(cache, cutAfter['the graph']);
    touchUp(root, files[OVERLAY_MAX_FILES + 1]!);
    const patched = await openTreeReport({ root, cache, writeBehind, facts: 'lazy' });
    expect(patched.report).toMatchObject({ incremental: true, parsed: 1 });
    const fresh = await openTreeReport({ root, cache: false, facts: true });
    expect(canonicalGraph(patched.project)).toEqual(canonicalGraph(fresh.project));
    expect(allFacts(patched.project)).toEqual(allFacts(fresh.project));
    settleWrites();
    expect(existsSync(join(cache, pendingName))).toBe(false);
  });
});
