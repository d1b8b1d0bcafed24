import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameFile } from '../../src/cache/frame-file.js';
import { CACHE_FORMAT, FACTS_PER_FRAME } from '../../src/cache/index-cache.js';
import { MentionTable } from '../../src/resolve/mention-table.js';
import { openTreeReport } from '../../src/index.js';
import type { FileFacts } from '../../src/types/facts.js';
import { withStoredGraph } from '../support/stored-graph.js';

/**
 * A resolution in full after a one-file edit the patch refuses writes the facts file again, its
 * frames of files unchanged since copied as stored without being compared (save-facts.ts
 * framesAsStored). The facts it writes must be those a fresh index makes, also when the edit
 * changes a definer macro every file expands (every frame's facts change then). The graph's
 * mention table is made from the facts file written (frame-encoder.ts mentionsOf).
 */

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Files of the tree: more than two facts frames of them. */
const FILES = FACTS_PER_FRAME * 2 + 50;

const name = (i: number): string => `f${String(i).padStart(3, '0')}`;

/** A tree of FILES files, each defining a function by a definer macro of one header and calling it from another. */
function tree(): { root: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pathfind-kept-frames-'));
  dirs.push(dir);
  const root = join(dir, 'tree');
  mkdirSync(join(root, 'd'), { recursive: true });
  mkdirSync(join(root, 'include'));
  writeFileSync(join(root, 'include/defs.h'), 'struct ops { int (*fn)(int); };\nint first_helper(void);\n#define MAKE_OPEN(n) static int n##_open(void) { return first_helper(); }\n');
  for (let i = 0; i < FILES; i++) writeFileSync(join(root, `d/${name(i)}.c`), `#include "../include/defs.h"\nMAKE_OPEN(${name(i)})\nint ${name(i)}_call(struct ops *o)\n{\n\treturn ${name(i)}_open();\n}\n`);
  return { root, cache: join(dir, 'cache') };
}

/** The facts file of `cache`: each frame's bytes as stored, and every file's facts. */
function factsFile(cache: string): { frames: Buffer[]; facts: FileFacts[] } {
  const path = join(cache, readdirSync(cache).find((f) => f.endsWith('.facts'))!);
  const file = FrameFile.open(path, CACHE_FORMAT, true);
  if (typeof file === 'string') throw new Error(file);
  try {
    const frames = Array.from({ length: file.frames - 1 }, (_, k) => Buffer.from(file.raw(k + 1)));
    const facts = Array.from({ length: file.frames - 1 }, (_, k) => file.value<FileFacts[]>(k + 1)).flat();
    return { frames, facts };
  } finally {
    file.close();
  }
}

/** The mention table the graph file of `cache` keeps, as hashes and counts. */
function storedMentions(cache: string): number[][] {
  return withStoredGraph(cache, (payload) => {
    const table = MentionTable.restore(payload.mentions)!;
    return [Array.from(table.hashes), Array.from(table.counts)];
  });
}

/** The mention table of `facts` (MentionTable.of), as storedMentions gives it. */
const mentionsOf = (facts: FileFacts[]): number[][] => {
  const table = MentionTable.of(facts);
  return [Array.from(table.hashes), Array.from(table.counts)];
};

/** Replaces `from` by `to` in the file at `path`. */
function edit(path: string, from: string, to: string): void {
  const text = readFileSync(path, 'utf8');
  expect(text.includes(from)).toBe(true);
  writeFileSync(path, text.replace(from, to));
}

describe('facts written again by a resolution in full', () => {
  it('keeps the frames of files unchanged as stored, and holds the facts a fresh index makes', async () => {
    const { root, cache } = tree();
    await openTreeReport({ root, cache });
    const before = factsFile(cache);
    expect(before.frames.length).toBe(3);
    // A call through a pointer added to a body of the first frame: the patch refuses it.
    edit(join(root, 'd/f010.c'), 'return f010_open();', 'return f010_open() + o->fn(1);');
    const first = await openTreeReport({ root, cache });
    expect(first.report.incremental).toBe(false);
    const after = factsFile(cache);
    expect(after.frames[0]!.equals(before.frames[0]!)).toBe(false);
    expect(after.frames[1]!.equals(before.frames[1]!)).toBe(true);
    expect(after.frames[2]!.equals(before.frames[2]!)).toBe(true);
    const fresh1 = (await openTreeReport({ root, cache: false })).project.index.files;
    expect(after.facts).toEqual(fresh1);
    // The graph's mention table, made from the facts file written (in a worker thread, while the graph resolved).
    expect(storedMentions(cache)).toEqual(mentionsOf(fresh1));

    // The definer macro's body changed (every file's expansion calls another helper), and the call through a pointer removed.
    edit(join(root, 'include/defs.h'), 'return first_helper(); }', 'return second_helper(); }');
    edit(join(root, 'd/f010.c'), 'return f010_open() + o->fn(1);', 'return f010_open();');
    const second = await openTreeReport({ root, cache });
    expect(second.report.incremental).toBe(false);
    const last = factsFile(cache);
    expect(last.frames[1]!.equals(after.frames[1]!)).toBe(false);
    const fresh = (await openTreeReport({ root, cache: false })).project.index.files;
    expect(last.facts).toEqual(fresh);
    expect(JSON.stringify(last.facts.find((f) => f.path === 'd/f300.c'))).toContain('second_helper');
    expect(storedMentions(cache)).toEqual(mentionsOf(fresh));
  });
});
