/**
 * Per-file facts: what the parse stage learns from one C file.
 * Plain serialisable data (no classes, no cycles), so it can cross worker
 * threads, be cached per file and be merged in any order.
 */

import type { CallFact, TypeExpr } from './call-fact.js';

export type { CallFact, TypeExpr } from './call-fact.js';

/** A parameter or local variable. */
export interface VarFact {
  name: string;
  /** Base type name (`struct socket`, a typedef, `int`); pointers are not counted. */
  type: string;
  /** True when the variable itself is a function pointer. */
  fnptr?: boolean;
  /** For a file-scope variable: true when declared `static` (its stores are those of its file). */
  isStatic?: boolean;
  /**
   * For a variable declared as a function pointer (or an array of them), not a parameter: the base
   * types of the pointer's parameters, in order (`...` left out, `(void)` empty), e.g.
   * `['struct sk_buff', 'int']` for `int (*fp)(struct sk_buff *, int)`. Absent otherwise.
   */
  params?: string[];
  /** For a file-scope variable made by expanding a definer macro's invocation: the macro. */
  definer?: string;
}

/** A function definition. */
export interface FunctionFact {
  name: string;
  /** 1-based line of the function's name. */
  line: number;
  /** 1-based last line of the body. */
  endLine: number;
  /** Set for a `static` definition; absent for a global one (a byte saved in the cache for each). */
  isStatic?: true;
  /** Signature text as written, annotations neutralised, whitespace collapsed. */
  signature: string;
  /** Base type of the return value (pointers not counted). */
  returns: string;
  params: VarFact[];
  calls: CallFact[];
  /**
   * Set when the body makes calls and every one is a tail call: the whole value of a `return`
   * (parentheses and casts aside: `return f(x);`, `return (long)ops->fn(a,\n b);`), either arm of
   * a returned `c ? f() : g()` and the last of `c ?: g()`, and in a function returning void the
   * same as its last statement, alone or as the branch of a last `if` with no `else` (a sibling
   * call), which a compiler turns into a jump (GCC's -foptimize-sibling-calls, on at -O2), so that
   * the function's frame is gone from a stack taken below it. Calls inside a tail call's arguments,
   * and the value `?:` tests, are not tail calls. Absent otherwise, for a function
   * with no call, and for a static function not marked noinline: one may leave no frame anyway (inlined: NodeFlag.Static
   * says so), and the key would cost the cache bytes for nothing (41,385 functions of Linux 6.1
   * make tail calls only, 7,355 of them global). Both extractors set it (tree-sitter:
   * extract-functions.ts; the scanner: scan/bodies.ts).
   */
  tailCalls?: true;
  /**
   * Set when the definition's head marks it noinline (`static noinline void __schedule_bug(...)`:
   * parse/head-attributes.ts): it keeps its frame on every stack, so a stack step never folds it as a
   * function a compiler inlines (NodeFlag.NoInline). Both extractors set it.
   */
  noinline?: true;
  /**
   * Set when the definition's head marks it weak (`void __weak arch_cpu_idle(void)`:
   * parse/head-attributes.ts): a call by name binds a strong global of the same name over it, as the
   * linker does (resolve/definition-scope.ts). Both extractors set it.
   */
  weak?: true;
  /** Other names the same function is known by (definer macros: `__x64_sys_write`). */
  aliases?: string[];
  /** Set when a definer macro made this function (SYSCALL_DEFINE3 ...; DEFINE_SHOW_ATTRIBUTE when expanded, with `expanded`). */
  definer?: string;
  /** True for a function the index stage made by expanding a definer macro's invocation (at its line): not parsed from the file's own text. */
  expanded?: true;
  /**
   * The preprocessor condition the definition sits under (at its name's line), combining every
   * enclosing `#if`/`#ifdef`/`#ifndef`/`#elif`/`#else` branch: `defined(CONFIG_PCI)`,
   * `!(defined(CONFIG_PCI))`, `(CONFIG_X > 2) && !(defined(Y))`. The normal form is defined by
   * conditionText in parse/preprocessor.ts. Absent for unconditional code; a header's include
   * guard is no condition.
   */
  cond?: string;
}

