/**
 * Directive lines inside brace initializers, blanked for tree-sitter.
 *
 * tree-sitter-c's grammar has no preprocessor directive inside an initializer list: in
 * `DEFINE_SCHED_CLASS(fair) = { .enqueue_task = ..., #ifdef CONFIG_SMP .balance = balance_fair,
 * ... #endif .task_tick = task_tick_fair, ... }` (kernel/sched/fair.c) it reads `#ifdef CONFIG_SMP`
 * as an error and the entry after each directive as something else, so those stores are lost.
 * The scanner reads every arm of such a block as entries, skipping the directive lines. Blanking
 * the directive lines that stand inside an initializer's braces makes tree-sitter read the same
 * entries. Lines and offsets stay where they were (blanks keep newlines).
 */
import { literalEnd } from './macro-invocations.js';

/** `text` with every directive line (continuations included) inside an initializer's braces turned to spaces; the same string when there is none. */
export function blankInitializerDirectives(text: string): string {
  if (!text.includes('#')) return text;
  // For each open brace: true when it opens an initializer (after `=`, or inside one).
  const braces: boolean[] = [];
  let last = '';
  let lastBefore = '';
  let lineStart = true;
  let out: string[] | null = null;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      lineStart = true;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v') continue;
    if (ch === '#' && lineStart) {
      const end = directiveEnd(text, i);
      if (braces.length > 0 && braces[braces.length - 1]) {
        (out ??= []).push(text.slice(from, i), text.slice(i, end).replace(/[^\n]/g, ' '));
        from = end;
      }
      i = end - 1;
      continue;
    }
    lineStart = false;
    if (ch === '/' && (text[i + 1] === '*' || text[i + 1] === '/')) {
      const close = text[i + 1] === '*' ? text.indexOf('*/', i + 2) : text.indexOf('\n', i + 2);
      if (close < 0) break;
      // A comment ends where a line may start again only after a newline.
      i = text[i + 1] === '*' ? close + 1 : close - 1;
      continue;
    }
    if (ch === '"' || ch === "'") {
      i = literalEnd(text, i);
      last = ch;
      continue;
    }
    if (ch === '{') braces.push((braces.length > 0 && braces[braces.length - 1]!) || (last === '=' && !'=!<>+-*/%&|^'.includes(lastBefore)));
    else if (ch === '}') braces.pop();
    lastBefore = last;
    last = ch;
  }
  return out ? out.join('') + text.slice(from) : text;
}

/** The end of the directive line whose `#` is at `i`: past its last continued line, before its newline. */
function directiveEnd(text: string, i: number): number {
  let k = i;
  for (;;) {
    const nl = text.indexOf('\n', k);
    if (nl < 0) return text.length;
    const before = text[nl - 1] === '\r' ? nl - 2 : nl - 1;
    if (text[before] !== '\\') return nl;
    k = nl + 1;
  }
}
