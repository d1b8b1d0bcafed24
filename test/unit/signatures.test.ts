import { describe, expect, it } from 'vitest';
import { definitionHead } from '../../src/api/signatures.js';

describe('definition heads for tooltips', () => {
  const source = ['static int', 'tcp_sendmsg(struct sock *sk,', '\t\tstruct msghdr *msg, size_t size)', '{', '}', '#define NF_HOOK(pf, hook, \\', '\tnet) do_it(pf)', 'int counter;', `int long_one(${'int a, '.repeat(60)}int z)`].join('\n');

  it('joins a parameter list spread over lines, whitespace collapsed', () => {
    expect(definitionHead(source, 1)).toBe('static int tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)');
  });

  it('reads a macro head across backslash-newlines, without its body', () => {
    expect(definitionHead(source, 6)).toBe('#define NF_HOOK(pf, hook, net)');
  });

  it('takes the line alone when no parameter list closes; null past the end', () => {
    expect(definitionHead(source, 8)).toBe('int counter;');
    expect(definitionHead(source, 99)).toBeNull();
  });

  it('cuts a long head', () => {
    const head = definitionHead(source, 9)!;
    expect(head.length).toBe(240);
    expect(head.endsWith('...')).toBe(true);
  });
});
