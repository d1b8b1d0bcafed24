import type { EdgeSplice } from '../../src/resolve/edge-splice.js';

/** A splice writing edges named `to` (line ten times that) in place of [start, end). */
export const splice = (start: number, end: number, to: number[]): EdgeSplice => ({
  start,
  end,
  count: to.length,
  write: (next, at) =>
    to.forEach((t, k) => {
      next.to[at + k] = t;
      next.line[at + k] = t * 10;
    }),
});
