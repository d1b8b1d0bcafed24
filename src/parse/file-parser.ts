import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Profile } from '../profiles/profile.js';
import type { FileFacts } from '../types/facts.js';
import { extractFile } from './extract-file.js';
import { makeNeutraliser } from './neutralise.js';
import { callRules } from './rules.js';

/** Facts for a file that defines nothing. */
export function emptyFacts(path: string): FileFacts {
  return { path, parseErrors: 0, functions: [], macros: [], structs: [], typedefs: [], globals: [], prototypes: [], bindings: [], fieldAliases: [] };
}

/** Reads and extracts files of one tree with one profile; what a worker thread runs. */
export function fileParser(root: string, profile: Profile): (path: string) => FileFacts {
  const neutraliser = makeNeutraliser(profile);
  const rules = callRules(profile);
  return (path) => {
    const text = readFileSync(join(root, path), 'latin1');
    // A file with no brace and no function-like macro cannot define anything we index.
    if (!text.includes('{') && !/#\s*define\s+\w+\(/.test(text)) return emptyFacts(path);
    return extractFile(path, text, neutraliser, rules);
  };
}
