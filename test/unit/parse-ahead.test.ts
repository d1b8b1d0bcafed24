import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAhead, withParsedAhead } from '../../src/index/parse-ahead.js';
import { IN_THREAD_FILES } from '../../src/index/parse-files.js';
import type { SourceFile } from '../../src/index/discover-files.js';
import { fileParser } from '../../src/parse/file-parser.js';
import { detectProfile } from '../../src/profiles/index.js';
import type { FileFacts } from '../../src/types/facts.js';

/** A tree of three C files, and the SourceFile of each. */
function tree(): { root: string; files: SourceFile[] } {
  const root = mkdtempSync(join(tmpdir(), 'pathfind-parse-ahead-'));
  const files = ['a.c', 'b.c', 'c.c'].map((path, i) => {
    writeFileSync(join(root, path), `void f${i}(void)\n{\n\tg${i}();\n}\n`);
    return { path, size: 0, mtimeMs: 0 };
  });
  return { root, files };
}

describe('a file parsed while the tree is listed', () => {
  it('gives the facts a parse of the file gives, and the patch takes them in their place in the list', async () => {
    const { root, files } = tree();
    const profile = detectProfile(root);
    const ahead = parseAhead(root, profile, 'scan', 'b.c')!;
    expect(ahead).toEqual(fileParser(root, profile, 'scan')('b.c'));
    const asked: string[][] = [];
    const taken: string[] = [];
    const parse = async (todo: SourceFile[]): Promise<FileFacts[]> => (asked.push(todo.map((f) => f.path)), todo.map((f) => fileParser(root, profile, 'scan')(f.path)));
    const facts = await withParsedAhead(root, files, ahead, taken, parse);
    expect(asked).toEqual([['a.c', 'c.c']]);
    expect(facts[1]).toBe(ahead);
    expect(facts.map((f) => f.path)).toEqual(['a.c', 'b.c', 'c.c']);
    expect(taken).toEqual(['b.c']);
  });

  it('is parsed again when its bytes changed since, or when the list is long', async () => {
    const { root, files } = tree();
    const profile = detectProfile(root);
    const ahead = parseAhead(root, profile, 'scan', 'b.c')!;
    const asked: string[][] = [];
    const taken: string[] = [];
    const parse = async (todo: SourceFile[]): Promise<FileFacts[]> => (asked.push(todo.map((f) => f.path)), todo.map((f) => fileParser(root, profile, 'scan')(f.path)));
    // Edited after it was parsed (same size: only the content hash tells).
    writeFileSync(join(root, 'b.c'), 'void f1(void)\n{\n\th1();\n}\n');
    const facts = await withParsedAhead(root, files, ahead, taken, parse);
    expect(asked).toEqual([['a.c', 'b.c', 'c.c']]);
    expect(facts[1]!.functions[0]!.calls.map((c) => c.name)).toEqual(['h1']);
    // A long list (a full index's) is parsed as it is.
    const many = Array.from({ length: IN_THREAD_FILES }, (_, i) => files[i % 3]!);
    const fresh = parseAhead(root, profile, 'scan', 'b.c')!;
    await withParsedAhead(root, many, fresh, taken, parse);
    expect(asked[1]).toHaveLength(IN_THREAD_FILES);
    expect(taken).toEqual([]);
  });
});
