import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTree, openTreeReport, type Project } from '../../src/index.js';
import { calleeKinds as callees, edgeEvidence as evidence, edgeRows as graphText } from '../support/callees.js';
import { copyFixture } from '../support/fixtures.js';

/**
 * fixtures/outret: functions that reach a pointer through an out-parameter (`*slot = fn`) or a
 * return value (`return f;`), then are called through it (issue 12, kind 3). Each folder is its own tree.
 */
const fixture = (name: string): string => join(import.meta.dirname, '../../fixtures/outret', name);

const open = (name: string, parser?: 'scan' | 'tree-sitter'): Promise<Project> => openTree({ root: fixture(name), jobs: 1, cache: false, ...(parser ? { parser } : {}) });

describe('out-parameters', () => {
  it('binds a call through a local filled by `*slot = fn` in the function it was passed to, and nothing else', async () => {
    for (const parser of ['scan', 'tree-sitter'] as const) {
      const p = await open('out', parser);
      expect(callees(p, 'main')).toEqual(['install direct', 'produce ops-assignment']);
      expect(callees(p, 'install')).toEqual([]);
      expect(evidence(p, 'main', 'produce')).toEqual(['main.c:7 produce stored into *slot by install (main.c:3), passed as &cb by main']);
    }
  });

  it('fills a member passed by address', async () => {
    const p = await open('more');
    expect(callees(p, 'run_dev')).toEqual(['handle_a ops-assignment']);
    expect(callees(p, 'setup_dev')).toEqual(['fill_handler direct']);
    expect(evidence(p, 'run_dev', 'handle_a')).toEqual(['dev.c:26 handle_a stored into *slot by fill_handler (dev.c:21), passed as &struct dev.cb by setup_dev']);
  });
});

describe('return values', () => {
  it('binds a call through a global assigned the result of a function that returns a function, and nothing else', async () => {
    for (const parser of ['scan', 'tree-sitter'] as const) {
      const p = await open('ret', parser);
      expect(callees(p, 'main')).toEqual(['pick_release direct', 'release_buf ops-assignment']);
      expect(callees(p, 'pick_release')).toEqual([]);
      expect(evidence(p, 'main', 'release_buf')).toEqual(['main.c:7 release_buf returned by pick_release (main.c:3), stored in g_release by main']);
    }
  });

  it('follows a returned parameter, a conditional return, a returned local and a call of the result', async () => {
    for (const parser of ['scan', 'tree-sitter'] as const) {
      const p = await open('more', parser);
      expect(callees(p, 'use_same')).toEqual(['rel_one ops-assignment', 'same_release direct']);
      expect(evidence(p, 'use_same', 'rel_one')).toEqual(['dev.c:42 rel_one passed to same_release and returned (dev.c:37), stored in r by use_same']);
      // A member assigned a conditional's two functions; rel_unused (address taken, same type) is not one.
      expect(callees(p, 'run_release')).toEqual(['rel_one ops-assignment', 'rel_two ops-assignment']);
      expect(evidence(p, 'run_release', 'rel_two')).toEqual(['dev.c:54 rel_two returned by choose_release (dev.c:49), stored in struct dev.release by set_release']);
      expect(callees(p, 'use_direct')).toEqual(['rel_one ops-assignment', 'rel_two ops-assignment', 'release_by_type direct']);
      expect(evidence(p, 'use_direct', 'rel_one')).toEqual(['dev.c:74 rel_one stored in h (dev.c:68) and returned by release_by_type (dev.c:69), called at once by use_direct']);
      expect(callees(p, 'use_local')).toEqual(['choose_release direct', 'rel_one ops-assignment', 'rel_two ops-assignment']);
      for (const fn of ['fill_handler', 'same_release', 'choose_release', 'release_by_type']) expect(callees(p, fn)).toEqual([]);
    }
  });
});

describe('incremental re-index of out-parameters and returns', () => {
  const edits: [what: string, change: (t: string) => string][] = [
    ['a new call passing a member to a function that fills it', (t) => t.replace('\treturn d->cb(v);', '\tfill_handler(&d->cb);\n\treturn d->cb(v);')],
    ['a new call of a returned function', (t) => t.replace('\tr();\n', '\tr();\n\tchoose_release(1)();\n')],
    ['a store through an out-parameter removed', (t) => t.replace('\t*slot = handle_a;\n', '\n')],
    ['a return of a function removed', (t) => t.replace('\treturn fast ? rel_one : rel_two;', '\treturn 0;')],
    ['a store of a call result added', (t) => t.replace('\trelease_t fp;\n', '\trelease_t fp;\n\trelease_t gp = same_release(rel_two);\n')],
  ];
  for (const [what, change] of edits) {
    it(`gives the graph a full index gives after ${what}`, async () => {
      const { dir, root } = copyFixture('outret/more', 'pathfind-outret-');
      const cache = join(dir, 'cache');
      await openTreeReport({ root, cache });
      const file = join(root, 'dev.c');
      const before = readFileSync(file, 'utf8');
      const after = change(before);
      expect(after).not.toBe(before);
      writeFileSync(file, after);
      const cached = await openTreeReport({ root, cache });
      const scratch = await openTreeReport({ root, cache: false });
      expect(graphText(cached.project)).toEqual(graphText(scratch.project));
    });
  }
});
