import { describe, expect, it } from 'vitest';
import { expandInvocation, type KnownMacro, substitute } from '../../src/parse/macro-expand.js';
import { bodyKind, readInvocations } from '../../src/parse/macro-invocations.js';

/** A lookup over macros written as `NAME(params) body`. */
function macros(...defs: string[]): (name: string) => KnownMacro | undefined {
  const table = new Map<string, KnownMacro>();
  for (const d of defs) {
    const m = /^(\w+)\(([^)]*)\)\s*(.*)$/s.exec(d)!;
    const params = m[2]!.split(',').map((p) => p.trim()).filter((p) => p !== '');
    table.set(m[1]!, { params, body: m[3]!, kind: bodyKind(m[3]!)! });
  }
  return (name) => table.get(name);
}

describe('macro substitution', () => {
  it('pastes with ##, stringises with #, and leaves literals alone', () => {
    expect(substitute({ params: ['name'], body: 'int name ## _open(void) { return run("name", #name); }' }, ['stats'])).toBe('int stats_open(void) { return run("name", "stats"); }');
  });

  it('gives the extra arguments to __VA_ARGS__ and drops `, ##` before an empty one', () => {
    const m = { params: ['fn', '...'], body: 'int fn##_go(void) { return fn(0 , ##__VA_ARGS__); }' };
    expect(substitute(m, ['a', 'x', 'y'])).toBe('int a_go(void) { return a(0 ,x, y); }');
    expect(substitute(m, ['a'])).toBe('int a_go(void) { return a(0 ); }');
  });
});

describe('definer expansion', () => {
  it('expands nested definers at file scope and initializer macros in initializers, not in function bodies', () => {
    const lookup = macros(
      'INIT(n, f) { .func = (f), .name = #n }',
      'MAKE(n, f) struct work n = INIT(n, f)',
      'PAIR(a, b) MAKE(a, a##_fn); MAKE(b, b##_fn)',
      'BODY(x) static int x##_run(void) { return INIT(x, y); }',
    );
    expect(expandInvocation('PAIR', ['p', 'q'], lookup)).toBe('struct work p = { .func = (p_fn), .name = "p" };\nstruct work q = { .func = (q_fn), .name = "q" };');
    expect(expandInvocation('BODY', ['z'], lookup)).toBe('static int z_run(void) { return INIT(z, y); }\n;');
    expect(expandInvocation('INIT', ['a', 'b'], lookup)).toBeNull();
    expect(expandInvocation('NOPE', ['a'], lookup)).toBeNull();
  });

  it('stops at a bounded depth on a macro that invokes itself', () => {
    const lookup = macros('LOOP(x) LOOP(x)');
    expect(expandInvocation('LOOP', ['a'], lookup)).toBeNull();
  });
});

describe('body kinds', () => {
  it('tells definitions, initializers and lists of invocations from expressions and statements', () => {
    expect(bodyKind('static int x ## _open(struct inode *i) { return 0; }')).toBe('defines');
    expect(bodyKind('struct work_struct n = __WORK_INITIALIZER(n, f)')).toBe('defines');
    expect(bodyKind('const struct sched_class name##_sched_class __section("x")')).toBe('defines');
    expect(bodyKind('{ .func = (f) }')).toBe('init');
    expect(bodyKind('A(x); B(y)')).toBe('list');
    expect(bodyKind('return x')).toBeNull();
    expect(bodyKind('do { f(x); } while (0)')).toBeNull();
    expect(bodyKind('((x) + 1)')).toBeNull();
  });
});

describe('file-scope invocations', () => {
  it('finds invocations at the start of file-scope statements, with storage words and a following initializer', () => {
    const text = [
      '#define DEF(n) int n##_f(void) { return 0; }',
      'DEF(a);',
      'static DECLARE_WORK(w, fn);',
      'DEFINE_CLASS(idle) = {',
      '\t.pick = pick_idle,',
      '};',
      'int f(void) { DEF(inner); return g(1); }',
      'SYSCALL_DEFINE1(close, int, fd) { return 0; }',
      'int proto(int);',
      '/* DEF(commented); */',
      'NO_SEMICOLON(x)',
      'int after;',
    ].join('\n');
    const { invocations, bodies } = readInvocations(text);
    expect(invocations).toEqual([
      { name: 'DEF', args: ['a'], line: 2 },
      { name: 'DECLARE_WORK', args: ['w', 'fn'], line: 3, storage: 'static' },
      // The initializer's lines kept, each one's whitespace collapsed (a directive line stays one).
      { name: 'DEFINE_CLASS', args: ['idle'], line: 4, rest: '= {\n.pick = pick_idle,\n}' },
      { name: 'NO_SEMICOLON', args: ['x'], line: 11 },
    ]);
    expect(bodies).toEqual([{ name: 'DEF', line: 1, body: 'int n##_f(void) { return 0; }' }]);
  });

  it('finds each of several invocations on their own lines with no `;` between them', () => {
    const { invocations } = readInvocations(['DEFINE_SHOW(speed)', 'DEFINE_SHOW(duplex)', 'DEFINE_SHOW(mtu)', 'int after;'].join('\n'));
    expect(invocations.map((i) => `${i.args[0]}:${i.line}`)).toEqual(['speed:1', 'duplex:2', 'mtu:3']);
  });

  it('keeps an invocation heading a function body only for the macros said to head one', () => {
    const text = ['DEFINE_ENTRY(tick)', '{', '	DEFINE_ENTRY(inner);', '}', 'OTHER(x)', '{', '}', 'int after;'].join('\n');
    expect(readInvocations(text).invocations).toEqual([]);
    const { invocations } = readInvocations(text, new Set(), (name) => name === 'DEFINE_ENTRY');
    expect(invocations).toEqual([{ name: 'DEFINE_ENTRY', args: ['tick'], line: 1, heads: true }]);
  });
});
