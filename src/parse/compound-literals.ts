/**
 * Compound literals in a tree-sitter tree: `(struct chan_ops){ .open = f }`, `&(const struct
 * x){...}`, `(ops_t){...}`, in function bodies and file-scope initializers alike. Their members
 * bind like a named object's initializer (BindingFact with no `variable`), as the scanner's
 * scan/compound-literals.ts finds them.
 */
import type { BindingFact } from '../types/facts.js';
import { baseType } from './c-types.js';
import { walkInitializer } from './extract-bindings.js';
import type { SyntaxNode } from './parser.js';

/** A function's body as the source offsets of its definition, and its name. */
export interface DefinitionRange {
  start: number;
  end: number;
  name: string;
}

/** The struct, union or typedef name of a compound literal's type, or null (a primitive, pointer or array type). */
function literalType(literal: SyntaxNode): string | null {
  const descriptor = literal.childForFieldName('type');
  const type = descriptor?.childForFieldName('type');
  if (!descriptor || !type || descriptor.childForFieldName('declarator')) return null;
  if (type.type !== 'struct_specifier' && type.type !== 'union_specifier' && type.type !== 'type_identifier') return null;
  if (type.type !== 'type_identifier' && (!type.childForFieldName('name') || type.childForFieldName('body'))) return null;
  return baseType(type);
}

/**
 * Appends to `out` the bindings of the compound literals `literals` (in document order): each
 * designated (or positional) member given a function name, its root the literal's type,
 * `inFunction` the definition holding it (none at file scope). `definitions` are in document order.
 */
export function compoundLiteralBindings(literals: readonly SyntaxNode[], definitions: readonly DefinitionRange[], out: BindingFact[]): void {
  let k = 0;
  for (const literal of literals) {
    const type = literalType(literal);
    const list = literal.childForFieldName('value');
    if (!type || list?.type !== 'initializer_list') continue;
    while (k < definitions.length && definitions[k]!.end <= literal.startIndex) k++;
    const definition = k < definitions.length && definitions[k]!.start <= literal.startIndex ? definitions[k]! : null;
    const found: BindingFact[] = [];
    walkInitializer(list, { k: 'type', name: type }, [], false, undefined, found);
    for (const b of found) out.push(definition ? { ...b, inFunction: definition.name } : b);
  }
}
