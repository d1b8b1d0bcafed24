import type { BindingFact, FileFacts } from '../types/facts.js';
import { type BodyNodes, extractFunction, extractImplicitInt } from './extract-functions.js';
import { implicitIntDefinition } from './extract-old-style.js';
import { extractMacros } from './extract-macros.js';
import { extractFileScope, extractStructs, fieldAlias, isNameAlias } from './extract-types.js';
import type { Neutraliser } from './neutralise.js';
import { declaresNoinline, declaresWeak } from './head-attributes.js';
import { withoutKeywordNames } from './keyword-names.js';
import { normaliseUcnNames } from './normalise-names.js';
import { addPreprocessorFacts } from './preprocessor.js';
import { blankInitializerDirectives } from './initializer-directives.js';
import { cParser, type SyntaxNode } from './parser.js';
import { tokenize } from './scan/tokens.js';
import type { CallRules } from './rules.js';

/** Node types the extractor needs, fetched in a single native walk of the tree. */
const WANTED = ['function_definition', 'declaration', 'call_expression', 'assignment_expression', 'return_statement', 'struct_specifier', 'union_specifier', 'preproc_function_def', 'preproc_def', 'ERROR'];

/** Parses one file's text and returns its facts. `path` is relative to the tree root. */
export function extractFile(path: string, source: string, neutraliser: Neutraliser, rules: CallRules): FileFacts {
  const { text, defined } = neutraliser.run(source);
  const root = cParser().parse(blankInitializerDirectives(text)).rootNode;
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
        current = { declarations: [], calls: [], assignments: [], returns: [] };
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
      case 'return_statement':
        current?.returns.push(node);
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
      // ERROR: tree-sitter-c's grammar meets kernel macros it cannot read (`DEFINE_PER_CPU(...)`,
      // `__acquires(x)`); such files still balance, so they are no parse error (see below).
    }
  }
  const definedByName = new Map(defined.map((d) => [d.name, d]));
  const bindings: BindingFact[] = [];
  const facts: FileFacts = {
    path,
    hash: '',
    parseErrors: 0,
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
    const fn = extractFunction(def, body, rules, definedByName, bindings, headMarks(source, text, def));
    if (fn === 'invalid') errors++;
    else if (fn) facts.functions.push(fn);
  }
  // File scope: definitions without a return type (which tree-sitter-c reads as a statement and a
  // block), blocks that belong to no definition, and other recovered errors.
  const top = root.namedChildren;
  const parameterDeclarations = new Set<number>();
  for (let k = 0; k < top.length; ) {
    const implicit = implicitIntDefinition(top, k);
    if (implicit) {
      facts.functions.push(extractImplicitInt(implicit, rules, definedByName, bindings));
      for (const d of implicit.declarations) parameterDeclarations.add(d.startIndex);
      k = implicit.next;
      continue;
    }
    if (top[k]!.type === 'compound_statement') errors++;
    k++;
  }
  // In document order, as the scanner gives them.
  if (facts.functions.some((f, k) => k > 0 && f.line < facts.functions[k - 1]!.line)) facts.functions.sort((a, b) => a.line - b.line);
  // A parse error is what the README says and the scanner counts: brackets that do not balance (by
  // the scanner's tokenizer, the same rule for both extractors) and blocks outside any definition.
  facts.parseErrors = errors + tokenize(text, () => {}, rules.dropped).unbalanced;
  extractFileScope(root, facts, bindings, parameterDeclarations);
  return withoutKeywordNames(normaliseUcnNames(addPreprocessorFacts(facts, source), source));
}

/**
 * Whether a definition's head marks it noinline or weak (parse/head-attributes.ts), read in the file's
 * `source` as written: the neutralised `text` tree-sitter parsed has its annotation words blanked,
 * with the same offsets, and the definition starts after those that lead it (`noinline int f(void)`).
 */
function headMarks(source: string, text: string, def: SyntaxNode): { noinline?: true; weak?: true } {
  const body = def.childForFieldName('body');
  if (!body) return {};
  let from = def.startIndex;
  while (from > 0 && /\s/.test(text[from - 1]!)) from--;
  const before = source.slice(from, def.startIndex);
  const head = source.slice(def.startIndex, body.startIndex);
  return { ...(declaresNoinline(before, head) ? { noinline: true as const } : {}), ...(declaresWeak(before, head) ? { weak: true as const } : {}) };
}