/** A function-like macro; the calls in its body are its edges. */
export interface MacroFact {
  name: string;
  line: number;
  params: string[];
  calls: CallFact[];
  /** Type of the value the macro yields, when its body names one (`container_of(p, struct x, m)`). */
  returns?: string;
  /** The preprocessor condition the `#define` sits under, as FunctionFact.cond. */
  cond?: string;
  /** Stores into a member of one of its parameters (`(_work)->func = (_func)`); absent when none. */
  stores?: MacroStoreFact[];
  /** What the body tells of the type of each parameter that holds a store (MacroHolderFact); absent when no store. */
  holders?: MacroHolderFact[];
  /**
   * The calls through a member the body makes, as written up to the `(`, whitespace dropped, each
   * once, in order (`P->hook.FUNC` in the LSM's `call_int_hook`, `(sock)->ops->sendmsg`); absent
   * when none. Nothing binds them (the member's struct is known only where the macro is expanded):
   * explain and check name them when a step may be one of them.
   */
  memberCalls?: string[];
  /**
   * The body, whitespace collapsed, of a macro that may define a function or an object at file
   * scope, or is a brace initializer or a list of invocations (bodyKind in parse/macro-invocations.ts):
   * what the index stage expands at the invocations (index/expand-definers.ts); or of a macro whose
   * body ends with a name (`paging##64_##name`, endsWithName), whose invocation's result a call may
   * call (index/expand-macro-calls.ts). Absent otherwise.
   */
  body?: string;
}

/**
 * A store in a function-like macro's body, read lexically: `(_work)->func = (_func);`,
 * `(t)->function = fn`, `x.f.g = p`, `((struct s *)(p))->cb = (fn)`. The holder is a parameter
 * of the macro; the value a parameter (a param-to-field store) or another name (an assignment).
 */
export interface MacroStoreFact {
  /** Index of the macro parameter whose member is written (`_work`). */
  holder: number;
  /** The member path from the holder: `['func']`, `['work', 'func']`. */
  path: string[];
  /** Set when the value stored is the macro parameter at this index (`_func`)... */
  param?: number;
  /** ...otherwise the name stored (a function, when one of that name is visible). */
  fn?: string;
  line: number;
  /** The store as written, whitespace collapsed: `(_work)->func = (_func)`. */
  text: string;
}

/** What a macro's body tells of the type of a parameter that holds a store (see MacroStoreFact). */
export interface MacroHolderFact {
  /** The parameter's index. */
  param: number;
  /** The struct or union it is cast to in the body (`(struct s *)(p)`), when it is. */
  cast?: string;
  /** Every member the body reads or writes on it (`p->m`, `(p).m`), sorted, each once. */
  members: string[];
}

/**
 * A function-like macro invoked at the start of a file-scope statement (`DEFINE_SHOW_ATTRIBUTE(x);`,
 * `static DECLARE_WORK(w, fn);`, `DEFINE_SCHED_CLASS(idle) = { ... };`), found lexically. The
 * index stage expands the invocations of definer macros as if their definitions were written here.
 */
export interface MacroInvocation {
  name: string;
  /** The arguments as written, comments out, whitespace collapsed. */
  args: string[];
  /** 1-based line of the macro's name. */
  line: number;
  /** Storage words written before the name (`static`, `static const`). */
  storage?: string;
  /**
   * What follows the invocation up to its `;`: an initializer (`= { .f = g }`), comments out, each
   * line's whitespace collapsed, its lines and directive lines kept (`DEFINE_SCHED_CLASS(fair) = {`
   * in kernel/sched/fair.c holds `#ifdef CONFIG_SMP` lines).
   */
  rest?: string;
  /** 1-based line where `rest` starts (its `=`), when not the invocation's line. */
  restLine?: number;
  /** The preprocessor condition the invocation sits under, as FunctionFact.cond. */
  cond?: string;
  /**
   * Set for an invocation heading a function whose body is written after it (a profile's definer
   * rule without parameters: `DEFINE_IDTENTRY_SYSVEC(x) { ... }`): the function the macro's body
   * ends by opening is the one parsed; the complete ones before it are made by expansion.
   */
  heads?: true;
}

/**
 * An object-like `#define` whose value is empty, `1` or one identifier (`#define __HAVE_ARCH_MEMSET`,
 * `#define HAVE_ARCH_BUG`, `#define arch_foo arch_foo`): the feature macros `#ifdef` and
 * `defined()` test. Macros with other values (register constants) are not recorded.
 */
