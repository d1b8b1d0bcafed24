/**
 * A profile describes the macro conventions of one C code base, as data.
 * The parser and resolver read these tables; they hold no code base's names themselves.
 */

/** A macro that defines a function: `SYSCALL_DEFINE3(write, unsigned int, fd, ...) { ... }`. */
export interface DefinerRule {
  /** Matches the macro's name. */
  macro: RegExp;
  /** Prefix of the defined function's name before the macro's first argument: `sys_`. */
  prefix: string;
  /** Other names of the same function, as prefixes of the first argument. */
  aliasPrefixes: string[];
  /** Return type of the defined function. */
  returns: string;
  /**
   * How the remaining arguments describe parameters: `pairs` is `type, name, type, name`; `none`:
   * the macro's arguments are no parameters (the function's, fixed by the macro, are not read).
   */
  params: 'pairs' | 'none';
}

/** A macro that calls through its first argument: `INDIRECT_CALL_2(f, f2, f1, args...)`. */
export interface IndirectCallRule {
  name: string;
  /** How many candidate functions follow the called pointer. */
  hints: number;
}

/** A macro or function whose result is its first argument, loaded: `READ_ONCE(x)`. */
export interface ContainerRule {
  name: string;
  /** Index of the argument that names the resulting type (`container_of(ptr, type, member)` is 1). */
  typeArg: number;
}

/** Build-time dispatch read from a table in the tree. */
export interface DispatchTable {
  /** Path of the table relative to the root. */
  table: string;
  /** What the table is, for users: `syscall table` (shown as `one of 360 targets of the syscall table (path)`). */
  name: string;
  /** Functions that dispatch through the table (their generated code is not in the tree). */
  dispatchers: string[];
  /** An array of function pointers filled from the table: a call through `array[i](...)` dispatches too. */
  array?: string;
  /** Turns one table line into the name of the function it reaches, or null. */
  entry: (line: string) => string | null;
}

/** The kind of context a deferred call hands work to (documents each declaration; edges carry only the deferred flag). */
export type DeferredContext = 'softirq' | 'tasklet' | 'workqueue' | 'timer' | 'kthread' | 'rcu' | 'task_work' | 'irq' | 'irq_work';

/**
 * A pointer call that runs work in another context than its caller's: a dispatcher calling
 * `h->action(h)` in `struct softirq_action` runs whatever was registered, later and elsewhere.
 * Matched against the struct type and member the resolver infers at the call site.
 */
export interface DeferredCall {
  /** The struct or union whose member is called, as the resolver names it: `struct softirq_action`. */
  holder: string;
  /** The member called: `action`. */
  field: string;
  context: DeferredContext;
}

/**
 * Macros that register a function at file scope for a dispatcher to call later, through a
 * linker section or a table the build makes (`module_init(fn)` puts fn in `.initcall6.init`,
 * which do_one_initcall runs): their expansion is no C call, so the profile names the dispatcher.
 */
export interface RegistrationRule {
  /** The registering macros (`module_init`, `device_initcall`, ...). */
  macros: string[];
  /** Index of the macro argument naming the function (`__setup("quiet", quiet_kernel)` is 1). */
  argument: number;
  /** The function that calls what was registered (`do_one_initcall`). */
  dispatcher: string;
}

/**
 * Work handed off by a key: a registering function files a handler under a key
 * (`open_softirq(TIMER_SOFTIRQ, run_timer_softirq)`, kernel/softirq.c), and a raising function
 * passed the same key (`raise_softirq(TIMER_SOFTIRQ)`) makes that handler run later in another
 * context. The call of a raising function with a key some registration names is a deferred edge
 * to that registration's handler. Keys are identifiers as written (enum constants), matched over the whole tree.
 */
export interface HandOffRule {
  /** The registering function (`open_softirq`). */
  register: string;
  /** Index of its argument naming the key (0) ... */
  keyArgument: number;
  /** ... and of its argument naming the handler (1). */
  handlerArgument: number;
  /** Functions that raise the work filed under their key argument (`raise_softirq`, `raise_softirq_irqoff`). */
  raise: string[];
  /** Index of the raising functions' argument naming the key. */
  raiseKeyArgument: number;
  context: DeferredContext;
}

/**
 * Work handed off by an object (Linux: a work item, a timer, a tasklet): a registering call files
 * a handler under the object it is given (`INIT_WORK(&adapter->reset_task, e1000_reset_task)`),
 * a queueing call given the same object (`schedule_work(&adapter->reset_task)`) makes that handler
 * run later in another context. The object's key is its type and member path as the calling code
 * sees it (`struct e1000_adapter.reset_task`; a file-scope variable by its name), so the
 * queueing call is a deferred edge to every handler registered under that key (resolve/bind-object-hand-offs.ts).
 */
export interface ObjectHandOffRule {
  /** The struct types of the object (`struct work_struct`, `struct delayed_work`): a file-scope variable passed (`&my_work`) is keyed by its name only when it has one of them. */
  objects: string[];
  /**
   * Members that wrap the object in a larger one (`struct delayed_work` member `work`):
   * `&a->dwork.work` is keyed as `&a->dwork`, as INIT_DELAYED_WORK and queue_delayed_work write it.
   */
  wrappers?: { holder: string; field: string }[];
  /** The registering functions or macros, with the indexes of their object and handler arguments. */
  register: { name: string; object: number; handler: number }[];
  /** The queueing functions or macros, with the index of their object argument. */
  queue: { name: string; object: number }[];
  context: DeferredContext;
}

