import type { CallFact, MacroFact, TypeExpr } from '../types/facts.js';
import { IDENT_RE, normaliseIdentifier } from '../util/c-identifier.js';
import type { SyntaxNode } from './parser.js';
import { blankLiterals, callArguments, macroStores } from './macro-stores.js';
import { NOT_CALLEES } from './scan/cursor.js';

const notCalls = new Set([
  'if', 'while', 'for', 'switch', 'return', 'sizeof', 'typeof', '__typeof__', 'defined', 'do',
  '__builtin_expect', 'likely', 'unlikely', '__attribute__', 'asm', '__asm__', 'offsetof', '_Generic',
  ...NOT_CALLEES,
]);

/** `__attribute__((...))` and `asm volatile(...)`: groups whose words name attributes and operands, not callees. */
const NON_CALL_GROUP = /\b(?:__attribute__|__attribute|asm|__asm__|__asm)\b(?:\s*\b(?:volatile|__volatile__|__volatile|goto|inline)\b)*\s*\(/g;

/** The value with every NON_CALL_GROUP blanked (newlines kept, so lines still count). */
function blankNonCallGroups(value: string): string {
  let out = value;
  for (const m of value.matchAll(NON_CALL_GROUP)) {
    let depth = 0;
    let i = m.index + m[0].length - 1;
    for (; i < value.length; i++) {
      if (value[i] === '(') depth++;
      else if (value[i] === ')' && --depth === 0) break;
    }
    const end = Math.min(i + 1, value.length);
    out = out.slice(0, m.index) + value.slice(m.index, end).replace(/[^\n]/g, ' ') + out.slice(end);
  }
  return out;
}

/**
 * Function-like macros. Their bodies are not parsed as C (they are often not valid C alone),
 * so calls are found lexically: a name followed by `(`, with its arguments (callArguments), and
 * stores into a member of a parameter (macroStores).
 */
export function extractMacros(defs: SyntaxNode[]): MacroFact[] {
  const macros: MacroFact[] = [];
  for (const def of defs) {
    const name = def.childForFieldName('name')?.text;
    if (!name) continue;
    const params = (def.childForFieldName('parameters')?.namedChildren ?? []).filter((p) => p.type === 'identifier').map((p) => p.text);
    const value = def.childForFieldName('value');
    macros.push(macroFact(name, params, value?.text ?? '', def.startPosition.row + 1, value ? value.startPosition.row + 1 : 0));
  }
  return macros;
}

/** A name followed by `(` in a macro's value, not a member (`->f(`, `.f(`) nor a stringised or pasted name. */
const CALLED = new RegExp(String.raw`(?<![\w#.>]|[^\x00-\x7f\s])(${IDENT_RE.NAME})\s*\(`, 'g');
/**
 * A call through a member: a root, then `->m` or `.m` steps, the last one called. The root is
 * `((struct s *)(p))` (groups 1, 2), `(p)` (group 3) or `p` (group 4), where nothing before it
 * makes it a call's result or a member itself (`to_dev(d)->ops->f(`, `a.b->f(`); the steps are group 5.
 */
const MEMBER_CALL = new RegExp(
  String.raw`(?<![\w$.>)\]#]|[^\x00-\x7f\s])(?:\(\s*\(\s*(?:const\s+)?((?:struct|union)\s+${IDENT_RE.NAME})\s*\*\s*\)\s*\(?\s*(${IDENT_RE.NAME})\s*\)?\s*\)|\(\s*(${IDENT_RE.NAME})\s*\)|(${IDENT_RE.NAME}))((?:\s*(?:->|\.)\s*${IDENT_RE.NAME})+)\s*\(`,
  'g',
);
/** The struct a macro yields: `container_of(p, struct x, m)` or a cast `(struct x *)`. */
const YIELDED = new RegExp(String.raw`^\s*\(?\s*(?:container_of\w*\s*\([^,]+,\s*|\(\s*(?:const\s+)?)((?:struct|union)\s+${IDENT_RE.NAME})`);

/** A function-like macro from its text: `line` is the `#define`'s, `valueLine` where the value starts. */
export function macroFact(name: string, params: string[], value: string, line: number, valueLine: number): MacroFact {
  // Each call with where it starts, for document order.
  const found: [number, CallFact][] = [];
  const blanked = blankNonCallGroups(value);
  // Same length as `blanked`: positions of calls found in one hold in the other.
  const plain = blankLiterals(blanked);
  for (const m of blanked.matchAll(CALLED)) {
    const called = normaliseIdentifier(m[1]!);
    // The second half of a pasted name (`__name ## _open(`) is no name of its own.
    if (notCalls.has(called) || called === name || /##\s*$/.test(blanked.slice(Math.max(0, m.index! - 16), m.index!))) continue;
    const at = valueLine + countNewlines(value, m.index!);
    const p = params.indexOf(called);
    const args = callArguments(plain, m.index! + m[0].length - 1);
    found.push([m.index!, p >= 0 ? { line: at, col: 0, param: p, args } : { line: at, col: 0, name: called, args }]);
  }
  for (const m of plain.matchAll(MEMBER_CALL)) found.push([m.index, memberCall(m, params, valueLine + countNewlines(value, m.index), callArguments(plain, m.index + m[0].length - 1))]);
  const calls = found.sort((a, b) => a[0] - b[0]).map(([, c]) => c);
  const macro: MacroFact = { name, line, params, calls };
  const returns = value ? yieldedType(value) : null;
  if (returns) macro.returns = returns;
  const { stores, holders } = macroStores(plain, params, valueLine);
  if (stores.length) Object.assign(macro, { stores, holders });
  return macro;
}

/**
 * The call a MEMBER_CALL match makes: through `field`, its receiver from the macro's parameter
 * (recvArg, recvPath: typed where the macro is expanded), from a cast, or from another name (a
 * file-scope variable, looked up where the macro is expanded).
 */
function memberCall(m: RegExpMatchArray, params: string[], line: number, args: (string | null)[]): CallFact {
  const steps = m[5]!.split(/->|\./).map((x) => x.trim()).filter(Boolean).map(normaliseIdentifier);
  const field = steps.pop()!;
  const root = m[1] ? null : normaliseIdentifier(m[3] ?? m[4]!);
  const p = root === null ? -1 : params.indexOf(root);
  if (p >= 0) return { line, col: 0, field, recvArg: p, ...(steps.length ? { recvPath: steps } : {}), args };
  let recv: TypeExpr = m[1] ? { k: 'type', name: m[1].replace(/\s+/g, ' ') } : { k: 'global', name: root! };
  for (const step of steps) recv = { k: 'field', of: recv, field: step };
  return { line, col: 0, field, recv, args };
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The struct a macro's value has when it is a container_of or a cast: `container_of(p, struct x, m)`. */
function yieldedType(body: string): string | null {
  const m = YIELDED.exec(body);
  return m ? m[1]!.replace(/\s+/g, ' ') : null;
}