export interface DefineFact {
  name: string;
  line: number;
  /** The identifier the macro stands for, when its value is one other identifier (`#define rcu_head callback_head`). */
  value?: string;
  /** The preprocessor condition the `#define` sits under, as FunctionFact.cond. */
  cond?: string;
}

/** A function registered at file scope by a profile's registration macro: `module_init(igb_init_module);`. */
export interface RegistrationFact {
  /** The macro (`module_init`, `core_initcall`, `__setup`). */
  macro: string;
  /** The function registered (the macro's argument the profile names). */
  fn: string;
  line: number;
  /** For a registration made by expanding a definer macro's invocation (at its line): the macro. */
  definer?: string;
  /**
   * The preprocessor condition its line sits under (conditionText's normal form), absent at top
   * level: one the configuration leaves out registers nothing (index/inactive-calls.ts
   * maskFileFacts), as `#ifdef MODULE ... module_init(f) ... #endif` is not compiled built in.
   */
  cond?: string;
}

/** One `#include` directive, as written. */
export interface IncludeFact {
  /** The name between the quotes or angle brackets (`linux/pci.h`, `internal.h`), unresolved. */
  path: string;
  /** True for `#include <...>` (searched on the include path only), false for `#include "..."`. */
  system: boolean;
  /** 1-based line of the directive. */
  line: number;
  /** The preprocessor condition the directive sits under, as FunctionFact.cond; absent when unconditional. */
  cond?: string;
}

/** A struct or union definition with the base types of its fields, in order. */
export interface StructFact {
  /** `struct NAME` or `union NAME`. */
  name: string;
  line: number;
  /** Each field's base type; for a function pointer member, `type` is its return base type and `params` its parameters' (as VarFact.params). */
  fields: { name: string; type: string; fnptr?: boolean; array?: boolean; params?: string[] }[];
}

/**
 * A function name stored into a struct member, by an initializer or an assignment.
 * The path is relative to `root`: `['dst', 'output']` in `struct rtable`.
 * A positional member is written `#N` (its index in the struct's field order).
 */
export interface BindingFact {
  root: TypeExpr;
  path: string[];
  /** The function name stored (or, for param stores, the parameter name). */
  fn: string;
  line: number;
  /** 'init': designated or positional initializer; 'assign': `x->f = fn`. */
  how: 'init' | 'assign';
  /** For initializers: the variable initialised (`inet_stream_ops`). */
  variable?: string;
  /** For assignments: the function that makes it. */
  inFunction?: string;
  /** Set when `fn` is the parameter at this index of `inFunction` (param-to-field). */
  param?: number;
  /** For assignments: the statement as written, whitespace collapsed; for pointer stores by an initializer: `tbl[IDX] = fn`, `tbl[1] = fn` (positional), `fp = fn`. */
  text?: string;
  /**
   * Set for a store into a pointer variable, or an element of an array of pointers, named
   * `variable` (`fp = f`, `void (*fp)(void) = f`, `tbl[i] = f`, `{ [IDX] = f }`), not into a
   * member: 'local' for a variable of `inFunction`, 'global' for a file-scope one (or one not
   * declared in the function). `root` is then `{k:'global', name: variable}` and `path` is empty.
   */
  pointer?: 'local' | 'global';
  /**
   * Set on a pointer store that loads a member instead of naming a function (`fp = x->f`,
   * `void (*fp)(void) = x->f`): the member is `path` of the struct `root` evaluates to, and the
   * variable holds whatever is bound to that member. `fn` is then the member's name.
   * Also set on a member assignment that copies another member (`w->current_func = work->func`,
   * an arm of `a->f = b->g ?: fn`): the member `root`/`path` holds whatever `from` holds.
   */
  from?: { root: TypeExpr; path: string[] };
  /**
   * Set on a store through a pointer parameter of `inFunction` (`*slot = fn`, an out-parameter):
   * the index of that parameter (`slot`, also `root`'s name; `path` is empty). `fn` is a function
   * name, or `inFunction`'s parameter at index `param`. The caller's variable or member whose
   * address is passed there (`install(&cb, f)`, `fill(&dev->cb)`) then holds it.
   */
  out?: number;
  /**
   * Set on a `return fn;` of `inFunction` (each branch of `return c ? a : b;` is one), when the
   * function returns a function pointer or a typedef: 'local' when `fn` is a local variable of
   * `inFunction` (what is stored in it is returned), 'value' otherwise (a function, a file-scope
   * pointer variable, or `inFunction`'s parameter at index `param`). `root` is `{k:'ret', fn:
   * inFunction}`, `path` is empty.
   */
  returned?: 'value' | 'local';
  /**
   * Set on a store (a pointer store or a member assignment) whose value is what calling `fn`
   * returns (`g = pick();`, `x->f = pick(a);`, `fp = (t)pick();`): the call's arguments, as
   * CallFact.args. The variable or member then holds what `fn` returns (BindingFact.returned).
   */
  call?: { args: (string | null)[] };
  /**
   * Set on a member assignment from a pointer variable local to `inFunction` (`x->f = fp`):
   * `fn` is the variable, and the member holds whatever the variable holds (its stores and loads).
   */
  fromLocal?: true;
  /** For a store made by expanding a definer macro's invocation (at its line): the macro (`DEFINE_SHOW_ATTRIBUTE`). */
  definer?: string;
}

