import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTree, openTreeReport, type Project } from '../../src/index.js';

const fixture = join(import.meta.dirname, '../../fixtures/utf8');

/** A private copy of the utf8 fixture and a cache folder for it. */
function scratch(): { root: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pathfind-utf8-'));
  const root = join(dir, 'tree');
  cpSync(fixture, root, { recursive: true });
  return { root, cache: join(dir, 'cache') };
}

const chain = (p: Project, start: string, target: string): string[] => p.findPaths({ start, target }).paths[0]?.nodes.map((n) => n.name) ?? [];
const callees = (p: Project, name: string): string[] => p.tree(name, 1, 'callees')[0]!.root.children.map((c) => `${c.node.name} ${c.edge!.kind}`).sort();

/** What the fixture's call graph must say, whichever extractor read it and however it was loaded. */
function expectGraph(p: Project): void {
  expect(chain(p, '日本_entrée', 'café')).toEqual(['日本_entrée', 'commande', 'café']);
  expect(chain(p, '日本_entrée', 'brûler_grains')).toEqual(['日本_entrée', 'commande', 'brûler_grains']);
  // noter is only declared: an external node, under its whole name.
  expect(callees(p, 'commande')).toEqual(['PRÉPARER macro', 'brûler_grains ops-initializer', 'café direct', 'noter direct', 'servir_tasse ops-initializer', 'thé direct'].sort());
  expect(p.nodes('noter').map((n) => p.index.isExternal(n))).toEqual([true]);
  expect(callees(p, 'PRÉPARER')).toEqual(['café macro']);
  expect(callees(p, 'ÉCRIRE')).toEqual(['café macro']);
}

describe('a tree with UTF-8 identifiers', () => {
  for (const parser of ['scan', 'tree-sitter'] as const) {
    it(`finds paths and callees by UTF-8 names (${parser})`, async () => {
      const { root, cache } = scratch();
      expectGraph(await openTree({ root, cache, extractor: parser, jobs: 1 }));
    });
  }

  it('looks a name up by its universal character name spelling too', async () => {
    const { root, cache } = scratch();
    const p = await openTree({ root, cache, jobs: 1 });
    expect(chain(p, '日本_entrée', 'caf\\u00e9')).toEqual(['日本_entrée', 'commande', 'café']);
    expect(chain(p, '\\u65e5\\u672c_entr\\u00e9e', 'th\\U000000e9')).toEqual(['日本_entrée', 'commande', 'thé']);
    expect(p.nodes('comptoir.c:caf\\u00e9')).toEqual(p.nodes('café'));
  });

  it('suggests the UTF-8 name for a misspelling', async () => {
    const { root, cache } = scratch();
    const p = await openTree({ root, cache, jobs: 1 });
    for (const wrong of ['cafe', 'cafè']) expect(() => p.nodes(wrong)).toThrow(`unknown function '${wrong}' (did you mean café`);
    expect(() => p.nodes('bruler_grains')).toThrow(/did you mean brûler_grains/);
  });

  it('keeps UTF-8 names through the graph cache and the facts cache', async () => {
    const { root, cache } = scratch();
    const first = await openTreeReport({ root, cache, jobs: 1 });
    expectGraph(first.project);
    const second = await openTreeReport({ root, cache, jobs: 1 });
    expect(second.report).toMatchObject({ parsed: 0, fromGraphCache: true });
    expectGraph(second.project);
    // An edited header is parsed again; comptoir.c's facts come from the cache and are resolved anew.
    appendFileSync(join(root, 'include/comptoir.h'), '/* modifié */\n');
    const third = await openTreeReport({ root, cache, jobs: 1 });
    expect(third.report).toMatchObject({ parsed: 1, fromGraphCache: false });
    expectGraph(third.project);
  });
});
