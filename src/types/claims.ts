/**
 * Call claims read from documents by `pathfind check`: what a document says calls what.
 * Readers (src/check/read-*.ts) turn a document's text into claims without seeing any call
 * graph; the verifier tests claims against the graph without seeing any document syntax.
 */

/** Which form of writing a claim was read from (for reports and tests). */
export type ClaimForm =
  /** `a -> b -> c`, `a() --> b()`, `a → b`, `a => b`. */
  | 'arrows'
  /** An indented call tree (`|--`, `+--`, `` `-- ``, `├─`, `\_`, or plain indentation). */
  | 'tree'
  /** GNU or POSIX cflow output. */
  | 'cflow'
  /** pathfind's own text output. */
  | 'pathfind'
  /** A leaf-first stack: ftrace stack trace, oops Call Trace, bpftrace kstack, perf callchain. */
  | 'stack'
  /** ftrace function_graph output, nesting rebuilt from its braces. */
  | 'function-graph'
  /** An edge of a Graphviz diagram committed beside documents. */
  | 'dot';

/** A function name as a document writes it, and where. */
export interface ClaimName {
  /** The name with `()`, offsets (`+0x1c/0x40`), `[module]` tags and compiler suffixes (`.isra.0`, `.constprop.0`, `.part.0`, `.cold`) stripped. */
  name: string;
  /** 1-based line and 1-based column of the name in the document. */
  line: number;
  column: number;
  /** A `file:line` the document gives for this step (a trailing `// net/ipv4/tcp.c:1234` comment), when it gives one. */
  site?: { file: string; line: number };
  /**
   * Where the document says this name is defined (GNU cflow's `<... at file:line>`, pathfind's
   * `defined at file:line`, a file written before the name: `fs/open.c:do_sys_open()`, line 0 then):
   * it chooses among same-named definitions in every step the name is in.
   */
  defined?: { file: string; line: number };
  /**
   * A stack frame named like x86 entry code that was assembly before Linux 5.8 (`common_interrupt`):
   * a step to or from it claims nothing unless the tree defines the name in C (check/read-stack.ts OLD_ENTRY).
   */
  oldEntry?: true;
  /**
   * The module a stack frame's tag names (`join_timeout_handler+0x9/0x20 [wlan_b]`, perf's
   * `[wlan_b]` or `.../wlan_b.ko`): among same-named definitions it chooses those Kbuild links into
   * a module of that name, when the tree has any.
   */
  module?: string;
}

/** One step a document claims: `from` calls `to`. A chain of n names is n - 1 claims. */
export interface Claim {
  /** The document's path as given on the command line. */
  doc: string;
  form: ClaimForm;
  from: ClaimName;
  to: ClaimName;
  /** The document skips calls between the two (`a -> ... -> b`, `[...]`): any number of calls may lie between. */
  gap?: true;
  /** Read from a stack trace: functions the compiler may have inlined (static ones) may be missing between the two. */
  mayInline?: true;
  /**
   * Read from an arrow chain that does not look like code (check/names.ts looksLikeCode:
   * `schedule -> pick_next_task_fair`, no `()` and a name without `_`): checked only when the tree
   * defines both names (a function or a macro), dropped without a finding otherwise (prose,
   * `TCP_SYN_SENT -> TCP_ESTABLISHED`).
   */
  unsure?: true;
}
