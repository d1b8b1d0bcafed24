import { describe, expect, it } from 'vitest';
import { expansionNames, type MacroBody } from '../../src/index/expand-macro-calls.js';
import { bodyKind, endsWithName } from '../../src/parse/macro-invocations.js';

/** A lookup over macros written as `NAME(params) body`; a name written twice has two definitions. */
function macros(...defs: string[]): (name: string) => MacroBody[] {
  const table = new Map<string, MacroBody[]>();
  for (const d of defs) {
    const m = /^(\w+)\(([^)]*)\)\s*(.*)$/s.exec(d)!;
    const params = m[2]!.split(',').map((p) => p.trim()).filter((p) => p !== '');
    table.set(m[1]!, [...(table.get(m[1]!) ?? []), { params, body: m[3]! }]);
  }
  return (name) => table.get(name) ?? [];
}

describe('names a macro invocation expands to', () => {
  it('follows an invocation ending the expansion to the name its own expansion ends with', () => {
    const lookup = macros('CLASS(n, v) class_##n##_t v __cleanup(class_##n##_exit) = class_##n##_make', 'ID(p) __unique_##p', 'guard(n) CLASS(n, ID(guard))');
    expect(expansionNames('guard', ['mutex'], lookup)).toEqual(['class_mutex_make']);
    expect(expansionNames('CLASS', ['fd', 'f'], lookup)).toEqual(['class_fd_make']);
  });

  it('gives one name per definition, sorted, without repeats', () => {
    const lookup = macros('FNAME(x) walk##64_##x', 'FNAME(x) walk##32_##x', 'FNAME(x) walk ## 32_ ## x');
    expect(expansionNames('FNAME', ['step'], lookup)).toEqual(['walk32_step', 'walk64_step']);
  });

  it('gives no name for a cast value, a member, a call of a function, a keyword, a string, an unknown macro or an unknown argument', () => {
    const lookup = macros(
      'cast(n) ((void (*)(int))(n##_tramp))',
      'member(p) (p)->ops->run',
      'dot(p) p.run',
      'fn(p) lookup_handler(p)',
      'kw(t) t int',
      'str(x) #x',
      'paste(x) run_##x',
    );
    for (const name of ['cast', 'member', 'dot', 'fn', 'kw', 'str', 'nope']) expect(expansionNames(name, ['a'], lookup)).toEqual([]);
    expect(expansionNames('paste', ['\u0001'], lookup)).toEqual([]);
  });

  it('stops at a bounded depth on a macro that ends with itself', () => {
    expect(expansionNames('LOOP', ['a'], macros('LOOP(x) LOOP(x)'))).toEqual([]);
  });
});

describe('bodies kept for calls of expansions', () => {
  it('keeps bodies that end with a name, pasted or not, and no others', () => {
    expect(endsWithName('paging##64_##name')).toBe(true);
    expect(endsWithName('class_##_name##_t var __cleanup(x) = class_##_name##_constructor')).toBe(true);
    expect(endsWithName('(p)->ops')).toBe(false);
    expect(endsWithName('((x) + 1)')).toBe(false);
    expect(endsWithName('#x')).toBe(false);
  });

  it('reads a definer that starts with a typedef, and a list whose arguments hold a statement expression', () => {
    expect(bodyKind('typedef _type class_##_name##_t; static inline void class_##_name##_exit(_type *p) { _exit; }')).toBe('defines');
    expect(bodyKind('DEFINE_CLASS(_name, _type, _unlock, ({ _lock; _T; }), _type _T)')).toBe('list');
  });
});
