/*
 * The attributes of a definition's head read beside its signature (which drops them as
 * annotations): noinline and weak, for FunctionFact.noinline and FunctionFact.weak.
 */

/**
 * GCC's noinline attribute as C code spells it: `noinline` and `__noinline` (Linux 6.1
 * include/linux/compiler_attributes.h: `__attribute__((__noinline__))`), `noinline_for_stack`
 * (include/linux/compiler_types.h), or the attribute written out. A function so marked keeps its
 * frame on every stack, however short or static it is.
 */
const NOINLINE = /(?<![\w$])(?:noinline|__noinline|noinline_for_stack|__attribute__\s*\(\(\s*_*noinline_*\s*\)\))(?![\w$])/;

/**
 * GCC's weak attribute: `__weak` (Linux 6.1 include/linux/compiler_attributes.h:
 * `__attribute__((__weak__))`) or the attribute written out. The linker takes a definition without
 * it over a weak one of the same name (a global function of arch/x86 over kernel/sched/idle.c's
 * `void __weak arch_cpu_idle(void)`).
 */
const WEAK = /(?<![\w$])(?:__weak|__attribute__\s*\(\(\s*_*weak_*\s*\)\))(?![\w$])/;

/** Comments and preprocessor lines: no part of a definition's head. */
const NOT_HEAD = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|^[ \t]*#[^\n]*/gm;

/**
 * True when a definition's head marks it noinline (see NOINLINE). `head` is the source from the
 * head's first token the extractor kept to the body's `{`; `before` the source between the token
 * before the definition and that one, where annotation words the extractor dropped or blanked
 * stand (`noinline int f(void)`: the head starts at `int`). Comments and preprocessor lines are
 * not read. Both are the file's text before annotations are taken out.
 */
export const declaresNoinline = (before: string, head: string): boolean => marks(NOINLINE, before, head);

/** True when a definition's head marks it weak (see WEAK); `before` and `head` as for declaresNoinline. */
export const declaresWeak = (before: string, head: string): boolean => marks(WEAK, before, head);

/** Whether `word` stands in `before` or `head` outside comments and directive lines; those are taken out only when it stands there at all (most heads: a test each). */
const marks = (word: RegExp, before: string, head: string): boolean => [before, head].some((text) => word.test(text) && word.test(text.replace(NOT_HEAD, ' ')));
