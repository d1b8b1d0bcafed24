import { describe, expect, it } from 'vitest';
import { returnsVoid } from '../../src/parse/tail-calls.js';

describe('returnsVoid', () => {
  it('reads void definitions that return nothing', () => {
    expect(returnsVoid('void', 'static void tcp_done(struct sock *sk)', 'tcp_done')).toBe(true);
    expect(returnsVoid('void', 'void f(void)', 'f')).toBe(true);
    expect(returnsVoid('void', 'void\nf (int a)', 'f')).toBe(true);
    expect(returnsVoid('void', 'f(int a)', 'f')).toBe(true);
    expect(returnsVoid('void', 'void $f$(int a)', '$f$')).toBe(true);
  });

  it('leaves out pointers, function pointers, other types and annotations before the name', () => {
    expect(returnsVoid('int', 'int f(void)', 'f')).toBe(false);
    expect(returnsVoid('void', 'void *f(void)', 'f')).toBe(false);
    expect(returnsVoid('void', 'void (*f(int))(int)', 'f')).toBe(false);
    expect(returnsVoid('void', 'void __attribute__((cold)) f(void)', 'f')).toBe(false);
  });

  it('finds the name as a whole word followed by a parenthesis', () => {
    // `f` inside `buf`, or not followed by `(`, is not the name.
    expect(returnsVoid('void', 'void buf_f f(int)', 'f')).toBe(true);
    expect(returnsVoid('void', 'void buf_f(int f) f(int)', 'f')).toBe(false);
    expect(returnsVoid('void', 'void my_f(int)', 'f')).toBe(false);
    expect(returnsVoid('void', 'void f', 'f')).toBe(false);
    expect(returnsVoid('void', 'void f_g(int)', 'f')).toBe(false);
    expect(returnsVoid('void', 'void g(int *f) f(x)', 'f')).toBe(false);
    expect(returnsVoid('void', 'void a$f(int)', 'f')).toBe(false);
  });

  it('answers as the word-boundary pattern it replaces, on every short signature over a few characters', () => {
    const pattern = (signature: string, name: string): boolean => {
      const at = new RegExp(`(?:^|[^A-Za-z0-9_$])${name.replace(/\$/g, '\\$')}\\s*\\(`).exec(signature);
      return at !== null && !/[*(]/.test(signature.slice(0, at.index + 1));
    };
    const chars = ['f', 'g', '_', '$', ' ', '(', '*', '\n'];
    let signatures = [''];
    for (let length = 1; length <= 4; length++) signatures = signatures.flatMap((s) => (s.length === length - 1 ? [s, ...chars.map((c) => s + c)] : [s]));
    for (const name of ['f', 'fg', '$f', '_']) for (const s of signatures) expect(returnsVoid('void', s, name), `${JSON.stringify(s)} ${name}`).toBe(pattern(s, name));
  });
});
