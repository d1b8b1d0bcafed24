import type { Picture, PictureNode } from '../../types/picture.js';
import type { PathsResult } from '../../types/results.js';
import { PictureDraft } from './draft.js';
import type { PictureBuildOptions } from './options.js';

const addPath = (item: { paths?: number[] }, path: number): void => {
  if (!item.paths) item.paths = [path];
  else if (!item.paths.includes(path)) item.paths.push(path);
};

/**
 * The picture of a paths query (one path, or `-k N` merged): every node and edge of every path,
 * each carrying the indexes of the paths it lies on, and a legend row per path with its length.
 * Nothing is cut or excluded: the paths are what the user asked for. Ids follow path order. With
 * options.builtOnly the caption says the paths keep to built code.
 */
export function picturePaths(result: PathsResult, options: Pick<PictureBuildOptions, 'cluster' | 'via' | 'builtOnly'>): Picture {
  const draft = new PictureDraft();
  const via = new Set(options.via ?? []);
  const role = (node: PictureNode, at: number, last: number): void => {
    if (at === 0) node.role = 'start';
    else if (at === last) node.role = 'target';
    else if (via.has(node.name) && node.role === undefined) node.role = 'via';
  };
  result.paths.forEach((path, p) => {
    path.nodes.forEach((ref, i) => {
      const node = draft.node(ref);
      addPath(node, p);
      role(node, i, path.nodes.length - 1);
    });
    for (const edge of path.edges) addPath(draft.call(edge), p);
  });
  const first = result.paths[0];
  const ends = first ? `${first.nodes[0]!.name} -> ${first.nodes[first.nodes.length - 1]!.name}` : 'no path';
  const count = result.paths.length > 1 ? `, ${result.paths.length} paths` : '';
  const deferred = result.onlyDeferred ? ' (no synchronous path: through deferred hops)' : result.longerSynchronous ? ` (through deferred hops: a synchronous path takes ${result.longerSynchronous.calls} calls)` : '';
  const built = options.builtOnly === undefined ? {} : { caption: `through code built${options.builtOnly ? ` with ${options.builtOnly}` : ''} only (--built-only)` };
  return draft.finish({ title: `${ends}${count}${deferred}`, kind: 'paths', legend: result.paths.map((path, i) => ({ path: i, calls: path.edges.length })), ...built }, options.cluster);
}
