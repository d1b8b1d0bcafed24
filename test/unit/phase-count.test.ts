import { describe, expect, it } from 'vitest';
import { count } from '../../src/cache/phase-clock.js';

describe('count (numbers in --verbose lines)', () => {
  it('groups integers by thousands as en-US does', () => {
    for (const n of [0, 7, 999, 1000, 43325, 722028, 4148215, 1234567890, -1, -1234, -999999, Number.MAX_SAFE_INTEGER]) expect(count(n), String(n)).toBe(n.toLocaleString('en-US'));
    expect(count(12.5)).toBe((12.5).toLocaleString('en-US'));
  });
});
