import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { canonicalGraph } from '../support/tree-edits.js';

/**
 * A patch over a cached graph whose edge columns are stored narrowed or as runs (thousands of
 * edges: cache/column-format.ts), which the patch reads as stored rather than decoding them
 * (resolve/stored-column.ts), equals a fresh index, edit after edit: the lines and call sites it
 * moves are written into the new columns, and a later patch finds them there.
 */

/** Functions in the generated file: each calls the next and a helper of another file (some 5,000 edges). */
const FUNCTIONS = 2500;

/** The generated tree's big file: every tenth function also bound in an ops initializer, called through a member by `run_all`. */
function bigFile(): string {
  const out = ['struct ops { void (*run)(int); };', 'void helper(int x);', ''];
  for (let i = 0; i < FUNCTIONS; i++) {
    out.push(`void f${i}(int x)`, '{', i + 1 < FUNCTIONS ? `\tf${i + 1}(x);` : '\thelper(x + 1);', '\thelper(x);', '}', '');
    if (i % 10 === 0) out.push(`static const struct ops op${i} = { .run = f${i} };`, '');
  }
  out.push('void run_all(const struct ops *o)', '{', '\to->run(1);', '}', '');
  return out.join('\n');
}

describe('a patch over edge columns stored narrowed or as runs', () => {
  it('equals a fresh index after a call added, a call removed elsewhere, and the file restored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-stored-columns-'));
    const root = join(dir, 'tree');
    const cache = join(dir, 'cache');
    mkdirSync(join(root, 'lib'), { recursive: true });
    writeFileSync(join(root, 'lib/helper.c'), 'void helper(int x)\n{\n}\n');
    const original = bigFile();
    writeFileSync(join(root, 'big.c'), original);
    const fresh = await openTreeReport({ root, cache });
    expect(fresh.project.edges.length).toBeGreaterThan(4096);
    const edits = [
      // A call added in f100: f100's sites move, every line after it moves down.
      (t: string) => t.replace('void f100(int x)\n{\n', 'void f100(int x)\n{\n\thelper(x - 1);\n'),
      // A call removed from f2000 as well: the next patch reads the lines and sites the first one moved.
      (t: string) => t.replace('void f2000(int x)\n{\n\tf2001(x);\n\thelper(x);\n', 'void f2000(int x)\n{\n\tf2001(x);\n'),
      () => original,
    ];
    for (const [step, edit] of edits.entries()) {
      writeFileSync(join(root, 'big.c'), edit(readFileSync(join(root, 'big.c'), 'utf8')));
      const cached = await openTreeReport({ root, cache });
      const scratch = await openTreeReport({ root, cache: false });
      expect(cached.report.incremental, `step ${step}`).toBe(true);
      expect(canonicalGraph(cached.project), `step ${step}`).toEqual(canonicalGraph(scratch.project));
    }
  });
});
