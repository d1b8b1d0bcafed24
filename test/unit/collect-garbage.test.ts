import { afterEach, describe, expect, it } from 'vitest';
import { collectGarbage, collectLikeColdIndex } from '../../src/util/collect-garbage.js';

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

  // Last: collectLikeColdIndex gives the module V8's gc() for the rest of the process.
  it('collects for real once collectLikeColdIndex ran in a process without gc() exposed', async () => {
    delete global.gc;
    const held = (() => new WeakRef({ big: new Array(1000).fill(0) }))();
    await new Promise((resolve) => setTimeout(resolve, 0)); // a WeakRef's target is kept to the end of the job that made it
    collectGarbage();
    expect(held.deref()).toBeDefined(); // no gc() yet: nothing collected
    await new Promise((resolve) => setTimeout(resolve, 0)); // deref() kept it to the end of this job too
    collectLikeColdIndex();
    expect(global.gc).toBeUndefined(); // the process's global is left as it was
    collectGarbage();
    expect(held.deref()).toBeUndefined();
  });
});
