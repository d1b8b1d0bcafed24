import { afterEach, describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/util/collect-garbage.js';

const global = globalThis as { gc?: () => void };
const own = global.gc;
afterEach(() => {
  if (own) global.gc = own;
  else delete global.gc;
});

describe('collectGarbage', () => {
  it("runs node's gc() when the process exposes it", () => {
    let runs = 0;
    global.gc = () => void runs++;
    collectGarbage();
    expect(runs).toBe(1);
  });

  it('does nothing (and throws nothing) when gc() is not exposed', () => {
    delete global.gc;
    expect(() => collectGarbage()).not.toThrow();
  });
});
