import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport, type Project } from '../../src/index.js';
import { OVERLAY_MAX_FILES } from '../../src/cache/facts-overlay.js';
import { buildAnswerEdit } from '../support/build-edits.js';
import { copyFixture } from '../support/fixtures.js';
import { canonicalGraph } from '../support/tree-edits.js';

/** The facts file of a cache folder (one query scope). */
function factsFile(cache: string): string {
  const name = readdirSync(cache).find((f) => f.endsWith('.facts'));
  expect(name).toBeDefined();
  return join(cache, name!);
}

/** Each file's facts, as the index reads them (lazily from the cache, or as parsed). */
function allFacts(p: Project): string[] {
  const { index } = p;
  return index.files.map((_, i) => JSON.stringify(index.fileFacts(i)));
}

/** A function definition's head and opening brace, each at the start of a line. */
const BODY = /(\n\w[^\n;]*\)\n\{\n)/;

/** The indexed C files (of `p`) with a function body where a call can be added. */
const editableFiles = (root: string, p: Project): string[] => p.index.files.map((f) => f.path).filter((path) => path.endsWith('.c') && BODY.test(readFileSync(join(root, path), 'utf8')));

/** Adds a call of `callee` at the top of the first body of `path`. */
function addCall(root: string, path: string, callee: string): void {
  const file = join(root, path);
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace(BODY, `$1\t${callee}(0);\n`));
}

/** Appends a comment to `path`: its content changes, its facts but their hash do not. */
const touchUp = (root: string, path: string): void => writeFileSync(join(root, path), `${readFileSync(join(root, path), 'utf8')}\n/* edited */\n`);

describe('facts of patched files kept in the graph cache (facts overlay)', () => {
  it('reads an earlier patched file by its overlaid facts when a later patch binds its calls again', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-overlay-later-');
    const cache = join(dir, 'cache');
    const first = await openTreeReport({ root, cache });
    const [caller, definer] = editableFiles(root, first.project);
    // A call of a name defined nowhere (an external node), patched into the overlay...
    addCall(root, caller!, 'pathfind_defined_later');
    expect((await openTreeReport({ root, cache })).report).toMatchObject({ incremental: true, parsed: 1 });
    // ...then the function defined in another file: the call in the overlaid file must bind to it.
    writeFileSync(join(root, definer!), `${readFileSync(join(root, definer!), 'utf8')}\nvoid pathfind_defined_later(int x)\n{\n}\n`);
    const patched = await openTreeReport({ root, cache });
    expect(patched.report).toMatchObject({ incremental: true, parsed: 1 });
    const scratch = await openTreeReport({ root, cache: false });
    expect(canonicalGraph(patched.project)).toEqual(canonicalGraph(scratch.project));
  });

  it('leaves the facts file as it is after a patch, and reads the edited files\' facts as a fresh index does', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-overlay-');
    const cache = join(dir, 'cache');
    const first = await openTreeReport({ root, cache });
    const facts = factsFile(cache);
    const written = readFileSync(facts);
    const files = editableFiles(root, first.project);
    expect(files.length).toBeGreaterThan(3);
    for (const [i, path] of files.slice(0, 3).entries()) {
      addCall(root, path, `pathfind_overlay_${i}`);
      const patched = await openTreeReport({ root, cache, facts: 'lazy' });
      expect(patched.report).toMatchObject({ incremental: true, parsed: 1 });
      // The 90 MB of a kernel's facts are not written again for one edited file.
      expect(readFileSync(facts).equals(written)).toBe(true);
      const scratch = await openTreeReport({ root, cache: false, facts: true });
      expect(allFacts(patched.project)).toEqual(allFacts(scratch.project));
      // The same facts again from the cache as it now stands, lazily and in full.
      const again = await openTreeReport({ root, cache, facts: 'lazy' });
      expect(again.report.fromGraphCache).toBe(true);
      expect(allFacts(again.project)).toEqual(allFacts(scratch.project));
    }
    const full = await openTreeReport({ root, cache, facts: true });
    expect(allFacts(full.project)).toEqual(allFacts((await openTreeReport({ root, cache: false, facts: true })).project));
  });

  it(`writes the overlaid facts into the facts frames once more than ${OVERLAY_MAX_FILES} files are overlaid`, async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-overlay-');
    const cache = join(dir, 'cache');
    const first = await openTreeReport({ root, cache });
    const facts = factsFile(cache);
    const files = first.project.index.files.map((f) => f.path);
    expect(files.length).toBeGreaterThan(OVERLAY_MAX_FILES);
    let rewritten = 0;
    for (const [i, path] of files.slice(0, OVERLAY_MAX_FILES + 1).entries()) {
      const before = statSync(facts).mtimeMs + ':' + statSync(facts).ino;
      if (i % 2 === 0 && editableFiles(root, first.project).includes(path)) addCall(root, path, `pathfind_fold_${i}`);
      else touchUp(root, path);
      const patched = await openTreeReport({ root, cache, facts: 'lazy' });
      expect(patched.report.parsed, path).toBe(1);
      if (statSync(facts).mtimeMs + ':' + statSync(facts).ino !== before) rewritten++;
    }
    // Written once, by the patch that overlaid one file too many.
    expect(rewritten).toBe(1);
    const scratch = await openTreeReport({ root, cache: false, facts: true });
    const again = await openTreeReport({ root, cache, facts: 'lazy' });
    expect(again.report.fromGraphCache).toBe(true);
    expect(allFacts(again.project)).toEqual(allFacts(scratch.project));
  });

  it('keeps the overlaid facts when the tree is then resolved in full without parsing a file, so the next open loads the graph', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-overlay-full-');
    const cache = join(dir, 'cache');
    const first = await openTreeReport({ root, cache, facts: 'lazy' });
    const [edited] = editableFiles(root, first.project);
    addCall(root, edited!, 'pathfind_overlay_full');
    // A file added too: the facts file then skips a place (facts-layout.ts), which the resolution in full must keep as well.
    writeFileSync(join(root, 'drivers/net/pathfind_added.c'), 'void pathfind_added(void)\n{\n\tpathfind_overlay_full(0);\n}\n');
    expect((await openTreeReport({ root, cache, facts: 'lazy' })).report).toMatchObject({ incremental: true, parsed: 2 });
    const written = readFileSync(factsFile(cache));
    // A build file edited so that an answer moves: resolved in full, every file's facts from the cache (the edited and added ones from the graph's overlay).
    buildAnswerEdit(root);
    const full = await openTreeReport({ root, cache, facts: 'lazy' });
    expect(full.report).toMatchObject({ incremental: false, fromGraphCache: false, parsed: 0 });
    expect(readFileSync(factsFile(cache)).equals(written)).toBe(true);
    const again = await openTreeReport({ root, cache, facts: 'lazy' });
    expect(again.report.fromGraphCache).toBe(true);
    const scratch = await openTreeReport({ root, cache: false, facts: true });
    expect(canonicalGraph(again.project)).toEqual(canonicalGraph(scratch.project));
    expect(allFacts(again.project)).toEqual(allFacts(scratch.project));
  });
});
