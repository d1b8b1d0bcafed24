import { describe, expect, it } from 'vitest';
import { blankInitializerDirectives } from '../../src/parse/initializer-directives.js';
import { textExtractor } from '../../src/parse/file-parser.js';
import { detectProfile } from '../../src/profiles/index.js';

/** An ops table whose entries sit under `#ifdef` and `#else`, as `DEFINE_SCHED_CLASS(fair) = { ... }` in kernel/sched/fair.c. */
const OPS = [
  'struct task_class { int (*pick)(int); int (*balance)(int); void (*put)(int); };',
  'static const struct task_class idle = {',
  '\t.pick = pick_idle,',
  '#ifdef CONFIG_SMP',
  '\t.balance = balance_idle, /* { */',
  '#else',
  '\t.balance = balance_none,',
  '#endif',
  '\t.put = put_idle,',
  '};',
  '#ifdef CONFIG_SMP',
  'static int f(int a) { if (a == 1) {',
  '#ifdef CONFIG_X',
  '\treturn 2;',
  '#endif',
  '} static int t[] = { 1,',
  '#if 0',
  '2, };',
  '#endif',
  '}',
  '#endif',
  '',
].join('\n');

describe('directive lines inside initializers', () => {
  it('blanks only the directive lines inside an initializer\'s braces, keeping every offset', () => {
    const out = blankInitializerDirectives(OPS);
    expect(out.length).toBe(OPS.length);
    const lines = out.split('\n');
    const written = OPS.split('\n');
    const blanked = written.map((l, k) => (lines[k] !== l ? k + 1 : 0)).filter((k) => k > 0);
    // The table's four directives, and the `#if 0` inside `t`'s braces; not those at file scope or in a body.
    expect(blanked).toEqual([4, 6, 8, 17]);
    expect(lines[3]).toBe(' '.repeat(written[3]!.length));
  });

  it('gives the same stores of such a table with both extractors, every arm read', () => {
    const profile = detectProfile('fixtures/minikernel');
    const stores = (extractor: 'scan' | 'tree-sitter'): string[] => textExtractor(profile, extractor)('ops.c', OPS).bindings.filter((b) => b.variable === 'idle').map((b) => `${b.path.join('.')} = ${b.fn} :${b.line}`);
    expect(stores('tree-sitter')).toEqual(['pick = pick_idle :3', 'balance = balance_idle :5', 'balance = balance_none :7', 'put = put_idle :9']);
    expect(stores('scan')).toEqual(stores('tree-sitter'));
  });
});
