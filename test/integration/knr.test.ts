import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeStats, openTree, type Project } from '../../src/index.js';

/** fixtures/knr: old-style (K&R) definitions and a stray file-scope block, through the whole pipeline. */
const root = join(import.meta.dirname, '../../fixtures/knr');

let project: Project;
beforeAll(async () => {
  project = await openTree({ root, jobs: 1, cache: false });
});

const path = (start: string, target: string): string[] => project.findPaths({ start, target }).paths.map((p) => p.nodes.map((n) => n.name).join(' -> '));

describe('K&R definitions', () => {
  it('finds main -> copy_str -> raw_copy (input g of issue 12)', () => {
    expect(path('main', 'raw_copy')).toEqual(['main -> copy_str -> raw_copy']);
  });

  it('finds paths through definitions without a return type and with several declarators', () => {
    expect(path('run', 'leaf')).toEqual(['run -> pair -> leaf']);
    expect(path('run', 'fill')).toEqual(['run -> join_two -> fill']);
  });

  it('counts the stray file-scope block of stray.c, and no parse error in the K&R files', () => {
    expect(computeStats(project).parseErrors).toEqual([{ path: 'stray.c', count: 1 }]);
  });
});
