import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { emptyFacts } from '../../src/parse/file-parser.js';
import { mentionBuckets, MentionTable } from '../../src/resolve/mention-table.js';
import type { FileFacts } from '../../src/types/facts.js';

/** A file defining `fn` (which calls `callee`) and binding `bound` in an initializer. */
function file(path: string, fn: string, callee: string, bound?: string): FileFacts {
  const facts = emptyFacts(path);
  facts.functions.push({ name: fn, line: 1, endLine: 3, signature: `int ${fn}(void)`, returns: 'int', params: [], calls: [{ line: 2, col: 1, name: callee, args: [null] }] });
  if (bound) facts.bindings.push({ root: { k: 'type', name: 'struct ops' }, path: ['run'], fn: bound, line: 5, how: 'init', text: `.run = ${bound}` });
  return facts;
}

describe('mention table', () => {
  const a = file('a.c', 'alpha', 'beta', 'gamma');
  const b = file('b.c', 'beta', 'alpha', 'gamma');

  it('counts the files mentioning a name other than by defining or calling it', () => {
    const table = MentionTable.of([a, b]);
    expect(table.mentions('gamma')).toBe(2);
    // Defined (alpha, beta) or called (beta, alpha) only: no mention.
    expect(table.mentions('alpha')).toBe(0);
    expect(table.mentions('beta')).toBe(0);
    // The type and member of the binding are mentions.
    expect(table.mentions('ops')).toBe(2);
    expect(table.mentions('run')).toBe(2);
    expect(table.mentions('never_seen')).toBe(0);
  });

  it('counts no name a call of a macro\'s result is a call of (CallFact.expandsTo), in the facts and in their JSON alike', async () => {
    const caller = emptyFacts('c.c');
    // `opener(dev)(fd)`: the call of the result, rewritten as a call of dev_open, beside the call of the macro itself.
    caller.functions.push({ name: 'dev_start', line: 1, endLine: 3, signature: 'int dev_start(int fd)', returns: 'int', params: [], calls: [
      { line: 2, col: 9, name: 'opener', args: ['dev'] },
      { line: 2, col: 9, ret: 'opener', name: 'dev_open', expandsTo: ['dev_open', 'dev_open_alt'], args: ['fd'] },
    ] });
    const table = MentionTable.of([caller]);
    expect(table.mentions('dev_open')).toBe(0);
    expect(table.mentions('dev_open_alt')).toBe(0);
    expect(table.mentions('fd')).toBe(1);
    const { mentionTableOfJson } = await import('../../src/resolve/mention-json.js');
    const fromJson = mentionTableOfJson(new TextEncoder().encode(JSON.stringify([caller])));
    for (const name of ['dev_open', 'dev_open_alt', 'fd', 'dev']) expect(fromJson.mentions(name), name).toBe(table.mentions(name));
  });

  it('counts a prototype\'s return type but not the name it declares, in the facts and in their JSON alike', async () => {
    const header = emptyFacts('h.h');
    header.prototypes.push(['declared_fn', 'struct ret_type'], ['other_fn', 'int']);
    const table = MentionTable.of([a, header]);
    expect(table.mentions('declared_fn')).toBe(0);
    expect(table.mentions('other_fn')).toBe(0);
    expect(table.mentions('ret_type')).toBe(1);
    const { mentionTableOfJson } = await import('../../src/resolve/mention-json.js');
    const fromJson = mentionTableOfJson(new TextEncoder().encode(JSON.stringify([a, header])));
    for (const name of ['declared_fn', 'other_fn', 'ret_type', 'gamma', 'alpha']) expect(fromJson.mentions(name), name).toBe(table.mentions(name));
  });

  it('follows a file counted out and in again, new names merged in order', () => {
    const table = MentionTable.of([a, b]);
    const edited = file('b.c', 'beta', 'alpha', 'delta');
    table.add(mentionBuckets(b), -1);
    table.add(mentionBuckets(edited), 1);
    expect(table.mentions('gamma')).toBe(1);
    expect(table.mentions('delta')).toBe(1);
    expect(Array.from(table.hashes)).toEqual(Array.from(table.hashes).sort((x, y) => x - y));
    // The same as a table made afresh from the edited files.
    const fresh = MentionTable.of([a, edited]);
    for (const name of ['alpha', 'beta', 'gamma', 'delta', 'ops', 'run']) expect(table.mentions(name), name).toBe(fresh.mentions(name));
  });

  it('merges tables into arrays a worker thread can transfer (not in shared memory, which a transfer list refuses)', () => {
    // The facts writer's thread posts its merged table with its arrays in the transfer list (cache/facts-worker.ts).
    const merged = MentionTable.merge([MentionTable.of([a]), MentionTable.of([b]), MentionTable.of([file('c.c', 'gamma', 'beta', 'alpha')])]);
    expect(merged.mentions('gamma')).toBe(2);
    const { port1, port2 } = new MessageChannel();
    const { hashes, counts } = merged.saved;
    expect(() => port1.postMessage({ hashes, counts }, [hashes.buffer as ArrayBuffer, counts.buffer as ArrayBuffer])).not.toThrow();
    port1.close();
    port2.close();
  });

  it('round-trips through its saved arrays and refuses other shapes', () => {
    const table = MentionTable.of([a]);
    expect(MentionTable.restore(table.saved)?.mentions('gamma')).toBe(1);
    expect(MentionTable.restore(undefined)).toBeNull();
    expect(MentionTable.restore({ hashes: new Uint32Array(2), counts: new Uint8Array(1) })).toBeNull();
  });
});
