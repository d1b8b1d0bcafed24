import type { BindingFact, FileFacts } from '../types/facts.js';
import { extractFunction } from './extract-functions.js';
import { extractMacros } from './extract-macros.js';
import { extractFileScope, extractStructs } from './extract-types.js';
import type { Neutraliser } from './neutralise.js';
import { cParser } from './parser.js';
import type { CallRules } from './rules.js';

/** Parses one file's text and returns its facts. `path` is relative to the tree root. */
export function extractFile(path: string, source: string, neutraliser: Neutraliser, rules: CallRules): FileFacts {
  const { text, defined } = neutraliser.run(source);
  const tree = cParser().parse(text);
  const root = tree.rootNode;
  const definedByName = new Map(defined.map((d) => [d.name, d]));
  const bindings: BindingFact[] = [];
  const facts: FileFacts = {
    path,
    parseErrors: root.hasError ? root.descendantsOfType('ERROR').length + (root.type === 'ERROR' ? 1 : 0) || 1 : 0,
    functions: [],
    macros: extractMacros(root),
    structs: extractStructs(root, path),
    typedefs: [],
    globals: [],
    prototypes: [],
    bindings,
    fieldAliases: [],
  };
  for (const def of root.descendantsOfType('function_definition')) {
    const fn = extractFunction(def, rules, definedByName, bindings);
    if (fn) facts.functions.push(fn);
  }
  extractFileScope(root, facts, bindings);
  return facts;
}
