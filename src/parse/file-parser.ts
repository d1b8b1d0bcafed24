import { isAscii, isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Profile } from '../profiles/profile.js';
import type { FileFacts } from '../types/facts.js';
import { IDENT_RE } from '../util/c-identifier.js';
import { readFailure } from '../util/fs-failure.js';
import { extractFile } from './extract-file.js';
import { makeNeutraliser } from './neutralise.js';
import { addPreprocessorFacts } from './preprocessor.js';
import { readRegistrations } from './registrations.js';
import { addInvocationFacts } from './macro-invocations.js';
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
  return { path, hash, parseErrors: 0, functions: [], macros: [], structs: [], typedefs: [], globals: [], prototypes: [], bindings: [], includes: [], fieldAliases: [], aliasMacros: [] };
}

/** The UnreadableFile reason of a file that is not text. */
export const NOT_TEXT = 'not-text';

/**
 * True when a file's bytes are text: they hold no NUL byte. C source never does (a compiler
 * rejects it), while object files, images and other binaries nearly always do; git and grep
 * tell binary files apart the same way. Any other byte is read (as UTF-8, or Latin-1 when the
 * file is not valid UTF-8: see decodeSource), so nothing else fails.
 */
export const isText = (bytes: Buffer): boolean => bytes.indexOf(0) < 0;

export { readFailure };

/** The end of a function declarator's parameter list and its declaration: `int f(void);`. */
const PROTOTYPE_END = /\)\s*;/;
/** A `#define` of a function-like macro, whatever letters its name has. */
const FUNCTION_LIKE_MACRO = new RegExp(`#\\s*define\\s+${IDENT_RE.NAME}\\(`);
/** FUNCTION_LIKE_MACRO with an ASCII name: every match of it is one of FUNCTION_LIKE_MACRO. */
const ASCII_FUNCTION_LIKE_MACRO = /#\s*define\s+[A-Za-z_]\w*\(/;
/** What a name that is not ASCII letters, digits and `_` holds: a character past ASCII or a universal character name. */
const NOT_ASCII_NAME = /[^\x00-\x7f]|\\[uU]/;

/**
 * FUNCTION_LIKE_MACRO.test(text), faster: on a file of register #defines (a graphics driver's
 * headers hold hundreds of megabytes of them) its identifier pattern is tried character by
 * character with backtracking, which cost a parse worker 1.4 s on the x86 tree. The ASCII pattern
 * answers for nearly every file; the full one runs only on text that holds something else a name can be made of.
 * `ascii`: whether the text is known to hold only ASCII characters (fileParser knows it from the
 * file's bytes: node's isAscii), so that a file with none past ASCII is not scanned for them
 * (NOT_ASCII_NAME over the x86 tree's brace-less headers took a parse worker some 1.3 s; profile
 * of a cold index, 2026-12-03); absent, the text is scanned.
 */
export const definesFunctionLikeMacro = (text: string, ascii?: boolean): boolean =>
  ASCII_FUNCTION_LIKE_MACRO.test(text) || ((ascii === undefined ? NOT_ASCII_NAME.test(text) : !ascii || text.includes('\\u') || text.includes('\\U')) && FUNCTION_LIKE_MACRO.test(text));

/**
 * Reads and extracts files of one tree with one profile; what a worker thread runs. A file
 * that cannot be read (it vanished, permission denied, ...) or is not text gets empty facts
 * marked `unreadable` with the reason, instead of failing the run.
 */
export function fileParser(root: string, profile: Profile, extractor: Extractor = 'scan'): (path: string) => FileFacts {
  const neutraliser = makeNeutraliser(profile, extractor === 'scan' ? 'definers' : undefined);
  const rules = callRules(profile);
  const extract = extractor === 'scan' ? scanFile : extractFile;
  const registrationMacros = new Set(profile.registrations.flatMap((r) => r.macros));
  const heads = headingMacros(profile);
  return (path) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(root, path));
    } catch (err) {
      return { ...emptyFacts(path), unreadable: readFailure(err) };
    }
    const hash = contentHash(bytes);
    if (!isText(bytes)) return { ...emptyFacts(path, hash), unreadable: NOT_TEXT };
    const text = decodeSource(bytes);
    // A file with no brace, no function-like macro and no prototype (`...);`) cannot define or
    // declare anything we index; its #include directives still count (a wrapper header such as
    // arch/x86/include/uapi/asm/types.h). Prototypes break ties between same-named globals.
    if (!text.includes('{') && !definesFunctionLikeMacro(text, isAscii(bytes)) && !PROTOTYPE_END.test(text)) return text.includes('#') ? addPreprocessorFacts(emptyFacts(path, hash), text) : emptyFacts(path, hash);
    const facts: FileFacts = { ...extract(path, text, neutraliser, rules), hash };
    const registered = readRegistrations(text, profile.registrations);
    if (registered.length) facts.registrations = registered;
    return addInvocationFacts(facts, text, registrationMacros, heads);
  };
}

/**
 * The macros whose invocations head a function written after them and whose own body may make
 * more (MacroInvocation.heads): the profile's definer rules without parameters (x86's
 * DEFINE_IDTENTRY_* forms). SYSCALL_DEFINEx is left out: its wrappers only forward, and stay
 * names of the one function.
 */
function headingMacros(profile: Profile): (name: string) => boolean {
  const rules = profile.definers.filter((d) => d.params === 'none');
  return (name) => rules.some((d) => d.macro.test(name));
}

/**
 * The extractor of fileParser for a piece of C text that is no file on disk (a definer macro's
 * expansion, index/expand-definers.ts): the same neutraliser, call rules and extractor.
 */
export function textExtractor(profile: Profile, extractor: Extractor = 'scan'): (path: string, text: string) => FileFacts {
  const neutraliser = makeNeutraliser(profile, extractor === 'scan' ? 'definers' : undefined);
  const rules = callRules(profile);
  const extract = extractor === 'scan' ? scanFile : extractFile;
  const names = profile.registrations.flatMap((r) => r.macros);
  const mayRegister = names.length ? new RegExp(`\\b(?:${names.join('|')})\\s*\\(`) : null;
  return (path, text) => {
    const facts = extract(path, text, neutraliser, rules);
    const registered = mayRegister?.test(text) ? readRegistrations(text, profile.registrations) : [];
    if (registered.length) facts.registrations = registered;
    return facts;
  };
}

/**
 * A source file's text: UTF-8, so that identifiers with extended characters keep every letter
 * (`café`, not `cafÃ©`). A file that is not valid UTF-8 (old drivers with Latin-1 comments) is
 * read as Latin-1 instead, one character per byte, so that no byte turns into U+FFFD and lines
 * and columns stay where they are. Columns of facts count UTF-16 code units of this text, as
 * tree-sitter's JavaScript binding does: on ASCII lines, bytes.
 */
export function decodeSource(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  // A decoding error shows as U+FFFD. V8 answers at once that a one-byte string (all ASCII or
  // Latin-1 range) has none, so a file pays for validation only when it holds a character past U+00FF.
  return !text.includes('\ufffd') || isUtf8(bytes) ? text : bytes.toString('latin1');
}

/** Content hash used to recognise an unchanged file whose mtime moved. */
export function contentHash(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('base64url');
}

/** The content hash of the file at `path` under `root`, or null when it cannot be read now (it is then parsed, which records why). */
export function hashOf(root: string, path: string): string | null {
  try {
    return contentHash(readFileSync(join(root, path)));
  } catch {
    return null;
  }
}
