import { describe, expect, it } from 'vitest';
import { expandedByDeltas, factsDelta, withDelta } from '../../src/cache/facts-delta.js';
import type { FileFacts } from '../../src/types/facts.js';
import { seededRandom } from '../support/random.js';

/** Facts as a parse worker's JSON gives them, and a copy of them changed as expansion changes facts: new arrays holding kept and new items. */
function parsedAndExpanded(): { json: string; parsed: FileFacts; expanded: FileFacts } {
  const json = JSON.stringify({
    path: 'drivers/x.c',
    functions: [
      { name: 'a', line: 3, calls: [{ name: 'b', line: 4, args: [] }] },
      { name: 'c', line: 9, calls: [] },
    ],
    macros: [{ name: 'M', params: ['x'], calls: [] }],
    bindings: [],
    globals: [{ name: 'g', type: 'int' }],
    includes: ['linux/a.h', 'linux/b.h'],
    registrations: [{ macro: 'module_init', fn: 'a', line: 12 }],
  });
  const parsed = JSON.parse(json) as FileFacts;
  const made = { name: 'sys_x', line: 20, calls: [{ name: 'do_x', line: 21, args: ['fd'], expandsTo: ['do_x'] }] };
  const expanded = {
    ...parsed,
    functions: [parsed.functions[0]!, made, parsed.functions[1]!],
    macros: parsed.macros.map((m) => ({ ...m, calls: [{ name: 'q', line: 1, args: [] }] })),
    includes: ['linux/a.h'],
    registrations: undefined,
    definers: [{ name: 'SYSCALL_DEFINE1' }],
  } as unknown as FileFacts;
  return { json, parsed, expanded };
}

/** withDelta on texts: the parsed JSON's UTF-8 bytes in, the expanded JSON out. */
const applied = (json: string, delta: string): string => Buffer.from(withDelta(Buffer.from(json, 'utf8'), delta)).toString('utf8');

describe('facts deltas (what expansion changed in a file)', () => {
  it('rebuild the expanded facts JSON byte for byte from the parsed JSON', () => {
    const { json, parsed, expanded } = parsedAndExpanded();
    const delta = factsDelta(parsed, expanded);
    expect(applied(json, delta)).toBe(JSON.stringify(expanded));
    // Kept items are named by position, not written again.
    expect(delta).not.toContain('"calls":[{"name":"b"');
    expect(JSON.parse(delta).a.functions).toEqual([0, expect.objectContaining({ name: 'sys_x' }), 1]);
  });

  it('keep a file expansion left as it was', () => {
    const { json, parsed } = parsedAndExpanded();
    const delta = factsDelta(parsed, { ...parsed });
    expect(JSON.parse(delta)).toEqual({ k: Object.keys(parsed), v: {}, a: {} });
    expect(applied(json, delta)).toBe(json);
  });

  it('expand the files of a frame at their positions, the others kept as they are', () => {
    const one = parsedAndExpanded();
    const other = JSON.stringify({ path: 'y.c', functions: [] });
    const texts = [other, one.json, other];
    const frame = Buffer.from(`[${texts.join(',')}]`, 'utf8');
    const sizes = texts.map((t) => Buffer.byteLength(t));
    const deltas = new Map([[1, Buffer.from(factsDelta(one.parsed, one.expanded), 'utf8') as Uint8Array]]);
    const out = expandedByDeltas(frame, sizes, deltas);
    expect(JSON.parse(out.toString('utf8'))).toEqual([JSON.parse(other), JSON.parse(JSON.stringify(one.expanded)), JSON.parse(other)]);
    expect(out.toString('utf8')).toBe(`[${other},${JSON.stringify(one.expanded)},${other}]`);
  });

  it('copy values whose text holds quotes, escapes, brackets and characters past ASCII as they were written', () => {
    const parsed = {
      path: 'drivers/é "x".c',
      functions: [{ name: 'a', text: 'x = "}]" /* { */', calls: [] }, { name: 'b', line: -0, f: 1.5e-7, t: true, n: null }],
      macros: [{ name: 'M', body: 'do { x[0] = \'\\\\\'; } while (0)', tab: '\t\u2028' }],
      bindings: [],
      empty: {},
      nested: [[1, [2, {}]], { a: [] }],
    } as unknown as FileFacts;
    const json = JSON.stringify(parsed);
    const copy = JSON.parse(json) as FileFacts;
    const expanded = { ...copy, functions: [copy.functions[1]!, { name: 'new "one"', calls: [] }, copy.functions[0]!], bindings: [{ fn: 'ü' }], added: 'z' } as unknown as FileFacts;
    const delta = factsDelta(copy, expanded);
    expect(applied(json, delta)).toBe(JSON.stringify(expanded));
  });

  it('give JSON.stringify\'s text on random facts and random expansions of them', () => {
    const r = seededRandom(62);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const scalar = (): unknown => pick<() => unknown>([() => Math.floor(r() * 1000) - 500, () => r(), () => pick(['', 'x', 'a"b', 'c\\d', '{[', '],}', 'é', '\n']), () => true, () => null])();
    const value = (depth: number): unknown => {
      if (depth > 2 || r() < 0.5) return scalar();
      if (r() < 0.5) return Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(r() * 4) }, (_, i) => [`k${i}`, value(depth + 1)]));
    };
    const object = (): object => Object.fromEntries(Array.from({ length: 1 + Math.floor(r() * 3) }, (_, i) => [pick(['name', 'line', 'calls', 'text']) + i, value(1)]));
    for (let round = 0; round < 300; round++) {
      const keys = ['path', 'functions', 'macros', 'bindings', 'globals', 'includes', 'defines'].filter(() => r() < 0.8);
      const parsed = Object.fromEntries(keys.map((k) => [k, r() < 0.6 ? Array.from({ length: Math.floor(r() * 5) }, object) : value(0)]));
      const json = JSON.stringify(parsed);
      const copy = JSON.parse(json) as Record<string, unknown>;
      const expanded: Record<string, unknown> = {};
      for (const k of [...keys, 'definers', 'registrations'].filter(() => r() < 0.9)) {
        const was = copy[k];
        const how = r();
        if (was === undefined || how < 0.2) expanded[k] = value(0);
        else if (how < 0.5 || !Array.isArray(was)) expanded[k] = was;
        else expanded[k] = [...was.filter(() => r() < 0.7), ...(r() < 0.5 ? [object()] : [])].sort(() => r() - 0.5);
        if (r() < 0.05) expanded[k] = undefined;
      }
      const delta = factsDelta(copy as unknown as FileFacts, expanded as unknown as FileFacts);
      expect(applied(json, delta), json).toBe(JSON.stringify(expanded));
    }
  });
});
