import { describe, expect, it } from 'vitest';
import { orderBindings } from '../../src/resolve/edge-list.js';

const at = (file: string, line: number, text = 'x') => ({ file, line, text });

describe('orderBindings', () => {
  it("puts the target's own file first, then its folder, then the rest by file, line and text", () => {
    const list = [at('a/z.c', 1), at('net/ipv4/udp.c', 9), at('net/ipv4/af_inet.c', 90), at('net/ipv4/af_inet.c', 83), at('net/dccp/ipv4.c', 5), at('a/z.c', 1, 'w')];
    expect(orderBindings(list, 'net/ipv4/af_inet.c')).toEqual([at('net/ipv4/af_inet.c', 83), at('net/ipv4/af_inet.c', 90), at('net/ipv4/udp.c', 9), at('a/z.c', 1, 'w'), at('a/z.c', 1), at('net/dccp/ipv4.c', 5)]);
    // A new array; the input is left as it was.
    expect(list[0]).toEqual(at('a/z.c', 1));
  });

  it('does not take a subfolder, or a folder sharing a prefix, for the folder of the target', () => {
    const list = [at('net/ipv4/sub/x.c', 1), at('net/ipv44/y.c', 1), at('net/ipv4/z.c', 1)];
    expect(orderBindings(list, 'net/ipv4/af_inet.c').map((e) => e.file)).toEqual(['net/ipv4/z.c', 'net/ipv4/sub/x.c', 'net/ipv44/y.c']);
  });

  it('treats files at the root as one folder', () => {
    expect(orderBindings([at('lib/b.c', 1), at('b.c', 2), at('a.c', 3)], 'a.c').map((e) => e.file)).toEqual(['a.c', 'b.c', 'lib/b.c']);
  });
});
