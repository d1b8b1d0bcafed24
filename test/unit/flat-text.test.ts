import { describe, expect, it } from 'vitest';
import { flat } from '../../src/util/flat-text.js';

describe('flat', () => {
  it('gives the text the same template literal gives', () => {
    const fn = 'inet_sendmsg';
    const line = 42;
    expect(flat`.sendmsg = ${fn} in struct proto_ops ${'inet_stream_ops'} (line ${line})`).toBe(`.sendmsg = ${fn} in struct proto_ops ${'inet_stream_ops'} (line ${line})`);
  });

  it('writes null and undefined as a template literal does', () => {
    const none = undefined;
    expect(flat`${null} and ${none}`).toBe(`${null} and ${none}`);
  });

  it('keeps a literal without values, and values at either end', () => {
    expect(flat`plain`).toBe('plain');
    expect(flat`${'a'}`).toBe('a');
    expect(flat`${'a'}-${'b'}`).toBe('a-b');
    expect(flat``).toBe('');
  });
});
