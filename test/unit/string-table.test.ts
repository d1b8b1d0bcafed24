import { describe, expect, it } from 'vitest';
import { StringTable } from '../../src/util/string-table.js';

describe('string table', () => {
  it('finds the same ids after a snapshot round trip, by binary search', () => {
    const built = new StringTable();
    const words = ['tcp_sendmsg', '__sock_sendmsg', 'ip_output', 'Zeta', 'alpha', 'ip_outpu', 'ip_output2'];
    const ids = words.map((w) => built.intern(w));
    expect(built.intern('ip_output')).toBe(ids[2]);
    const restored = new StringTable({ values: [...built.values], sorted: built.sortOrder() });
    words.forEach((w, i) => expect(restored.find(w)).toBe(ids[i]));
    expect(restored.find('ip_outp')).toBe(-1);
    expect(restored.find('')).toBe(-1);
    expect(restored.intern('new_name')).toBe(words.length);
    expect(restored.find('new_name')).toBe(words.length);
  });
});
