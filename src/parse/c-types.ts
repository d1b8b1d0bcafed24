import { IDENT_RE, WHOLE_IDENTIFIER } from '../util/c-identifier.js';
import type { SyntaxNode } from './parser.js';

const STRUCT_NAMED = new RegExp(`${IDENT_RE.BEFORE}(struct|union)\\s+(${IDENT_RE.NAME})`);
const QUALIFIER_OR_STAR = new RegExp(`${IDENT_RE.BEFORE}(?:const|volatile)${IDENT_RE.AFTER}|\\*`, 'g');

/** What a declarator says about the name it declares. */
export interface DeclaratorInfo {
  name: string;
  /** The name is a pointer to a function (`int (*poll)(...)`). */
  fnptr: boolean;
  /** The name is a function (a prototype, not a variable). */
  isFunction: boolean;
  isArray: boolean;
  node: SyntaxNode;
  /** For a function pointer: the parameter list of the function declarator nearest the name. */
  params?: SyntaxNode;
}

const nameTypes = new Set(['identifier', 'field_identifier', 'type_identifier']);

/** Unwraps pointer, array, function and init declarators down to the declared name. */
export function declaratorInfo(decl: SyntaxNode | null): DeclaratorInfo | null {
  let node = decl;
  let fnptr = false;
  let isFunction = false;
  let isArray = false;
  let params: SyntaxNode | undefined;
  while (node) {
    if (nameTypes.has(node.type)) return { name: node.text, fnptr, isFunction, isArray, node, ...(fnptr && params ? { params } : {}) };
    switch (node.type) {
      case 'function_declarator': {
        const inner = node.childForFieldName('declarator');
        if (inner?.type === 'parenthesized_declarator') fnptr = true;
        else isFunction = true;
        params = node.childForFieldName('parameters') ?? undefined;
        node = inner;
        break;
      }
      case 'pointer_declarator':
        node = node.childForFieldName('declarator');
        break;
      case 'array_declarator':
        isArray = true;
        node = node.childForFieldName('declarator');
        break;
      case 'init_declarator':
      case 'attributed_declarator':
        node = node.childForFieldName('declarator') ?? node.namedChild(0);
        break;
      case 'parenthesized_declarator':
        node = node.namedChildren.find((c) => c.type !== 'comment') ?? null;
        break;
      default:
        return null;
    }
  }
  return null;
}

/**
 * The base type named by a type node: `struct socket`, `union bpf_attr`, a typedef name,
 * or the primitive spelled out. Anonymous structs take `anonName`.
 */
export function baseType(type: SyntaxNode | null, anonName = ''): string {
  if (!type) return '';
  switch (type.type) {
    case 'struct_specifier':
    case 'union_specifier':
    case 'enum_specifier': {
      const name = type.childForFieldName('name');
      const keyword = type.type.slice(0, type.type.indexOf('_'));
      return name ? `${keyword} ${name.text}` : anonName;
    }
    case 'type_descriptor':
      return baseType(type.childForFieldName('type'), anonName);
    default:
      return type.text.replace(/\s+/g, ' ');
  }
}

/** Base type named in text such as `struct foo *` or `const struct foo` (container_of arguments). */
export function baseTypeFromText(text: string): string | null {
  const m = STRUCT_NAMED.exec(text);
  if (m) return `${m[1]} ${m[2]}`;
  const t = text.replace(QUALIFIER_OR_STAR, '').trim();
  return WHOLE_IDENTIFIER.test(t) ? t : null;
}

/**
 * The base types of a parameter list's parameters, in order (`...` left out, `(void)` empty), as
 * VarFact.params records them for a function pointer.
 */
export function parameterTypes(list: SyntaxNode | undefined): string[] {
  if (!list) return [];
  const types = list.namedChildren.filter((p) => p.type === 'parameter_declaration').map((p) => ({ named: !!p.childForFieldName('declarator'), type: baseType(p.childForFieldName('type')) }));
  return types.length === 1 && !types[0]!.named && types[0]!.type === 'void' ? [] : types.map((t) => t.type);
}