export interface Profile {
  name: string;
  /** Paths (relative to the root) that must all exist for the profile to apply. */
  markers: string[];
  /** Annotation identifiers replaced by the given text (padded with spaces; '' blanks them). */
  annotations: Record<string, string>;
  /** Annotation macros blanked together with their parenthesised arguments. */
  annotationsWithArgs: string[];
  definers: DefinerRule[];
  /** Rewrite loop-like macros used as statements (`list_for_each_entry(...) { }`) into `while`. */
  loopMacros: boolean;
  indirectCalls: IndirectCallRule[];
  /** Calls that return their first argument unchanged (`READ_ONCE(p)`, `rcu_dereference(p)`). */
  transparent: string[];
  /** Calls whose result has the type named in one argument (`container_of`). */
  containers: ContainerRule[];
  /** Top-level directories never indexed. */
  excludeDirs: string[];
  /** Directory holding one subdirectory per architecture, of which one is indexed. */
  archDir?: string;
  defaultArch?: string;
  dispatchTables: DispatchTable[];
  /** Pointer calls that hand work to another context: their edges are deferred, taken by path search only when no synchronous path exists. */
  deferredCalls: DeferredCall[];
  /** Work raised by a key for the handler registered under it (HandOffRule); absent: none. */
  handOffs?: HandOffRule[];
  /** Work handed off by an object for the handler registered under it (ObjectHandOffRule); absent: none. */
  objectHandOffs?: ObjectHandOffRule[];
  /**
   * Prefixes of names the compiler provides (`__builtin_expect`): a call to such a name that no
   * indexed file defines is left out of the call graph instead of making an external node.
   * GCC's manual, "Other Built-in Functions" and "__atomic Builtins"/"__sync Builtins", names them.
   */
  compilerBuiltins: string[];
  /**
   * Typedef names the tree's headers define as integers narrower than a pointer (`u32`, `__le16`):
   * a member or parameter of such a type holds no function (resolve/function-holders.ts), so a
   * parameter stored there is not followed to its callers. Absent: none.
   */
  narrowTypes?: string[];
  /**
   * Functions that print or report an error (printk's entry points, WARN's and panic): path search
   * makes entering one cost more (api/path-costs.ts), so that a path through the code comes before
   * one that reaches the target through the console (printk, the network console, netpoll, a
   * driver's poll controller). Exact names. Absent: none.
   */
  diagnostics?: string[];
  /**
   * Name patterns (`*` any run of characters, `?` one character) left out of callees and callers
   * pictures by default: logging, debugging and annotation helpers that call into every function and
   * hide the structure. Paths keep them. Switched off with `--no-default-excludes`.
   */
  pictureExcludes: string[];
  /**
   * The include path, in search order, relative to the root, as the build passes it with `-I`;
   * `{arch}` stands for the indexed architecture. `#include "..."` is searched relative to the
   * including file first, then here; `#include <...>` here only.
   */
  includePaths: string[];
  /**
   * Headers the build generates when the tree has none of that name: `<asm/x.h>` found on no
   * include path is read as `include/asm-generic/x.h` (Kbuild writes such wrappers from the
   * `generic-y` lists of arch/x86/include/asm/Kbuild, scripts/Makefile.asm-generic). Each rule
   * replaces a leading `from` of the included name with `to` and searches again.
   */
  includeFallbacks: { from: string; to: string }[];
  /**
   * Headers the build includes before the text of every translation unit (GCC `-include`),
   * relative to the root, in order; `{arch}` as in includePaths. Absent: none.
   */
  forcedIncludes?: string[];
  /**
   * True when the build adds folders of the tree to the include path of some files only (Kbuild:
   * `ccflags-y += -I$(src)/...`, `subdir-ccflags-y`), which are not read: a `#include "x.h"`
   * found neither beside the file nor on the include path is then searched in the including
   * file's parent folders, nearest first (drivers/gpu/drm/i915/display/x.c finds i915_drv.h one
   * folder up). Absent: false.
   */
  includeAncestors?: boolean;
  /** Macros the compiler or the build defines in every translation unit (`__KERNEL__`), name -> value (`1`). */
  predefinedMacros: Record<string, string>;
  /** Macros known to be undefined in every C translation unit (`__ASSEMBLY__`, `__CHECKER__`). */
  undefinedMacros: string[];
  /**
   * The default configuration of an architecture when the user gives none, relative to the root,
   * by architecture name (`x86` -> `arch/x86/configs/x86_64_defconfig`); absent: no config model.
   */
  defconfigs?: Record<string, string>;
  /**
   * Make variables an architecture's Makefile sets for the folders' rules, by architecture
   * (`x86` -> `BITS=64`, so `lib-y += memcpy_$(BITS).o` names memcpy_64.o).
   */
  kbuildVars?: Record<string, Record<string, string>>;
  /**
   * Every value a make variable of kbuildVars takes on some architecture or word size
   * (`BITS` -> 32 or 64): an object named through the variable with another value than the
   * build's (`memcpy_$(BITS).o` read as memcpy_32.o on x86-64) is not built.
   */
  kbuildVarValues?: Record<string, string[]>;
  /** Registration macros and the dispatchers that call what they register. */
  registrations: RegistrationRule[];
  /** True when Kconfig files and Kbuild makefiles (`obj-$(CONFIG_X) += x.o`) describe the build. */
  kbuild: boolean;
}
