import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Profile } from '../profiles/profile.js';
import type { FileFacts } from '../types/facts.js';
import { extractFile } from './extract-file.js';
import { makeNeutraliser } from './neutralise.js';
import { callRules } from './rules.js';
import { scanFile } from './scan/extract-scan.js';

/**
 * How facts are extracted: 'scan', the fast tokenizing extractor (the default), or
 * 'tree-sitter', which builds a full syntax tree: several times slower, kept as the reference.
 */
export type Extractor = 'scan' | 'tree-sitter';
export const EXTRACTORS: readonly Extractor[] = ['scan', 'tree-sitter'];

/** Facts for a file that defines nothing. */
export function emptyFacts(path: string, hash = ''): FileFacts {
  return { path, hash, parseErrors: 0, functions: [], macros: [], structs: [], typedefs: [], globals: [], prototypes: [], bindings: [], fieldAliases: [], aliasMacros: [] };
}

/** The UnreadableFile reason of a file that is not text. */
export const NOT_TEXT = 'not-text';

/**
 * True when a file's bytes are text: they hold no NUL byte. C source never does (a compiler
 * rejects it), while object files, images and other binaries nearly always do; git and grep
 * tell binary files apart the same way. Any other byte is read (as latin1), so nothing else fails.
 */
export const isText = (bytes: Buffer): boolean => bytes.indexOf(0) < 0;

/** The UnreadableFile reason for a failed read or listing: the system error code (`EACCES`, `ENOENT`, ...). */
export function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'EIO';
}

/**
 * Reads and extracts files of one tree with one profile; what a worker thread runs. A file
 * that cannot be read (it vanished, permission denied, ...) or is not text gets empty facts
 * marked `unreadable` with the reason, instead of failing the run.
 */
export function fileParser(root: string, profile: Profile, extractor: Extractor = 'scan'): (path: string) => FileFacts {
  const neutraliser = makeNeutraliser(profile, extractor === 'scan' ? 'definers' : undefined);
  const rules = callRules(profile);
  const extract = extractor === 'scan' ? scanFile : extractFile;
  return (path) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(root, path));
    } catch (err) {
      return { ...emptyFacts(path), unreadable: readFailure(err) };
    }
    const hash = contentHash(bytes);
    if (!isText(bytes)) return { ...emptyFacts(path, hash), unreadable: NOT_TEXT };
    const text = bytes.toString('latin1');
    // A file with no brace and no function-like macro cannot define anything we index.
    if (!text.includes('{') && !/#\s*define\s+\w+\(/.test(text)) return emptyFacts(path, hash);
    return { ...extract(path, text, neutraliser, rules), hash };
  };
}

/** Content hash used to recognise an unchanged file whose mtime moved. */
export function contentHash(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('base64url');
}
