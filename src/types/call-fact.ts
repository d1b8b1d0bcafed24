/**
 * The facts of one call site written in a function or macro body (CallFact), and the symbolic
 * type expressions (TypeExpr) facts use to say what an object is: part of the per-file facts
 * (types/facts.ts, which re-exports both), plain serialisable data.
 */

/**
 * How the type of an expression is found, walking from a root.
 * Kept symbolic because the pieces (struct fields, return types, globals)
 * may be defined in other files; the resolve stage evaluates it.
 */
export type TypeExpr =
  /** A type named in the source: `struct socket`, `union foo`, or a typedef name. */
  | { k: 'type'; name: string }
  /** A variable not declared in the function: looked up among globals. */
  | { k: 'global'; name: string }
  /** The value returned by calling this function or macro. */
  | { k: 'ret'; fn: string }
  /** Member `field` of the struct that `of` evaluates to. */
  | { k: 'field'; of: TypeExpr; field: string };

/** One call written in a function (or macro) body. */
export interface CallFact {
  /** 1-based line where the call expression starts. */
  line: number;
  /** 0-based column where the call expression starts, in UTF-16 code units of the decoded line (bytes on an ASCII line). */
  col: number;
  /** Called name for a call through a plain identifier (a function, a macro, or a pointer variable). */
  name?: string;
  /** For a call through a struct member: the member name... */
  field?: string;
  /** ...and the type of the object that holds it, when it can be described. */
  recv?: TypeExpr;
  /** For a call through a local variable of the enclosing function (a function pointer, not a parameter): its name. */
  var?: string;
  /**
   * For a call through a local function pointer (`var`): its declared return base type and
   * parameter base types (VarFact.params), so a signature match can use them.
   */
  ptrType?: { returns: string; params: string[] };
  /** For a call through an array element (`table[nr](...)`): the array's name. */
  array?: string;
  /** Index of the enclosing function's parameter that is called (a callback). */
  param?: number;
  /**
   * Set on a tail call: the whole value of a `return` (parentheses and casts aside), either arm of
   * a returned `c ? f() : g()` (of `c ?: g()`, only `g()`), or, in a function returning void, the
   * call the body's last statement makes (a sibling call). A compiler turns it into a jump, so the
   * caller's frame is gone while the callee runs: a stack step may skip the caller there
   * (graph/graph-steps.ts inlinedChain). Absent otherwise. Both extractors set it (FunctionFact.tailCalls counts them).
   */
  tail?: true;
  /** Functions an indirect-call wrapper (INDIRECT_CALL_2 ...) names as likely targets. */
  hints?: string[];
  /** Per argument: the identifier passed (with `&` and casts stripped), or null. */
  args: (string | null)[];
  /**
   * Per argument, when some argument passes the address of a member (`&dev->cb`, `&x.y.f`): that
   * member, as the type of its object and its name (null for the other arguments); absent when
   * none does. A function storing through that parameter (BindingFact.out) fills the member.
   */
  refs?: ({ root: TypeExpr; path: string[] } | null)[];
  /**
   * For a call registering or queueing work by an object (a name Profile.objectHandOffs lists:
   * `INIT_WORK`, `schedule_work`, `mod_timer`...): the positions of the arguments naming a local
   * variable of the caller, by value or by address (`schedule_work(w)`, `INIT_WORK_ONSTACK(&work,
   * fn)`), ascending; absent when none does. Such an object has no key a call elsewhere can name,
   * whatever file-scope variable of that name some file defines (resolve/bind-object-hand-offs.ts).
   */
  locals?: number[];
  /** For a call of what a call returns (`pick()()`, `(*get_handler(t))(x)`): the function called first. */
  ret?: string;
  /**
   * For a call of what a function-like macro's invocation expands to (`guard(mutex)(&m)`, `ret`
   * naming the macro): the names the expansion ends with, one per definition of the macro that
   * gives one (`class_mutex_constructor`; `paging64_walk`, `paging32_walk`). Set by the index stage
   * (index/expand-macro-calls.ts), which also sets `name` to the first: the call is a call by these
   * names. Also set by the parse stage for a conditional callee whose arms all name functions
   * (`(is_in ? write_fifo : read_fifo)(ep, req)`): a call by each name. Absent otherwise.
   */
  expandsTo?: string[];
  /**
   * The arguments that read a member (`run(x->cb)`, through parentheses, casts and `*`, not `&`):
   * the argument's index in `args`, the type of the member's object and the member's name. The
   * function called may call or store that parameter: it then gets what the member holds.
   */
  argMembers?: { arg: number; root: TypeExpr; field: string }[];
  /**
   * The preprocessor condition of the call's line (as FunctionFact.cond, conditionText in
   * parse/preprocessor.ts) when it is not the enclosing function's: a call inside an `#ifdef`
   * block of the body (`#ifdef CONFIG_SCHED_STACK_END_CHECK` / `panic(...)` / `#endif`). Absent
   * otherwise. Set by both extractors (parse/preprocessor.ts addPreprocessorFacts).
   */
  cond?: string;
  /**
   * Set on the neutral copy of a call the configuration leaves out (its `cond` certainly false:
   * index/inactive-calls.ts), never in parsed or cached facts: what it calls as written (a name,
   * `.field`, `*var`). Such a call binds nothing; explain names it.
   */
  inactive?: string;
}
