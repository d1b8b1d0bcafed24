import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { edgeRows as graphText } from '../support/callees.js';
import { copyFixture } from '../support/fixtures.js';

/**
 * Incremental re-index of fixtures/fieldcopy: an edit that adds a member copy, or a call passing a
 * member or a local to a function that calls or stores it, gives the graph a fresh index gives
 * (patched or resolved afresh).
 */
async function indexedScratch(): Promise<{ root: string; cache: string }> {
  const { dir, root } = copyFixture('fieldcopy', 'pathfind-fieldcopy-');
  const cache = join(dir, 'cache');
  await openTreeReport({ root, cache });
  return { root, cache };
}

function edit(root: string, path: string, from: string, to: string): void {
  const file = join(root, path);
  const before = readFileSync(file, 'utf8');
  expect(before.includes(from)).toBe(true);
  writeFileSync(file, before.replace(from, to));
}

describe('incremental re-index of member copies and members passed on', () => {
  for (const [name, path, from, to, edge] of [
    ['a call passing a member to a function that calls it', 'args.c', '\tkeep(h, x->cb);\n', '\tkeep(h, x->cb);\n\trun(x->cb);\n', /^keep_job@.* -> job_done@.* callback-arg/],
    ['a call passing a local to a function that calls it', 'args.c', '\tkeep(h, fp);\n', '\tkeep(h, fp);\n\trun(fp);\n', /^keep_local@.* -> tock@.* callback-arg/],
    ['a call passing a member to a function that stores it', 'args.c', '\trun(x->cb);\n', '\trun(x->cb);\n\tkeep(NULL, x->cb);\n', /^fire@.* -> job_done@.*passed by run_job to keep/],
    ['a member copy', 'cycle.c', '\tb->cb = pong;\n', '\tb->cb = pong;\n\tb->cb = ((struct pipe_b *)0)->cb;\n', /^run_b@.* -> pong@/],
    ['a removed member copy', 'work.c', '\tworker->current_func = work->func;\n', '', null],
  ] as const) {
    it(`gives a fresh index's graph after ${name}`, async () => {
      const { root, cache } = await indexedScratch();
      edit(root, path, from, to);
      const cached = await openTreeReport({ root, cache });
      const scratch = await openTreeReport({ root, cache: false });
      const got = graphText(cached.project);
      expect(got).toEqual(graphText(scratch.project));
      if (edge) expect(got.some((r) => edge.test(r))).toBe(true);
      // Without the copy, only the signature fallback's guess may remain (current_func takes a work_struct, as stat_update does).
      else expect(got.filter((r) => /^process_one_work@.* -> stat_update@/.test(r)).every((r) => / signature at /.test(r))).toBe(true);
    });
  }
});
