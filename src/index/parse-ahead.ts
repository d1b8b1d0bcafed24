import { type Extractor, fileParser, hashOf } from '../parse/file-parser.js';
import type { Profile } from '../profiles/profile.js';
import type { FileFacts } from '../types/facts.js';
import type { SourceFile } from './discover-files.js';
import { IN_THREAD_FILES } from './parse-files.js';

/**
 * The facts of `path` (relative to `root`) parsed now, as parseFiles parses a handful of files
 * (parse/file-parser.ts fileParser, in this thread); null when the parser throws. A query whose
 * tree has a recently edited file changed since the graph was cached (index/discover-recent.ts)
 * parses it so while the tree is listed, in time its thread would otherwise wait: the patch that
 * follows (cache/patch-cached-graph.ts) then takes these facts instead of parsing the file again
 * (withParsedAhead), when the file holds the same bytes.
 */
export function parseAhead(root: string, profile: Profile, extractor: Extractor, path: string): FileFacts | null {
  try {
    return fileParser(root, profile, extractor)(path);
  } catch {
    return null;
  }
}

/**
 * `parse(todo)`, but a file of `todo` whose facts `ahead` holds (parseAhead) for the bytes it
 * holds now (the same content hash: the facts of a file are those of its bytes, path and
 * profile) takes them instead of being parsed again; the facts in `todo`'s order. Only for a
 * handful of files (fewer than parse-files.ts IN_THREAD_FILES, which it parses in this thread): a
 * longer list, which worker threads parse and pack for the cache, is parsed as it is. `ahead` is read, never
 * changed; its path is added to `taken` when its facts are taken.
 */
export async function withParsedAhead(root: string, todo: SourceFile[], ahead: FileFacts | null, taken: string[], parse: (files: SourceFile[]) => Promise<FileFacts[]>): Promise<FileFacts[]> {
  const at = ahead && todo.length < IN_THREAD_FILES ? todo.findIndex((f) => f.path === ahead.path) : -1;
  if (at < 0 || !ahead?.hash || hashOf(root, ahead.path) !== ahead.hash) return parse(todo);
  const rest = todo.filter((_, i) => i !== at);
  const facts = rest.length > 0 ? await parse(rest) : [];
  facts.splice(at, 0, ahead);
  taken.push(ahead.path);
  return facts;
}
