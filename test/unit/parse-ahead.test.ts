import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParsedAhead } from '../../src/cache/parse-ahead.js';
import type { SourceFile } from '../../src/index/discover-files.js';
import { emptyFacts } from '../../src/parse/file-parser.js';
import type { FileFacts } from '../../src/types/facts.js';

/** A parser that records what it is given and names each file's facts by the call that made them. */
function recorder(): { parse: (files: SourceFile[]) => Promise<FileFacts[]>; calls: string[][] } {
  const calls: string[][] = [];
  return { calls, parse: async (files) => (calls.push(files.map((f) => f.path)), files.map((f) => ({ ...emptyFacts(f.path), hash: `call ${calls.length}` }))) };
}

describe('ParsedAhead', () => {
  const root = mkdtempSync(join(tmpdir(), 'pathfind-parsed-ahead-'));
  writeFileSync(join(root, 'a.c'), 'int a(void) { return 0; }\n');
  utimesSync(join(root, 'a.c'), 1000, 1000);
  const a = { path: 'a.c', size: 26, mtimeMs: 1_000_000 };
  const b = { path: 'b.c', size: 1, mtimeMs: 1 };

  it('hands out a file parsed ahead once, at the size and mtime it was parsed at, and parses the others', async () => {
    const ahead = recorder();
    const parsed = new ParsedAhead(ahead.parse);
    expect(await parsed.ahead(root, 'a.c')).toBe(true);
    const later = recorder();
    const facts = await parsed.parse([b, a], later.parse);
    expect(facts.map((f) => [f.path, f.hash])).toEqual([['b.c', 'call 1'], ['a.c', 'call 1']]);
    expect(ahead.calls).toEqual([['a.c']]);
    expect(later.calls).toEqual([['b.c']]);
    expect(parsed.taken).toBe(1);
    // Handed out once: a second parse parses it.
    expect((await parsed.parse([a], later.parse)).map((f) => f.hash)).toEqual(['call 2']);
    expect(parsed.taken).toBe(0);
  });

  it('parses again a file the listing shows at another size or mtime, and parses nothing ahead for a file that is gone', async () => {
    const parsed = new ParsedAhead(recorder().parse);
    await parsed.ahead(root, 'a.c');
    const later = recorder();
    await parsed.parse([{ ...a, mtimeMs: a.mtimeMs + 1 }], later.parse);
    await parsed.parse([{ ...a, size: a.size + 1 }], later.parse);
    expect(later.calls).toEqual([['a.c'], ['a.c']]);
    expect(parsed.taken).toBe(0);
    expect(await parsed.ahead(root, 'gone.c')).toBe(false);
  });
});
