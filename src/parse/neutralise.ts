import type { DefinerRule, Profile } from '../profiles/profile.js';
import { gluedToIdentifier, isIdentPartUnit, WHOLE_IDENTIFIER } from '../util/c-identifier.js';
import { escapeRegExp } from '../util/regexp.js';
import { closeParen, loopMacroNames } from './block-macros.js';

/** A function made by a definer macro, found while rewriting its head. */
export interface DefinedName {
  /** Offset of the rewritten head (where the function's name now stands). */
  offset: number;
  name: string;
  aliases: string[];
  macro: string;
}

/** A replacement of text[from, from + text.length) by text of the same length. */
type Edit = [from: number, text: string];

/** Spaces in place of text[from, to), keeping newlines so lines and offsets stay put. */
function blank(text: string, from: number, to: number, over = ''): Edit {
  const spaces = text.slice(from, to).replace(/[^\n]/g, ' ');
  return [from, over + spaces.slice(over.length)];
}

function applyEdits(text: string, edits: Edit[]): string {
  edits.sort((a, b) => a[0] - b[0]);
  const out: string[] = [];
  let at = 0;
  for (const [from, repl] of edits) {
    if (from < at) continue;
    out.push(text.slice(at, from), repl);
    at = from + repl.length;
  }
  out.push(text.slice(at));
  return out.join('');
}


/** True when offset lies on a preprocessor line (we leave #define bodies as written). */
function onDirectiveLine(text: string, offset: number): boolean {
  let i = text.lastIndexOf('\n', offset - 1) + 1;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return text[i] === '#';
}

/**
 * Rewrites `SYSCALL_DEFINE3(write, unsigned int, fd, ...)` in place into
 * `long sys_write(unsigned int  fd, ...)`, the same length, so that the grammar
 * sees an ordinary function definition; with DefinerRule.params 'none',
 * `DEFINE_IDTENTRY_RAW(exc_int3)` into `void exc_int3(            )`.
 */
function rewriteDefiner(text: string, edits: Edit[], at: number, macro: string, rule: DefinerRule): DefinedName | null {
  const open = at + macro.length;
  const end = closeParen(text, open);
  if (end < 0) return null;
  const inner = text.slice(open + 1, end - 1);
  const parts = splitTopLevel(inner);
  const name = parts[0]?.trim() ?? '';
  if (!WHOLE_IDENTIFIER.test(name)) return null;
  const head = `${rule.returns} ${rule.prefix}${name}(`;
  // With parameters, the head replaces up to the first comma; without, up to the closing paren, which stays.
  const pairs = rule.params === 'pairs' && parts.length > 1;
  const headEnd = pairs ? open + 1 + parts[0]!.length + 1 : end - 1;
  if (head.length > headEnd - at) return null;
  edits.push(blank(text, at, headEnd, head));
  // In `type, name, type, name` the 1st, 3rd, ... separators join a type to its name.
  let offset = headEnd;
  for (let p = 1; pairs && p < parts.length - 1; p++) {
    offset += parts[p]!.length;
    if (p % 2 === 1) edits.push([offset, ' ']);
    offset += 1;
  }
  return { offset: at + rule.returns.length + 1, name: rule.prefix + name, aliases: rule.aliasPrefixes.map((a) => a + name), macro };
}

/** Splits on commas outside parentheses, keeping each part's exact text. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Compiled form of a profile's neutralising rules, built once per profile. */
export interface Neutraliser {
  run(text: string): { text: string; defined: DefinedName[] };
}

/**
 * `only: 'definers'` rewrites definer macros alone: the fast extractor drops annotation words
 * while tokenizing and recognises loop-like macros itself, so it needs no more.
 */
export function makeNeutraliser(profile: Profile, only?: 'definers'): Neutraliser {
  if (only === 'definers') return definersOnly(profile);
  const withArgs = new Set(profile.annotationsWithArgs);
  const names = [...Object.keys(profile.annotations), ...withArgs];
  const definerHint = profile.definers.length > 0 ? ['\\w*DEFINE\\w*'] : [];
  const alternatives = [...names.map(escapeRegExp), ...definerHint];
  const loops = profile.loopMacros;
  if (alternatives.length === 0 && !loops) return { run: (text) => ({ text, defined: [] }) };
  const pattern = new RegExp(`\\b(?:${alternatives.join('|')})\\b`, 'g');
  return {
    run(text) {
      const edits: Edit[] = [];
      const defined: DefinedName[] = [];
      for (const m of text.matchAll(pattern)) {
        const word = m[0];
        const at = m.index!;
        if (gluedToIdentifier(text, at, at + word.length) || onDirectiveLine(text, at)) continue;
        const rule = profile.definers.find((d) => d.macro.test(word));
        if (rule) {
          if (text[at + word.length] !== '(') continue;
          const made = rewriteDefiner(text, edits, at, word, rule);
          if (made) defined.push(made);
        } else if (withArgs.has(word)) {
          let open = at + word.length;
          while (text[open] === ' ' || text[open] === '\t') open++;
          const end = text[open] === '(' ? closeParen(text, open) : -1;
          edits.push(blank(text, at, end > 0 ? end : at + word.length));
        } else {
          edits.push(blank(text, at, at + word.length, profile.annotations[word] ?? ''));
        }
      }
      if (loops) for (const [at, length] of loopMacroNames(text)) edits.push(blank(text, at, at + length, 'while'));
      return { text: edits.length ? applyEdits(text, edits) : text, defined };
    },
  };
}

/** Definer macros only, found by their `DEFINE` stem without a regular expression over the whole text. */
function definersOnly(profile: Profile): Neutraliser {
  if (profile.definers.length === 0) return { run: (text) => ({ text, defined: [] }) };
  return {
    run(text) {
      const edits: Edit[] = [];
      const defined: DefinedName[] = [];
      for (let k = text.indexOf('DEFINE'); k >= 0; k = text.indexOf('DEFINE', k + 6)) {
        let at = k;
        while (at > 0 && isIdentPartUnit(text.charCodeAt(at - 1))) at--;
        let end = k + 6;
        while (end < text.length && isIdentPartUnit(text.charCodeAt(end))) end++;
        if (text[end] !== '(') continue;
        const word = text.slice(at, end);
        const rule = profile.definers.find((d) => d.macro.test(word));
        if (!rule || onDirectiveLine(text, at)) continue;
        const made = rewriteDefiner(text, edits, at, word, rule);
        if (made) defined.push(made);
      }
      return { text: edits.length ? applyEdits(text, edits) : text, defined };
    },
  };
}

