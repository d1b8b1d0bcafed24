import { pictureTrees } from '../render/picture/build-tree.js';
import { picturePaths } from '../render/picture/build-paths.js';
import { excludeMatcher } from '../render/picture/exclude.js';
import { breadthFirst, flattenTrees } from '../render/picture/tree-graph.js';
import type { PictureBuildOptions } from '../render/picture/options.js';
import type { Picture } from '../types/picture.js';
import type { PathsResult, TreeResult } from '../types/results.js';
import type { Project } from './project.js';
import { addSignatures } from './signatures.js';

export { DEFAULT_MAX_NODES, type PictureBuildOptions } from '../render/picture/options.js';

/** Options of a picture query: the build options, with the profile's default excludes unless `defaultExcludes` is false. */
export type PictureQuery = PictureBuildOptions & { defaultExcludes?: boolean };

/** The default exclude patterns a picture uses: the profile's (Profile.pictureExcludes), or none when switched off. */
export function defaultExcludePatterns(project: Project, query: PictureQuery): string[] {
  return query.defaultExcludes === false ? [] : [...project.index.profile.pictureExcludes];
}

/** The picture of a paths result, with signatures read back from the source for its tooltips (none for an index from an export: no source). */
export function pathsPicture(project: Project, result: PathsResult, query: PictureQuery): Picture {
  const picture = picturePaths(result, query);
  if (project.index.root !== null) addSignatures(project.index.root, picture.nodes);
  return picture;
}

/**
 * The picture of callees or callers trees. `trees` should be queried one level deeper than
 * `query.depth`, so that the nodes with more calls past the depth can be marked as cut.
 */
export function treesPicture(project: Project, trees: TreeResult[], direction: 'callees' | 'callers', query: PictureQuery): Picture {
  const picture = pictureTrees(trees, direction, { ...query, defaultExclude: defaultExcludePatterns(project, query) });
  if (project.index.root !== null) addSignatures(project.index.root, picture.nodes);
  return picture;
}

/**
 * The `patterns` (the user's --exclude) that match no function of the trees within `depth`
 * levels, the roots left aside (a root is never excluded): patterns that left nothing out.
 */
export function unmatchedExcludes(trees: TreeResult[], patterns: string[], depth: number): string[] {
  if (patterns.length === 0) return [];
  const graph = flattenTrees(trees);
  const roots = new Set(graph.roots);
  const names = [...breadthFirst(graph, () => false, depth).keys()].filter((key) => !roots.has(key)).map((key) => graph.refs.get(key)!.name);
  return patterns.filter((pattern) => !names.some(excludeMatcher([pattern])));
}
