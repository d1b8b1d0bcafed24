import { describe, expect, it } from 'vitest';
import { PARKED_PART_BYTES, parkBytes, unparkBytes } from '../../src/util/parked-bytes.js';

/** `n` bytes of every value, from a view into a larger buffer. */
const bytesOf = (n: number): Uint8Array => {
  const all = new Uint8Array(n + 10);
  for (let i = 0; i < all.length; i++) all[i] = (i * 7) & 255;
  return all.subarray(5, n + 5);
};

describe('parked bytes', () => {
  it('gives back the same bytes, in a buffer of their own or in the one given', () => {
    for (const n of [0, 1, 300, PARKED_PART_BYTES - 1, PARKED_PART_BYTES, PARKED_PART_BYTES + 1, 3 * PARKED_PART_BYTES + 17]) {
      const bytes = bytesOf(n);
      const parked = parkBytes(bytes);
      expect(parked.length).toBe(n);
      expect(unparkBytes(parked).equals(bytes)).toBe(true);
      const into = Buffer.alloc(n + 5, 0xaa);
      const back = unparkBytes(parked, into);
      expect(back.equals(bytes)).toBe(true);
      expect(back.buffer).toBe(into.buffer);
    }
  });

  it('holds each part in a string shorter than node\'s limit for strings kept in V8\'s heap', () => {
    const parked = parkBytes(bytesOf(2_500_000));
    expect(parked.parts.length).toBe(Math.ceil(2_500_000 / PARKED_PART_BYTES));
    // Node (src/string_bytes.cc, EXTERN_APEX) makes a one-byte string of 0xFBEE9 bytes or more an external one, its bytes malloc'd.
    for (const part of parked.parts) expect(part.length).toBeLessThan(0xfbee9);
  });

  it('refuses a buffer too small for the bytes', () => {
    expect(() => unparkBytes(parkBytes(bytesOf(10)), Buffer.alloc(9))).toThrow(RangeError);
  });
});
