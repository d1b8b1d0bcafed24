import type { FileFacts } from '../types/facts.js';
import type { SourceFile } from '../index/discover-files.js';
import { NOT_TEXT } from '../parse/file-parser.js';
import { hashOf } from '../parse/file-parser.js';

/** A file skipped for a failed read is read again on every run (it may be readable now); one that is not text, only when it changes. */
export const readAgain = (f: FileFacts): boolean => f.unreadable !== undefined && f.unreadable !== NOT_TEXT;

/**
 * Facts for every file: `fresh` ones (same size and mtime) are reused as they are, `stale` ones
 * (size or mtime moved) when their content hash is unchanged; the rest are parsed. A fresh file
 * that could not be read last time is read again; `parsed` does not count it when it fails the same way.
 */
export async function collectFacts(root: string, files: SourceFile[], fresh: Map<string, FileFacts>, stale: Map<string, FileFacts>, parse: (todo: SourceFile[]) => Promise<FileFacts[]>): Promise<{ facts: FileFacts[]; parsed: number }> {
  const facts: (FileFacts | undefined)[] = files.map((f) => fresh.get(f.path));
  const todo: number[] = [];
  facts.forEach((f, i) => {
    if (f && !readAgain(f)) return;
    const path = files[i]!.path;
    const old = stale.get(path);
    if (!f && old?.hash && hashOf(root, path) === old.hash) facts[i] = old;
    else todo.push(i);
  });
  const parsed = await parse(todo.map((i) => files[i]!));
  let same = 0;
  todo.forEach((i, j) => {
    if (facts[i] && facts[i].unreadable === parsed[j]!.unreadable) same++;
    facts[i] = parsed[j]!;
  });
  return { facts: facts as FileFacts[], parsed: todo.length - same };
}
