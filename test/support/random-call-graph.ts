import { CallGraph } from '../../src/graph/call-graph.js';
import { seededRandom } from './random.js';
import { tinyGraph } from './tiny-graph.js';

/** The edge kind of each separator tinyGraph reads between a caller and a callee (`f001>f002`). */
export const KIND_STYLES = { '>': { kind: 'direct' }, '~': { kind: 'ops-initializer' }, '?': { kind: 'signature' }, '=': { kind: 'field-name' }, '^': { kind: 'indirect-hint' } } as const;

/** A separator of KIND_STYLES. */
export type KindSeparator = keyof typeof KIND_STYLES;

/**
 * A random call graph of `nodes` functions (`f000`, `f001`, ...) with `degree` calls each to
 * random callees, each call's kind picked by `kind` from the same seeded stream (so that a seed
 * always gives the same graph); `n` is its node count.
 */
export function randomCallGraph(seed: number, nodes: number, degree: number, kind: (random: () => number) => KindSeparator): { g: CallGraph; n: number } {
  const r = seededRandom(seed);
  const name = (i: number): string => `f${String(i).padStart(3, '0')}`;
  const spec: string[] = [];
  for (let a = 0; a < nodes; a++) {
    for (let j = 0; j < degree; j++) {
      const b = Math.floor(r() * nodes);
      spec.push(`${name(a)}${kind(r)}${name(b)}`);
    }
  }
  const { index, edges } = tinyGraph(spec, KIND_STYLES);
  return { g: new CallGraph(index, edges), n: index.nodeCount };
}
