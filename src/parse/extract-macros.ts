import type { CallFact, MacroFact } from '../types/facts.js';
import { IDENT_RE, normaliseIdentifier } from '../util/c-identifier.js';
import type { SyntaxNode } from './parser.js';
import { blankLiterals, callArguments, closingParen, macroStores } from './macro-stores.js';
import { NOT_CALLEES } from './scan/cursor.js';

const notCalls = new Set([
  'if', 'while', 'for', 'switch', 'return', 'sizeof', 'typeof', '__typeof__', 'defined', 'do',
  '__builtin_expect', 'likely', 'unlikely', '__attribute__', 'asm', '__asm__', 'offsetof', '_Generic',
  ...NOT_CALLEES,
]);

/** `__attribute__((...))`, `asm volatile(...)` and `asm_inline volatile(...)` (Linux's `asm __inline`): groups whose words name attributes and operands, not callees. */
const NON_CALL_GROUP = /\b(?:__attribute__|__attribute|asm|__asm__|__asm|asm_inline)\b(?:\s*\b(?:volatile|__volatile__|__volatile|goto|inline)\b)*\s*\(/g;

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

/** An asm statement up to its `(` (`asm_inline` is Linux's `asm __inline`). */
const ASM_GROUP = /\b(?:asm|__asm__|__asm|asm_inline)\b(?:\s*\b(?:volatile|__volatile__|__volatile|goto|inline)\b)*\s*\(/g;
/** An immediate operand (`"i" (func)`, named or not) whose value is a bare name. */
const IMMEDIATE_NAME = new RegExp(String.raw`"\s*i\s*"\s*\(\s*(${IDENT_RE.NAME})\s*\)`, 'g');

/**
 * The parameters of a macro that an asm statement of its value takes as an immediate operand
 * (`[__func] "i" (func)`), each with where it stands in the value: the asm calls them, its template
 * saying `call %P[__func]` (Linux 6.1's call_on_stack in arch/x86/include/asm/irq_stack.h, which
 * do_softirq_own_stack runs __do_softirq with; alternative_call in arch/x86/include/asm/alternative.h).
 * The template may come from another argument, so the operand alone decides; an immediate that is
 * not a parameter (a constant, `sizeof(x)`) is none.
 */
function asmCalledParams(value: string, params: string[]): { param: number; at: number }[] {
  const out: { param: number; at: number }[] = [];
  if (params.length === 0 || !/"\s*i\s*"/.test(value)) return out;
  for (const m of value.matchAll(ASM_GROUP)) {
    const end = closingParen(value, m.index + m[0].length - 1);
    const group = value.slice(m.index, end < 0 ? value.length : end);
    for (const op of group.matchAll(IMMEDIATE_NAME)) {
      const param = params.indexOf(op[1]!);
      if (param >= 0) out.push({ param, at: m.index + op.index! });
    }
  }
  return out;
}

/** A name followed by `(` in a macro's value, not a member (`->f(`, `.f(`) nor a stringised or pasted name. */
const CALLED = new RegExp(String.raw`(?<![\w#.>]|[^\x00-\x7f\s])(${IDENT_RE.NAME})\s*\(`, 'g');
/** The struct a macro yields: `container_of(p, struct x, m)` or a cast `(struct x *)`. */
const YIELDED = new RegExp(String.raw`^\s*\(?\s*(?:container_of\w*\s*\([^,]+,\s*|\(\s*(?:const\s+)?)((?:struct|union)\s+${IDENT_RE.NAME})`);

/** A function-like macro from its text: `line` is the `#define`'s, `valueLine` where the value starts. */
export function macroFact(name: string, params: string[], value: string, line: number, valueLine: number): MacroFact {
  const calls: CallFact[] = [];
  // Where each call starts in the value.
  const order: number[] = [];
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
    calls.push(p >= 0 ? { line: at, col: 0, param: p, args } : { line: at, col: 0, name: called, args });
    order.push(m.index!);
  }
  const asm = asmCalledParams(value, params);
  for (const { param, at } of asm) {
    calls.push({ line: valueLine + countNewlines(value, at), col: 0, param, args: [] });
    order.push(at);
  }
  // In the body's order: an asm statement's calls among the others (sorted only when there are some: most macros have none).
  const ordered = asm.length ? calls.map((c, k) => ({ c, at: order[k]! })).sort((a, b) => a.at - b.at).map((e) => e.c) : calls;
  const macro: MacroFact = { name, line, params, calls: ordered };
  const returns = value ? yieldedType(value) : null;
  if (returns) macro.returns = returns;
  const { stores, holders } = macroStores(plain, params, valueLine);
  if (stores.length) Object.assign(macro, { stores, holders });
  const members = memberCalls(plain);
  if (members.length) macro.memberCalls = members;
  return macro;
}

/** A member named last before `(`: `->f (` or `.f(`, not a number's fraction (`1.5(` is no call). */
const MEMBER_CALLED = /(?:->|(?<![\d\s])\.)\s*[A-Za-z_]\w*\s*\(/g;

/**
 * The calls through a member in a macro's value with its literals blanked (MacroFact.memberCalls):
 * each member chain called, back to the name or the parenthesised expression it starts from.
 */
function memberCalls(plain: string): string[] {
  const out = new Set<string>();
  for (const m of plain.matchAll(MEMBER_CALLED)) {
    const end = m.index + m[0].length - 1;
    let start = m.index;
    // Back over the receiver: names, `->` and `.`, `[...]` and `(...)` groups, while they chain
    // (a name ends the chain unless an operator comes before it).
    for (let i = m.index - 1, afterName = false; ; ) {
      let j = i;
      while (j >= 0 && /\s/.test(plain[j]!)) j--;
      if (j < 0) break;
      const c = plain[j]!;
      const operator = (c === '>' && plain[j - 1] === '-') || c === '.';
      if (afterName && !operator) break;
      afterName = false;
      if (c === ')' || c === ']') {
        const open = c === ')' ? '(' : '[';
        let depth = 0;
        for (; j >= 0; j--) {
          if (plain[j] === c) depth++;
          else if (plain[j] === open && --depth === 0) break;
        }
        if (j < 0) break;
        start = j;
        i = j - 1;
      } else if (/\w/.test(c)) {
        let k = j;
        while (k >= 0 && /\w/.test(plain[k]!)) k--;
        if (NOT_RECEIVERS.has(plain.slice(k + 1, j + 1))) break;
        start = k + 1;
        i = k;
        afterName = true;
      } else if (c === '>' && plain[j - 1] === '-') {
        start = j - 1;
        i = j - 2;
      } else if (c === '.') {
        start = j;
        i = j - 1;
      } else break;
    }
    const text = plain.slice(start, end).replace(/\s+/g, '');
    if (/^[A-Za-z_(]/.test(text) && /(?:->|\.)[A-Za-z_]\w*$/.test(text)) out.add(text);
  }
  return [...out];
}

/** Words before a parenthesised receiver that are not a function it calls (`return (sock)->ops->x(...)`). */
const NOT_RECEIVERS = new Set(['return', 'sizeof', 'typeof', '__typeof__', 'if', 'while', 'switch', 'case', 'do', 'else']);

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
