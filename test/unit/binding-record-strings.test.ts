import { describe, expect, it } from 'vitest';
import { encodeColumns } from '../../src/cache/columns.js';
import { BindingRecorder, recordStrings } from '../../src/resolve/binding-record.js';

/**
 * The binding record's string table (slot keys, evaluated roots, binding keys) is stored in the
 * graph file deflated: on Linux 6.1 it held 148,809 strings, 6.3 MB as a raw column of lines, of
 * the cache's 200 MB budget. Its strings read back as they were recorded.
 */
describe('the binding record string table', () => {
  /** A recorder that read `count` member call sites of distinct slots, as a kernel's resolution does. */
  const recorded = (count: number): BindingRecorder => {
    const r = new BindingRecorder();
    for (let i = 0; i < count; i++) r.siteRead(i, 0, `struct net_device_ops_${i % 997}.ndo_member_${i}`);
    r.fieldRead(count, 0, 'sendmsg', ['struct sock'], 0, () => []);
    return r;
  };

  it('reads back every string of the table in order, by id', () => {
    const snapshot = recorded(5).snapshot(() => -1);
    const strings = recordStrings(snapshot);
    expect(strings.slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((i) => `struct net_device_ops_${i}.ndo_member_${i}`));
    expect(strings[snapshot.siteReads[2]!]).toBe('struct net_device_ops_0.ndo_member_0');
    expect(strings[snapshot.fieldReads[0]!]).toBe('sendmsg');
  });

  it('is stored in the graph file in a fraction of its text', () => {
    const snapshot = recorded(60000).snapshot(() => -1);
    const text = recordStrings(snapshot).join('\n');
    expect(text.length).toBeGreaterThan(1 << 21);
    const { strings: _strings, ...rest } = snapshot;
    const sizes = { withStrings: encodeColumns(snapshot).length, without: encodeColumns(rest).length };
    expect(sizes.withStrings - sizes.without).toBeLessThan(text.length / 3);
  });
});
