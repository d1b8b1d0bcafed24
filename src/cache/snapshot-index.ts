import { CodeIndex, type IndexSnapshot } from '../index/code-index.js';
import { emptyFacts } from '../parse/file-parser.js';
import type { Profile } from '../profiles/profile.js';
import type { FileFacts } from '../types/facts.js';

/**
 * The index over a graph cache's snapshot, as a warm open and every graph patch make it: its
 * files' objects path-only (pathOnly), made when `files` is first read.
 */

/** emptyFacts with every list frozen: the lists a pathOnly facts object shares. */
const NO_FACTS: FileFacts = (() => {
  const facts = emptyFacts('');
  for (const value of Object.values(facts)) if (Array.isArray(value)) Object.freeze(value);
  return facts;
})();

/**
 * The facts of a file of an index loaded from the graph cache, which keeps its nodes and names
 * apart: its path, every list empty and shared with every other file (frozen: nothing may add to
 * them). Making 40,000 files' dozen empty lists each took 40-180 ms and their collection as much.
 * Written out field by field (emptyFacts' fields, in its order: a test checks they are the same):
 * a literal is made from one template, where spreading NO_FACTS copied its fields one by one (a
 * whole kernel's 43,000 files took 30-60 ms of a warm query's main thread).
 */
export const pathOnly = (path: string): FileFacts => ({
  path,
  hash: NO_FACTS.hash,
  parseErrors: NO_FACTS.parseErrors,
  functions: NO_FACTS.functions,
  macros: NO_FACTS.macros,
  structs: NO_FACTS.structs,
  typedefs: NO_FACTS.typedefs,
  globals: NO_FACTS.globals,
  prototypes: NO_FACTS.prototypes,
  bindings: NO_FACTS.bindings,
  includes: NO_FACTS.includes,
  fieldAliases: NO_FACTS.fieldAliases,
  aliasMacros: NO_FACTS.aliasMacros,
});

/**
 * The index over `snapshot` (its nodes, names and paths as stored), its files path-only and made
 * only when `files` is read: a graph patch reads the facts of a few files through readFactsFrom
 * and the paths of a few more, and making 43,000 files' objects cost a kernel's patch 60 ms and
 * their collection.
 */
export function snapshotIndex(root: string | null, profile: Profile, snapshot: IndexSnapshot): CodeIndex {
  return new CodeIndex(root, profile, () => snapshot.files.map(pathOnly), snapshot);
}
