import { describe, expect, it } from 'vitest';
import { expandedByDeltas, factsDelta, withDelta } from '../../src/cache/facts-delta.js';
import type { FileFacts } from '../../src/types/facts.js';

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

describe('facts deltas (what expansion changed in a file)', () => {
  it('rebuild the expanded facts JSON byte for byte from the parsed JSON', () => {
    const { json, parsed, expanded } = parsedAndExpanded();
    const delta = factsDelta(parsed, expanded);
    expect(withDelta(json, delta)).toBe(JSON.stringify(expanded));
    // Kept items are named by position, not written again.
    expect(delta).not.toContain('"calls":[{"name":"b"');
    expect(JSON.parse(delta).a.functions).toEqual([0, expect.objectContaining({ name: 'sys_x' }), 1]);
  });

  it('keep a file expansion left as it was', () => {
    const { json, parsed } = parsedAndExpanded();
    const delta = factsDelta(parsed, { ...parsed });
    expect(JSON.parse(delta)).toEqual({ k: Object.keys(parsed), v: {}, a: {} });
    expect(withDelta(json, delta)).toBe(json);
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
});
