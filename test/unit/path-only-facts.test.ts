import { describe, expect, it } from 'vitest';
import { pathOnly } from '../../src/cache/snapshot-index.js';
import { emptyFacts } from '../../src/parse/file-parser.js';
import { join } from 'node:path';
import { openTree } from '../../src/api/open-tree.js';
import { CodeIndex } from '../../src/index/code-index.js';
import { fixturesDir } from '../support/fixtures.js';

describe('the facts of a file of an index loaded from the graph cache (pathOnly)', () => {
  it('has the fields of empty facts, in their order, with its path', () => {
    const facts = pathOnly('net/socket.c');
    expect(Object.keys(facts)).toEqual(Object.keys(emptyFacts('')));
    expect(facts).toEqual(emptyFacts('net/socket.c'));
  });

  it('shares its empty lists with every other file, and nothing can be added to them', () => {
    const a = pathOnly('a.c');
    const b = pathOnly('b.c');
    expect(a.functions).toBe(b.functions);
    expect(Object.isFrozen(a.functions)).toBe(true);
    expect(() => a.functions.push({} as never)).toThrow();
  });
});

/** The minikernel's index, and one loaded from its snapshot; `made()` counts the times the loaded one made its files. */
async function fromSnapshot(): Promise<{ built: CodeIndex; loaded: CodeIndex; made: () => number }> {
  const built = (await openTree({ root: join(fixturesDir, 'minikernel') })).index;
  const snapshot = built.snapshot();
  let made = 0;
  const loaded = new CodeIndex(built.root, built.profile, () => {
    made++;
    return snapshot.files.map(pathOnly);
  }, snapshot);
  return { built, loaded, made: () => made };
}

describe('the files of an index loaded from a snapshot', () => {
  it('are made only when `files` is read: paths, counts and nodes\' files are read from the snapshot', async () => {
    const { built, loaded, made } = await fromSnapshot();
    expect(loaded.fileCount).toBe(built.files.length);
    expect(Array.from({ length: loaded.fileCount }, (_, f) => loaded.filePath(f))).toEqual(built.files.map((f) => f.path));
    for (let n = 0; n < built.nodeCount; n++) expect(loaded.file(n)).toBe(built.file(n));
    expect(made()).toBe(0);
    expect(loaded.files.map((f) => f.path)).toEqual(built.files.map((f) => f.path));
    expect(loaded.files).toBe(loaded.files);
    expect(made()).toBe(1);
  });

  it('lists every path (filePaths) without making `files`, as `files` would list them', async () => {
    const { built, loaded, made } = await fromSnapshot();
    const paths = built.files.map((f) => f.path);
    expect(paths.length).toBeGreaterThan(3);
    expect(loaded.filePaths()).toEqual(paths);
    expect(made()).toBe(0);
    // Once `files` is made, from it; an index made from facts, from them.
    expect(loaded.files.map((f) => f.path)).toEqual(paths);
    expect(loaded.filePaths()).toEqual(paths);
    expect(built.filePaths()).toEqual(paths);
  });
});

