import type { CodeIndex } from '../index/code-index.js';
import { directTargets } from './bind-direct.js';
import { kindId } from './edge-kind.js';
import { EdgeList } from './edge-list.js';

const DIRECT = kindId('direct');
const MACRO = kindId('macro');

/** Binds every call site of the index to its targets. */
export function resolveEdges(index: CodeIndex): EdgeList {
  const edges = new EdgeList();
  for (let node = 0; node < index.nodeCount; node++) {
    const file = index.nodeFile[node]!;
    const fromMacro = index.isMacro(node);
    index.calls(node).forEach((call, site) => {
      if (call.name === undefined) return;
      for (const target of directTargets(index, file, call.name)) {
        edges.add(node, target, fromMacro || index.isMacro(target) ? MACRO : DIRECT, site);
      }
    });
  }
  return edges;
}
