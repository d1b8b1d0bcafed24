import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport, type Project } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';

/** Every call's argument list in the index's facts, by its JSON text. */
function argLists(p: Project): Map<string, unknown[][]> {
  const byText = new Map<string, unknown[][]>();
  for (const facts of p.index.files) {
    for (const fn of facts.functions) {
      for (const call of fn.calls) {
        const text = JSON.stringify(call.args);
        byText.set(text, [...(byText.get(text) ?? []), call.args as unknown[]]);
      }
    }
  }
  return byText;
}

describe('facts read from the facts cache for a resolution in full', () => {
  it('share their repeated values as parsed facts do (one frozen object for equal argument lists), and equal those of a fresh index', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-cached-shared-');
    const cache = join(dir, 'cache');
    const parsed = await openTreeReport({ root, cache, facts: true });
    // Every file's facts wanted: resolved in full, each file's facts read from the facts cache.
    const read = await openTreeReport({ root, cache, facts: true });
    expect(read.report).toMatchObject({ fromGraphCache: false, parsed: 0 });
    const repeated = [...argLists(read.project).values()].filter((lists) => lists.length > 1 && lists[0]!.length > 0);
    expect(repeated.length).toBeGreaterThan(5);
    for (const lists of repeated) {
      expect(lists.every((l) => l === lists[0])).toBe(true);
      expect(Object.isFrozen(lists[0])).toBe(true);
    }
    expect(read.project.index.files.map((f) => JSON.stringify(f))).toEqual(parsed.project.index.files.map((f) => JSON.stringify(f)));
  });
});
