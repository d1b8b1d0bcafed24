import { describe, expect, it } from 'vitest';
import { diffFacts } from '../../src/index/facts-diff.js';
import type { CallFact, FileFacts, FunctionFact } from '../../src/types/facts.js';

const call = (name: string, line: number, args: (string | null)[] = []): CallFact => ({ line, col: 1, name, args });
const fn = (line: number, calls: CallFact[]): FunctionFact => ({ name: 'f', line, endLine: line + 40, isStatic: false, signature: 'void f(void)', returns: 'void', params: [], calls });
const file = (functions: FunctionFact[], hash = 'h'): FileFacts => ({ path: 'a.c', hash, parseErrors: 0, functions, macros: [], structs: [], typedefs: [], globals: [], prototypes: [], bindings: [], fieldAliases: [] });
const pairs = (kept: [CallFact, CallFact][]): string[] => kept.map(([o, n]) => `${o.name}@${o.line}->${n.line}`).sort();

describe('diffFacts', () => {
  it('sees only the hash changed as no change', () => {
    const d = diffFacts(file([fn(1, [call('a', 3)])], 'x'), file([fn(1, [call('a', 3)])], 'y'));
    expect(d?.unchanged).toBe(true);
  });

  it('tells an inserted call from a kept equal one by where the other calls moved', () => {
    // a() at 10; a() and b() share line 20. A new a() is inserted at 15, pushing line 20 to 21.
    const before = file([fn(1, [call('a', 10), call('a', 20), call('b', 20)])]);
    const after = file([fn(1, [call('a', 10), call('a', 15), call('a', 21), call('b', 21)])]);
    const d = diffFacts(before, after)!;
    expect(pairs(d.bodies[0]!.kept)).toEqual(['a@10->10', 'a@20->21', 'b@20->21']);
    expect(d.bodies[0]!.added.map((c) => c.line)).toEqual([15]);
    expect(d.bodies[0]!.removed).toEqual([]);
  });

  it('tells a removed call from kept equal ones the same way', () => {
    const before = file([fn(1, [call('a', 10), call('a', 15), call('a', 21), call('b', 21)])]);
    const after = file([fn(1, [call('a', 10), call('a', 20), call('b', 20)])]);
    const d = diffFacts(before, after)!;
    expect(pairs(d.bodies[0]!.kept)).toEqual(['a@10->10', 'a@21->20', 'b@21->20']);
    expect(d.bodies[0]!.removed.map((c) => c.line)).toEqual([15]);
  });

  it('refuses edits beyond calls and lines', () => {
    expect(diffFacts(file([fn(1, [])]), file([{ ...fn(1, []), isStatic: true }]))).toBeNull();
    expect(diffFacts(file([fn(1, [])]), file([fn(1, []), { ...fn(50, []), name: 'g' }]))).toBeNull();
  });
});
