import { describe, expect, it } from 'vitest';
import { diffFacts } from '../../src/index/facts-diff.js';
import type { CallFact, FileFacts, FunctionFact } from '../../src/types/facts.js';

const call = (name: string, line: number, args: (string | null)[] = []): CallFact => ({ line, col: 1, name, args });
const fn = (line: number, calls: CallFact[]): FunctionFact => ({ name: 'f', line, endLine: line + 40, signature: 'void f(void)', returns: 'void', params: [], calls });
const file = (functions: FunctionFact[], hash = 'h'): FileFacts => ({ path: 'a.c', hash, parseErrors: 0, functions, macros: [], structs: [], typedefs: [], globals: [], prototypes: [], bindings: [], includes: [], fieldAliases: [] });
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

  it('takes the lines out of anonymous struct names, but refuses a call moved to another anonymous struct', () => {
    const anon = (line: number) => `struct <anon a.c:${line}>`;
    const structs = (a: number, b: number): FileFacts['structs'] => [a, b].map((line) => ({ name: anon(line), line, fields: [{ name: 'cb', type: 'int', fnptr: true }] }));
    const through = (struct: number, line: number): CallFact => ({ line, col: 1, field: 'cb', recv: { k: 'type', name: anon(struct) }, args: [] });
    const facts = (a: number, b: number, struct: number, line: number): FileFacts => ({ ...file([fn(1, [through(struct, line)])]), structs: structs(a, b) });
    // Two lines inserted above both structs: a renaming, and the call follows its struct.
    const moved = diffFacts(facts(10, 20, 10, 30), facts(12, 22, 12, 32))!;
    expect(moved.anon).toEqual(expect.arrayContaining([[10, 12], [20, 22]]));
    expect(pairs(moved.bodies[0]!.kept)).toHaveLength(1);
    // Same places, but the call now goes through the other struct: not the same call.
    expect(diffFacts(facts(10, 20, 10, 30), facts(10, 20, 20, 30))).toBeNull();
  });

  it('refuses edits beyond calls and lines', () => {
    expect(diffFacts(file([fn(1, [])]), file([{ ...fn(1, []), isStatic: true }]))).toBeNull();
    expect(diffFacts(file([fn(1, [])]), file([fn(1, []), { ...fn(50, []), name: 'g' }]))).toBeNull();
  });
});
