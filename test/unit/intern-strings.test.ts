import { describe, expect, it } from 'vitest';
import { internStrings } from '../../src/util/intern-strings.js';

describe('internStrings', () => {
  it('leaves plain data equal to what it was and keeps one copy per distinct text', () => {
    const text = JSON.stringify([
      { name: 'tcp_sendmsg', calls: [{ line: 3, col: 2, name: 'lock_sock', args: ['sk', null, 'sk'] }], recv: { k: 'field', of: { k: 'type', name: 'struct sock' }, field: 'sk' } },
      { name: 'lock_sock', params: [{ name: 'sk', type: 'struct sock' }], flag: true, none: null, n: 0, empty: '' },
    ]);
    const seen = new Map<string, string>();
    const value = JSON.parse(text) as unknown;
    expect(internStrings(value, seen)).toBe(value);
    expect(value).toEqual(JSON.parse(text));
    expect([...seen.keys()].sort()).toEqual(['', 'field', 'lock_sock', 'sk', 'struct sock', 'tcp_sendmsg', 'type']);
    // A second value adds only the texts not seen yet.
    internStrings({ a: ['sk', 'inet_sendmsg'] }, seen);
    expect(seen.size).toBe(8);
  });
});
