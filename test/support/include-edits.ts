import { dirname, relative } from 'node:path';
import { callAddedIn, lines, pick, sources, type TreeEdit, write } from './tree-edits.js';

/**
 * Edits of #include lines (cache/include-edit.ts): an #include of one of the tree's headers
 * added to a file (after its last #include line, by a path relative to its folder), or one of
 * its #include lines taken out; in a .c file (which a patch covers), with or without a body
 * edit in the same save, or in a header (which other files include: resolved in full).
 */

/** The 0-based lines of a file's #include directives. */
const includeLines = (text: string[]): number[] => text.flatMap((l, at) => (/^#\s*include\b/.test(l) ? [at] : []));

const includeAdded =
  (ext: '.c' | '.h', withBody: boolean): TreeEdit =>
  ({ root, facts, random }) => {
    const file = pick(random, sources(facts, ext));
    const header = pick(random, sources(facts, '.h').filter((h) => h !== file));
    if (!file || !header) return null;
    const text = lines(root, file.path);
    const at = (includeLines(text).at(-1) ?? -1) + 1;
    const name = relative(dirname(file.path), header.path);
    text.splice(at, 0, `#include "${name}"`);
    write(root, file.path, text.join('\n'));
    const what = `#include "${name}" added at ${file.path}:${at + 1}`;
    return withBody ? what + (callAddedIn(root, facts, random, file.path) ?? '') : what;
  };

const includeRemoved =
  (ext: '.c' | '.h'): TreeEdit =>
  ({ root, facts, random }) => {
    const file = pick(random, sources(facts, ext).filter((f) => f.includes.length > 0));
    if (!file) return null;
    const text = lines(root, file.path);
    const at = pick(random, includeLines(text));
    if (at === undefined) return null;
    const [line] = text.splice(at, 1);
    write(root, file.path, text.join('\n'));
    return `${line} removed at ${file.path}:${at + 1}`;
  };

/** The edits, by name (merged into EDIT_KINDS). */
export const INCLUDE_EDITS: Record<string, TreeEdit> = {
  'include added': includeAdded('.c', false),
  'include removed': includeRemoved('.c'),
  'include added and body': includeAdded('.c', true),
  'header include added': includeAdded('.h', false),
  'header include removed': includeRemoved('.h'),
};
