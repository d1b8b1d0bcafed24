import type { BindingFact, FileFacts, StructFact } from '../types/facts.js';
import { baseType, declaratorInfo, parameterTypes } from './c-types.js';
import { declaredVariables } from './extract-bindings.js';
import type { SyntaxNode } from './parser.js';
import { IDENT_RE } from '../util/c-identifier.js';

const preprocBlocks = new Set(['preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef']);

/** Children of a node, looking through #if/#ifdef blocks. */
function* itemsOf(node: SyntaxNode): Generator<SyntaxNode> {
  for (const c of node.namedChildren) {
    if (preprocBlocks.has(c.type)) yield* itemsOf(c);
    else yield c;
  }
}

/** A stable name for an anonymous struct or union: where it is written. */
function anonName(spec: SyntaxNode, path: string): string {
  return `${spec.type.slice(0, spec.type.indexOf('_'))} <anon ${path}:${spec.startPosition.row + 1}>`;
}

/** The type a struct/union specifier names, anonymous or not. */
function specifierName(spec: SyntaxNode, path: string): string {
  const parent = spec.parent;
  if (!spec.childForFieldName('name') && parent?.type === 'type_definition') {
    const info = declaratorInfo(parent.childForFieldName('declarator'));
    if (info) return info.name;
  }
  return baseType(spec, anonName(spec, path));
}

/** Fields of a struct body; members of anonymous struct/union members are lifted into it. */
function fieldsOf(body: SyntaxNode, path: string, out: StructFact['fields']): void {
  for (const item of itemsOf(body)) {
    if (item.type !== 'field_declaration') continue;
    const type = item.childForFieldName('type');
    const declarators = item.childrenForFieldName('declarator');
    const isAggregate = type?.type === 'struct_specifier' || type?.type === 'union_specifier';
    if (declarators.length === 0 && isAggregate && !type.childForFieldName('name')) {
      const inner = type.childForFieldName('body');
      if (inner) fieldsOf(inner, path, out);
      continue;
    }
    const base = isAggregate ? specifierName(type, path) : baseType(type);
    for (const d of declarators) {
      const info = declaratorInfo(d);
      if (!info) continue;
      out.push({ name: info.name, type: base, ...(info.fnptr ? { fnptr: true } : {}), ...(info.isArray ? { array: true } : {}), ...(info.fnptr ? { params: parameterTypes(info.params) } : {}) });
    }
  }
}

/** Struct and union definitions among these specifiers (found anywhere in a file, nested ones included). */
export function extractStructs(specifiers: SyntaxNode[], path: string): StructFact[] {
  const structs: StructFact[] = [];
  for (const spec of specifiers) {
    const body = spec.childForFieldName('body');
    if (!body) continue;
    const fields: StructFact['fields'] = [];
    fieldsOf(body, path, fields);
    structs.push({ name: specifierName(spec, path), line: spec.startPosition.row + 1, fields });
  }
  return structs;
}

/** typedefs and file-scope variables (with their initializer bindings) and prototypes; `skipped` holds the start offsets of declarations that declare parameters (an old-style list). */
export function extractFileScope(root: SyntaxNode, facts: FileFacts, bindings: BindingFact[], skipped: Set<number> = new Set()): void {
  for (const item of itemsOf(root)) {
    if (skipped.has(item.startIndex)) continue;
    if (item.type === 'type_definition') {
      const type = item.childForFieldName('type');
      const isAggregate = type?.type === 'struct_specifier' || type?.type === 'union_specifier';
      for (const d of item.childrenForFieldName('declarator')) {
        const info = declaratorInfo(d);
        if (!info) continue;
        const base = isAggregate ? specifierName(type, facts.path) : baseType(type);
        if (base !== info.name) facts.typedefs.push([info.name, base]);
      }
    } else if (item.type === 'declaration') {
      facts.globals.push(...declaredVariables(item, bindings));
      for (const d of item.childrenForFieldName('declarator')) {
        const info = declaratorInfo(d);
        if (info?.isFunction) facts.prototypes.push([info.name, baseType(item.childForFieldName('type'))]);
      }
    }
  }
}

/**
 * Object-like macros whose value is a member path (`#define sk_prot __sk_common.skc_prot`),
 * wherever they are written: the kernel defines them inside struct bodies.
 */
export function fieldAlias(def: SyntaxNode): [string, string[]] | null {
  const name = def.childForFieldName('name')?.text;
  return name ? fieldAliasOf(name, def.childForFieldName('value')?.text ?? '') : null;
}

/** `a.b->c`: a value that is a member path. */
const FIELD_PATH = new RegExp(`^${IDENT_RE.NAME}(?:\\s*(?:\\.|->)\\s*${IDENT_RE.NAME})+$`);

const NAME_ALIAS = new RegExp(`^\\(?\\s*${IDENT_RE.NAME}\\s*\\)?$`);

/**
 * True when an object-like macro's value is one identifier (`#define le32_to_cpu __le32_to_cpu`):
 * a call through the macro's name calls a function or macro under another name.
 */
export function isNameAlias(value: string): boolean {
  return NAME_ALIAS.test(value.trim());
}

/** The member path an object-like macro's value spells, if it is one. */
export function fieldAliasOf(name: string, value: string): [string, string[]] | null {
  const v = value.trim();
  return FIELD_PATH.test(v) ? [name, v.split(/\s*(?:\.|->)\s*/)] : null;
}
