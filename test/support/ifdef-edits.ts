import { type EditContext, lines, pick, sources, type TreeEdit, write } from './tree-edits.js';

/**
 * Edits of calls inside `#if` blocks of bodies (CallFact.cond, index/inactive-calls.ts): a call
 * statement wrapped in an `#ifdef` of an option the configuration leaves unset (or of a code
 * macro the file defines), and such a wrapper taken away, on the lines of the tree's C files.
 */

/** A call statement alone on its line, inside a body (indented). */
const CALL = /^\s+\w[\w.>-]*\s*\(.*\);\s*$/;

/** The call statement lines of the tree's C files, and whether each is wrapped already (`#if...` on the line before, `#endif` after). */
function callLines(ctx: EditContext): { path: string; at: number; wrapped: boolean }[] {
  const out: { path: string; at: number; wrapped: boolean }[] = [];
  for (const f of sources(ctx.facts, '.c')) {
    const text = lines(ctx.root, f.path);
    text.forEach((l, at) => {
      if (CALL.test(l) && !/^\s*(if|while|for|switch|return)\b/.test(l)) out.push({ path: f.path, at, wrapped: /^#if/.test(text[at - 1] ?? '') && /^#endif/.test(text[at + 1] ?? '') });
    });
  }
  return out;
}

/** A call statement wrapped in `#ifdef` of `guard(serial)` (an unset option, or a macro the file then defines at its top). */
const wrapped =
  (codeMacro: boolean): TreeEdit =>
  (ctx) => {
    const hit = pick(ctx.random, callLines(ctx).filter((c) => !c.wrapped));
    if (!hit) return null;
    const text = lines(ctx.root, hit.path);
    const guard = codeMacro ? `PF_DEBUG_${ctx.serial}` : `CONFIG_PF_UNSET_${ctx.serial}`;
    text.splice(hit.at + 1, 0, '#endif');
    text.splice(hit.at, 0, `#ifdef ${guard}`);
    if (codeMacro) text.unshift(`#define ${guard}`);
    write(ctx.root, hit.path, text.join('\n'));
    return `call under #ifdef ${guard}: ${hit.path}:${hit.at + 1} ${lines(ctx.root, hit.path)[hit.at + (codeMacro ? 2 : 1)]!.trim()}`;
  };

/** The `#if`/`#endif` pair around a wrapped call statement taken away. */
const unwrapped: TreeEdit = (ctx) => {
  const hit = pick(ctx.random, callLines(ctx).filter((c) => c.wrapped));
  if (!hit) return null;
  const text = lines(ctx.root, hit.path);
  const call = text[hit.at]!.trim();
  text.splice(hit.at + 1, 1);
  text.splice(hit.at - 1, 1);
  write(ctx.root, hit.path, text.join('\n'));
  return `#if around a call taken away: ${hit.path}:${hit.at} ${call}`;
};

/** The edits of calls under conditions by name (joined into EDIT_KINDS). */
export const IFDEF_EDITS: Record<string, TreeEdit> = {
  'call put under an unset option': wrapped(false),
  'call put under a code macro': wrapped(true),
  'call condition taken away': unwrapped,
};
