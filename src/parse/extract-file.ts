import type { BindingFact, FileFacts } from '../types/facts.js';
import { type BodyNodes, extractFunction } from './extract-functions.js';
import { extractMacros } from './extract-macros.js';
import { extractFileScope, extractStructs, fieldAlias, isNameAlias } from './extract-types.js';
import type { Neutraliser } from './neutralise.js';
import { withoutKeywordNames } from './keyword-names.js';
import { normaliseUcnNames } from './normalise-names.js';
import { addPreprocessorFacts } from './preprocessor.js';
import { cParser, type SyntaxNode } from './parser.js';
import type { CallRules } from './rules.js';

/** Node types the extractor needs, fetched in a single native walk of the tree. */
const WANTED = ['function_definition', 'declaration', 'call_expression', 'assignment_expression', 'struct_specifier', 'union_specifier', 'preproc_function_def', 'preproc_def', 'ERROR'];

/** Parses one file's text and returns its facts. `path` is relative to the tree root. */
export function extractFile(path: string, source: string, neutraliser: Neutraliser, rules: CallRules): FileFacts {
  const { text, defined } = neutraliser.run(source);
  const root = cParser().parse(text).rootNode;
  const functions: [SyntaxNode, BodyNodes][] = [];
  const specifiers: SyntaxNode[] = [];
  const macros: SyntaxNode[] = [];
  const fieldAliases: [string, string[]][] = [];
  const aliasMacros: string[] = [];
  let errors = 0;
  // Nodes arrive in document order, so a body's nodes follow its definition.
  let current: BodyNodes | null = null;
  let currentEnd = -1;
  for (const node of root.descendantsOfType(WANTED)) {
    const type = node.type;
    if (current && node.startIndex >= currentEnd) current = null;
    switch (type) {
      case 'function_definition': {
        const body = node.childForFieldName('body');
        if (!body) break;
        current = { declarations: [], calls: [], assignments: [] };
        currentEnd = node.endIndex;
        functions.push([node, current]);
        break;
      }
      case 'declaration':
        current?.declarations.push(node);
        break;
      case 'call_expression':
        current?.calls.push(node);
        break;
      case 'assignment_expression':
        current?.assignments.push(node);
        break;
      case 'struct_specifier':
      case 'union_specifier':
        specifiers.push(node);
        break;
      case 'preproc_function_def':
        macros.push(node);
        break;
      case 'preproc_def': {
        const alias = fieldAlias(node);
        if (alias) fieldAliases.push(alias);
        const name = node.childForFieldName('name')?.text;
        if (name && isNameAlias(node.childForFieldName('value')?.text ?? '')) aliasMacros.push(name);
        break;
      }
      default:
        errors++;
    }
  }
  const definedByName = new Map(defined.map((d) => [d.name, d]));
  const bindings: BindingFact[] = [];
  const facts: FileFacts = {
    path,
    hash: '',
    parseErrors: root.hasError ? Math.max(errors, 1) : 0,
    functions: [],
    macros: extractMacros(macros),
    structs: extractStructs(specifiers, path),
    typedefs: [],
    globals: [],
    prototypes: [],
    bindings,
    includes: [],
    fieldAliases,
    aliasMacros,
  };
  for (const [def, body] of functions) {
    const fn = extractFunction(def, body, rules, definedByName, bindings);
    if (fn) facts.functions.push(fn);
  }
  extractFileScope(root, facts, bindings);
  return withoutKeywordNames(normaliseUcnNames(addPreprocessorFacts(facts, source), source));
}
