import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { fixturesDir } from '../support/fixtures.js';
import { MentionTable } from '../../src/resolve/mention-table.js';

/** The mention table the graph cache file in `cache` keeps. */
const storedMentions = (cache: string): MentionTable => withStoredGraph(cache, (payload) => MentionTable.restore(payload.mentions)!);
import { canonicalGraph } from '../support/tree-edits.js';
import { withStoredGraph } from '../support/stored-graph.js';

/**
 * A tree of 451 files (three facts frames of 200) where every third file invokes definer macros
 * (fixtures/macrodef/ops/include/seqops.h), so that most frames hold files that expansion changes.
 */
function definerTree(): { root: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pathfind-cold-frames-'));
  const root = join(dir, 'tree');
  mkdirSync(join(root, 'include'), { recursive: true });
  mkdirSync(join(root, 'lib'), { recursive: true });
  copyFileSync(join(fixturesDir, 'macrodef/ops/include/seqops.h'), join(root, 'include/seqops.h'));
  for (let i = 0; i < 450; i++) {
    const made = i % 3 === 0 ? `static int s${i}_show(void *m) { return f${i}(${i}); }\nMAKE_SHOW_OPS(s${i});\nstatic void w${i}(struct work_struct *w) { }\nstatic MAKE_WORK(work${i}, w${i});\n` : '';
    writeFileSync(join(root, `lib/f${i}.c`), `#include "../include/seqops.h"\n\nint f${i}(int x)\n{\n\treturn f${(i + 1) % 450}(x);\n}\n${made}`);
  }
  return { root, cache: join(dir, 'cache') };
}

describe('a cold index with parse workers: facts frames encoded from the workers\' packed facts', () => {
  it('stores each file\'s facts as expanded (definer macros), their mention table, and the graph of an index without a cache', async () => {
    const { root, cache } = definerTree();
    const cold = await openTreeReport({ root, cache, jobs: 2 });
    expect(cold.report.parsed).toBe(451);
    const plain = await openTreeReport({ root, cache: false });
    expect(plain.project.index.files.some((f) => f.functions.some((fn) => fn.expanded))).toBe(true);
    expect(canonicalGraph(cold.project)).toEqual(canonicalGraph(plain.project));
    // The mention table made from the frames' JSON by the encoder: that of the expanded facts.
    const mentions = storedMentions(cache);
    const want = MentionTable.of(plain.project.index.files);
    expect(mentions.hashes.length).toBeGreaterThan(100);
    expect(Array.from(mentions.hashes)).toEqual(Array.from(want.hashes));
    expect(Array.from(mentions.counts)).toEqual(Array.from(want.counts));
    expect(mentions.mentions('s3_open')).toBe(1);
    // Facts read back from the frames written on the cold path: the same as expanded afresh.
    const withFacts = await openTreeReport({ root, cache, facts: true });
    expect(withFacts.report.parsed).toBe(0);
    expect(withFacts.project.index.files).toEqual(plain.project.index.files);
    // Lazy call details are each file's facts as its frame stores them (not expanded again on reading).
    const lazy = await openTreeReport({ root, cache, facts: 'lazy' });
    expect(lazy.report.fromGraphCache).toBe(true);
    expect(canonicalGraph(lazy.project)).toEqual(canonicalGraph(plain.project));
    expect(plain.project.index.files.map((_, i) => lazy.project.index.fileFacts(i))).toEqual(plain.project.index.files);
  });
});
