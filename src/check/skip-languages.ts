/**
 * Code blocks in a programming or data language hold code, not call chains: `skb->dev`,
 * `a => b` in a script, `-> x` in a diff. Blocks so marked are not read.
 */
const LANGUAGES = new Set(
  'c c++ cpp h asm diff patch make makefile kconfig dts json yaml yml toml python py perl rust rs go javascript js typescript ts ini xml html css sql awk'.split(' '),
);

/** True when a fence's info string or a code-block directive's argument names such a language (case-insensitive). */
export function isProgramLanguage(lang: string): boolean {
  return LANGUAGES.has(lang.toLowerCase());
}
