import type { CodeIndex } from '../index/code-index.js';
import { excludeMatcher } from '../render/picture/exclude.js';
import type { EdgeList } from '../resolve/edge-list.js';
import type { TreeResult } from '../types/results.js';
import { builtOnly } from './built-only.js';
import type { EdgeFilter } from './project.js';

/** What a callees or callers tree leaves out: EdgeFilter's builtOnly, and the names --exclude patterns match. */
export interface TreeFilter extends EdgeFilter {
  /**
   * Functions whose names match one of these patterns (`*` any run, `?` one character, the whole
   * name: render/picture/exclude.ts) are left out of the tree with what is below them; the root is
   * never left out. For text and JSON trees: pictures apply their own --exclude when drawn.
   */
  exclude?: readonly string[];
  /**
   * Levels whose calls are counted when left out (TreeResult.leftOutNotBuilt, leftOutExcluded):
   * calls met under a function this many levels below the root or deeper are left out alike but
   * not counted. A picture asks one level past --depth only to mark the nodes it cuts; its calls
   * are not in the picture. All levels when absent.
   */
  countedLevels?: number;
}

/**
 * The `keep` a tree is made with (graph/call-tree.ts callTree) for `filter`, or undefined when it
 * leaves nothing out; `record(result)` then writes into the tree made with it the counts of what
 * was left out (TreeResult.leftOutNotBuilt, leftOutExcluded, excludesMatched) and starts the
 * counts again for the next tree; before it, `notBuiltUnder(node)` says how many calls met under
 * `node` in the tree being made --built-only left out (TreeItem.leftOutNotBuilt).
 */
export function treeKeep(
  index: CodeIndex,
  edges: EdgeList,
  filter: TreeFilter,
): { keep?: (node: number, edge: number, level: number, under: number) => boolean; record(result: TreeResult): void; notBuiltUnder(node: number): number } {
  const built = filter.builtOnly ? builtOnly(index, edges) : null;
  const patterns = filter.exclude ?? [];
  const matchers = patterns.map((p) => excludeMatcher([p]));
  let notBuilt = 0;
  let excluded = 0;
  let matched = new Set<string>();
  let under = new Map<number, number>();
  const notBuiltUnder = (node: number): number => under.get(node) ?? 0;
  const record = (result: TreeResult): void => {
    if (filter.builtOnly) result.leftOutNotBuilt = notBuilt;
    if (patterns.length) {
      result.leftOutExcluded = excluded;
      result.excludesMatched = patterns.filter((p) => matched.has(p));
    }
    notBuilt = excluded = 0;
    matched = new Set();
    under = new Map();
  };
  if (!built && !patterns.length) return { record, notBuiltUnder };
  const counted = filter.countedLevels ?? Infinity;
  const keep = (node: number, edge: number, level: number, parent: number): boolean => {
    if (patterns.length) {
      const name = index.name(node);
      const hits = patterns.filter((_, i) => matchers[i]!(name));
      if (hits.length) {
        if (level < counted) {
          for (const p of hits) matched.add(p);
          excluded++;
        }
        return false;
      }
    }
    if (built && !built.keeps(node, edge)) {
      if (level < counted) {
        notBuilt++;
        under.set(parent, notBuiltUnder(parent) + 1);
      }
      return false;
    }
    return true;
  };
  return { keep, record, notBuiltUnder };
}
