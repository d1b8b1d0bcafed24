import { describe, expect, it } from 'vitest';
import { calledExpression } from '../../src/parse/call-text.js';

describe('calledExpression', () => {
  const src = [
    'static ssize_t f(struct file *file)',
    '{',
    '\tret = file->f_op->write(file, buf, count, pos);',
    '\treturn (*fn)(x) + ops[i].run(y, z);',
    '\tint r = INDIRECT_CALL_INET(sock->ops->sendmsg, inet6_sendmsg, inet_sendmsg, sock, msg);',
    '\tsk -> sk_prot',
    '\t\t->sendmsg(sk, msg);',
    '#define CALL(dev) (dev)->netdev_ops->ndo_start_xmit(skb, \\',
    '\t\t\tdev)',
    '\tx = 1 + 2;',
    '}',
  ].join('\n');

  it('reads the called expression at a call site', () => {
    expect(calledExpression(src, 3, 7)).toBe('file->f_op->write');
    expect(calledExpression(src, 4, 8)).toBe('(*fn)');
    expect(calledExpression(src, 4, 19)).toBe('ops[i].run');
  });

  // A user's finding on Linux 6.1: `crypto_skcipher_alg(tfm)->encrypt(req)` (crypto/skcipher.c)
  // was read as `crypto_skcipher_alg`, the function called first, not the member called.
  it('reads a member called on what a call returns, not that call', () => {
    const calls = ['\treturn crypto_skcipher_alg(tfm)->encrypt(req);', '\tget_ops(d) -> tbl [n] (d);', '\tx = pick(a)(b);'].join('\n');
    expect(calledExpression(calls, 1, 8)).toBe('crypto_skcipher_alg(tfm)->encrypt');
    expect(calledExpression(calls, 2, 1)).toBe('get_ops(d)->tbl [n]');
    // A call of what a call returns: the function called first is the expression called.
    expect(calledExpression(calls, 3, 5)).toBe('pick(a)');
  });

  it('reads the first argument of an indirect-call wrapper', () => {
    expect(calledExpression(src, 5, 9, true)).toBe('sock->ops->sendmsg');
  });

  it('collapses whitespace across lines and macro continuations', () => {
    expect(calledExpression(src, 6, 1)).toBe('sk->sk_prot->sendmsg');
    expect(calledExpression(src, 8, 18)).toBe('(dev)->netdev_ops->ndo_start_xmit');
  });

  it('gives null when no callable expression starts there, or the line is past the end', () => {
    expect(calledExpression(src, 10, 3)).toBeNull();
    expect(calledExpression(src, 40, 0)).toBeNull();
  });

  it('cuts a very long expression', () => {
    const long = `\t${'a->'.repeat(40)}f(x);`;
    const text = calledExpression(long, 1, 1)!;
    expect(text.length).toBe(80);
    expect(text.endsWith('...')).toBe(true);
  });
});