/**
 * A file or folder of the tree that could not be read: it is skipped, counted and listed
 * (`pathfind stats`), and the rest of the tree is indexed.
 */
export interface UnreadableFile {
  /** Relative to the root, `/`-separated; a folder's path ends with `/`. */
  path: string;
  /**
   * Why: the error code of the failed read or listing (`EACCES` permission denied, `ENOENT` a
   * file that vanished while the tree was indexed, `EISDIR`, `ELOOP`, ...), or `not-text` for a
   * file holding a NUL byte (see isText in parse/file-parser.ts).
   */
  reason: string;
}

/** Everything the parse stage records for one file. */
export interface FileFacts {
  /** Path relative to the tree root, with `/` separators. */
  path: string;
  /** Set when the file could not be read or is not text (an UnreadableFile reason); its facts are then empty. */
  unreadable?: string;
  /** Hash of the file's content: the cache reuses these facts for a file touched but unchanged. */
  hash: string;
  /**
   * Number of places where the file's text cannot be read as definitions (0 for a clean parse).
   * The scanner (parse/scan) counts: a `{` at file scope that opens no function body (old-style
   * K&R ones included), initializer or struct/union/enum body (a stray block, a statement outside
   * any function; not the other branch's body of a definition, after `#else`), and each brace left unbalanced at the end of the file. The tree-sitter reference
   * counts its ERROR nodes, blocks at file scope that belong to no definition, old-style heads whose
   * declarations do not fit their identifier list, and at least 1 for any other recovered error
   * (a missing token) outside a definition without a return type, which it reads as such.
   */
  parseErrors: number;
  functions: FunctionFact[];
  macros: MacroFact[];
  structs: StructFact[];
  /** typedef name -> base type name. */
  typedefs: [string, string][];
  /** File-scope variables: name and base type. */
  globals: VarFact[];
  /** Function prototypes: name and base return type (accessors declared here, defined elsewhere). */
  prototypes: [string, string][];
  bindings: BindingFact[];
  /**
   * The file's `#include` directives in order (`#include MACRO` forms are left out). Conditions
   * come from lexical directive lines (parse/preprocessor.ts), the same in both extractors.
   */
  includes: IncludeFact[];
  /** Functions registered by the profile's registration macros (Profile.registrations); absent when none. */
  registrations?: RegistrationFact[];
  /** Macro invocations at file scope (MacroInvocation), in source order; absent when none. */
  invocations?: MacroInvocation[];
  /** Feature macros the file defines (DefineFact); absent in facts made before they were recorded. Function-like macros are `macros`. */
  defines?: DefineFact[];
  /** Object-like macros whose value is a member path (`sk_prot` -> `__sk_common.skc_prot`). */
  fieldAliases: [string, string[]][];
  /**
   * Object-like macros whose value is one identifier (`#define le32_to_cpu __le32_to_cpu`):
   * names defined in this file, so a call to one never makes an external node. Absent in facts
   * made before they were recorded.
   */
  aliasMacros?: string[];
}
