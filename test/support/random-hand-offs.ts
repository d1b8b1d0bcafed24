import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { canonicalGraph } from './canonical-graph.js';
import { copyFixture } from './fixtures.js';
import { EDIT_KINDS, seededRandom } from './tree-edits.js';

/** One step of randomHandOffEdits: the kind of edit, and how the cached graph was had. */
export interface HandOffStep {
  kind: string;
  incremental: boolean;
  /** The `-v` line that says how the graph was had. */
  why: string;
  /** The edits so far, for a failure's message. */
  done: string;
}

/**
 * Eight seeded edits of `kinds` (EDIT_KINDS) on each fixture with work, timers and tasklets
 * (handoff, deferred, macrostore/work; PATHFIND_EDIT_ROUNDS seeds each, from `seedBase`), each
 * opened through the cache and compared with a fresh index of the edited tree (asserted equal).
 * Returns every step, for the caller's own expectations of which were patched.
 */
export async function randomHandOffEdits(kinds: readonly string[], seedBase: number): Promise<HandOffStep[]> {
  const rounds = Number(process.env.PATHFIND_EDIT_ROUNDS ?? 1);
  const steps: HandOffStep[] = [];
  for (const [i, fixture] of ['handoff', 'deferred', 'macrostore/work'].flatMap((f) => Array.from({ length: rounds }, () => f)).entries()) {
    const { dir, root } = copyFixture(fixture, 'pathfind-hand-offs-random-');
    try {
      const cache = join(dir, 'cache');
      let facts = (await openTreeReport({ root, cache })).project.index.files;
      const random = seededRandom(seedBase + i);
      const done: string[] = [];
      for (let step = 0; step < 8; step++) {
        const kind = kinds[Math.floor(random() * kinds.length)]!;
        const what = EDIT_KINDS[kind]!({ root, facts, random, serial: step });
        if (!what) continue;
        done.push(what);
        const trace: string[] = [];
        const cached = await openTreeReport({ root, cache, onTrace: (m) => trace.push(m) });
        const scratch = await openTreeReport({ root, cache: false });
        expect(canonicalGraph(cached.project), `${fixture} seed ${seedBase + i}: ${done.join(' | ')}`).toEqual(canonicalGraph(scratch.project));
        steps.push({ kind, incremental: cached.report.incremental, why: trace.find((m) => m.startsWith('graph')) ?? '', done: `${fixture}: ${done.join(' | ')}` });
        facts = scratch.project.index.files;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return steps;
}
