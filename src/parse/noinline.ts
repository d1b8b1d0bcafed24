/**
 * GCC's noinline attribute as C code spells it: `noinline` and `__noinline` (Linux 6.1
 * include/linux/compiler_attributes.h: `__attribute__((__noinline__))`), `noinline_for_stack`
 * (include/linux/compiler_types.h), or the attribute written out. A function so marked keeps its
 * frame on every stack, however short or static it is.
 */
const NOINLINE = /(?<![\w$])(?:noinline|__noinline|noinline_for_stack|__attribute__\s*\(\(\s*_*noinline_*\s*\)\))(?![\w$])/;

/** True when the head of a definition (the text before its body's `{`) marks it noinline (see NOINLINE). */
export const declaresNoinline = (head: string): boolean => NOINLINE.test(head);
