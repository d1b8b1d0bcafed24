import { isIndirect, kindId } from '../../src/resolve/edge-kind.js';
import { seededRandom } from './random.js';

/**
 * The edge kind of each separator tinyGraph reads (`f01>f02`); weak kinds come before strong ones
 * in random specs often enough that a later parallel edge replaces the first; `^` is deferred.
 */
export const ROW_STYLES = { '>': { kind: 'direct' }, '~': { kind: 'ops-initializer' }, '?': { kind: 'signature' }, '=': { kind: 'field-name' }, '^': { kind: 'ops-initializer', deferred: true } } as const;

/** A random edge spec of `edges` calls among `nodes` functions (`f00`...), separators of ROW_STYLES, callers interleaved (a caller's edges in several runs). */
export function randomEdgeSpec(seed: number, nodes: number, edges: number): string[] {
  const r = seededRandom(seed);
  const name = (i: number): string => `f${String(i).padStart(2, '0')}`;
  const seps = Object.keys(ROW_STYLES);
  return Array.from({ length: edges }, () => `${name(Math.floor(r() * nodes))}${seps[Math.floor(r() * seps.length)]!}${name(Math.floor(r() * nodes))}`);
}

/** The filters a query may build a call graph for: [what, keep kind, with deferred edges]. */
export const ROW_FILTERS: [string, (k: number) => boolean, boolean][] = [
  ['every kind', () => true, true],
  ['synchronous', () => true, false],
  ['direct only', (k) => !isIndirect(k), true],
  ['strong kinds, synchronous', (k) => k <= kindId('ops-initializer'), false],
];
