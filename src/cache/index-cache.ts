import { existsSync, renameSync, rmSync } from 'node:fs';
import { ensureCacheDir } from './cache-dir.js';
import { join } from 'node:path';
import type { FileFacts } from '../types/facts.js';
import type { SourceFile } from '../index/discover-files.js';
import { encodeColumnParts } from './columns.js';
import { encodingHints } from './column-hints.js';
import { pruneScopes } from './prune-scopes.js';
import { settleWrite, writeBehind } from './write-behind.js';
import { type KeptForWrite, writeKeptFor } from './kept-beside.js';
import { EncodedFrame, encodeFactsFrame, FrameCopy, FrameFile, MAGIC, writeFrameFileAtomically } from './frame-file.js';
import type { SpooledBytes } from '../util/byte-spool.js';

/** Bumped whenever the facts (what extraction yields) or the snapshot format change: older caches are rebuilt. */
export const CACHE_FORMAT = 91; // 91: the binding record keeps each call site passing one member's functions, and nothing else, where a function calls its parameter (SlotFlowRecord.calledNode...: expire_timers' `fn = timer->function; call_timer_fn(timer, fn, ...)`), and such a member is no longer among readSlots, so that an edit changing what the member holds (a timer_setup's handler, a handler renamed) makes the site's callback-arg edges again (resolve/patch-called-reads.ts); 90: the object hand-off record keeps each registration's handler name and every queueing call whose object has a key (ObjectHandOffRecord.queued), so that a registration of work handed off by an object added, taken out or retargeted (`INIT_WORK(&a->w, fn)`, `timer_setup(...)`), or a handler it names added or removed, is patched: every queueing call of its key gets its edges again (resolve/patch-object-hand-offs.ts); 89: the binding record keeps, per binding a parameter store made, the call site that passed the function (SlotFlowRecord.addCaller, .addSite), and the stores' seeds (.seedNode...), and the table gets those bindings sorted by caller, site, target and evidence (bind-through-functions.ts storedInOrder), so that a call passing a function by name where it is stored into a member is patched (resolve/patch-param-stores.ts); a parameter no function fits (an integer, a struct: resolve/function-holders.ts paramHoldsNoFunction) is not followed to the callers passing into it, so EdgeList.paramUses no longer holds request_irq's irq number (register_irq_proc stores it as a `void *`); 88: a registration keeps the preprocessor condition of its line (RegistrationFact.cond), and one the configuration leaves out registers nothing (`#ifdef CONFIG_X ... late_initcall(f); #endif` with X unset made do_one_initcall -> f); 87: a call registering or queueing work by an object notes which arguments name a local variable of the caller (CallFact.locals), and such an object has no key (`INIT_WORK(&w, fn)` with a local `w` was filed under any file's global `w`); 86: 86: the graph keeps what the object hand-offs read (GraphPayload.objectHandOffs: the registrations, the type evaluations of the keys), so that a call queueing work by its object added or taken out is patched (resolve/patch-object-hand-offs.ts); 85: 85: a signature fallback's evidence says its line is the target's definition (`defined here, a function whose address is taken; ...`, was `address taken, ...`, read as where the address is taken); 84: the signature fallback's evidence, kept in the graph's evidence texts, gives the declared pointer type's base types in words (`it returns int and takes struct net_device`), no longer as a C type with its pointers left out (`int (*)(struct net_device)`); 83: a column stored as runs keeps each run's end instead of its length (column-format.ts `runs`), so that one row is found by a binary search reading a few blocks: a path query asked the caller and evidence of a few dozen edges and summed 600,000 run lengths per column for it; a long column stored as steps keeps anchors (its value every 256 rows), so that one row is read without summing every step before it (a kernel's name rows, 666,000); 82: the definer records keep their file ids in a column of their own (DefinerRecords.files, .entries: cache/definer-records.ts), so that a file added or deleted maps those and leaves the records' text as stored; 81: a .c file another .c file #includes is a part of the translation unit of each file including it (index/included-sources.ts): it sees what those units see (uhci-pci.c's table binds uhci-q.c's statics), and the build answers kept say it is built exactly when an includer is (or Kbuild builds it itself: echoaudio.c is not built with the x86_64 defconfig); 80: 80: a function whose own definition sits under a preprocessor condition the configuration leaves out calls nothing (index/inactive-calls.ts: each of its calls is handed out neutral, as one inside an #if block of a body is): kernel/softirq.c's CONFIG_PREEMPT_RT arm of __local_bh_enable_ip no longer calls __do_softirq with the x86_64 defconfig; 79: call facts mark tail calls (CallFact.tail: not one passing the address of the caller's own variable), read by stack steps in check and explain; the scanner keeps GCC's named variadic macro parameter (`argconstr...`) as tree-sitter does; a function-like macro calls a parameter an asm statement of its body takes as an immediate operand (`[__func] "i" (func)` in arch/x86's call_on_stack: do_softirq_own_stack calls __do_softirq), and no word inside an `asm_inline` statement is a call; 78: a local holding a call's result (`ret = make()`) passed to a function calling its parameter, or copied into a member, no longer binds `make` itself (resolve/copy-slots.ts); 77: an initializer written after a definer macro's invocation keeps its lines and directive lines (MacroInvocation.rest, .restLine): each store it makes is read at its own line, and one after a directive line is no longer lost (`DEFINE_SCHED_CLASS(fair) = { ... #endif .task_tick = task_tick_fair, ... }` in kernel/sched/fair.c); 76: facts mark a definition whose head says noinline (FunctionFact.noinline), and the graph's nodes carry it (NodeFlag.NoInline): a stack step never folds it as inlined, and a static one whose every call is a tail call is marked so too; facts mark a weak definition (FunctionFact.weak), which an active strong global of the same name overrides in binding by name (`void __weak arch_cpu_idle(void)` of kernel/sched/idle.c against arch/x86's); 75: the build answers keep Kbuild's rules' truths (BuildAnswers.rules: every object a rule names, every folder a rule enters, the folders only other architectures enter), so whether Kbuild builds a file a patch added is answered without making the build model (some 3 s of a whole kernel's query after a file is added); 74: a hard interrupt handler's call (`action->handler(...)`, struct irqaction.handler) is a plain edge, no deferred one: it runs on the interrupt's stack (threaded handlers stay deferred); 73: a call inside an `#if` block of a body keeps the condition of its line (CallFact.cond), and one the configuration leaves out makes no edge (index/inactive-calls.ts): `panic()` under `#ifdef CONFIG_SCHED_STACK_END_CHECK` in schedule_debug; 72: a call queueing a work item, timer or tasklet by its object (`schedule_work(&adapter->reset_task)`) is a deferred edge to each handler a registration filed under the same key, the object's struct and member path (`INIT_WORK(&adapter->reset_task, e1000_reset_task)`: Profile.objectHandOffs, resolve/bind-object-hand-offs.ts), and a system call's facts know it also by the names arm64's and s390's wrappers give it (`__arm64_sys_write`, `__s390x_sys_write`: the Linux profile's SYSCALL_DEFINE aliases); 70: long arrays an object of the graph payload holds (the build record's files, absent paths, declarers and tested macros) are stored v8-serialised and deflated, read when first asked for (column-format.ts `packed`); 69: a call raising a softirq by number (`raise_softirq(TIMER_SOFTIRQ)`) is a deferred edge to the handler open_softirq registered under it (Profile.handOffs, resolve/bind-hand-offs.ts); 68: facts keep the invocations of definer macros heading a function written after them (MacroInvocation.heads: DEFINE_IDTENTRY_SYSVEC(x) { ... }), whose expansion makes the entry `x` a function of its own; a header macro's call of a definition the expanding unit's code macros decide binds at each expansion (resolve/bind-expansion.ts); 67: the build answers keep the Makefiles' -I flags (BuildAnswers.includeFlags), which the include graph follows; a struct tag several files define is told apart by the definition each file sees through its includes (resolve/split-tags.ts: `struct e1000_hw` of e1000, e1000e, igb and igbvf), so its members are slots of their own; a type read `S path` marks the definitions chosen among; 66: the build model (BUILD_MODEL_VERSION 5) reads the folders `$(MAKE) $(build)=dir` rules enter as images (arch/x86/boot), and a global of an image is no candidate for a caller outside it; 65: the graph marks short functions (NodeFlag.Short: at most 6 lines), which a stack step may skip when called by name from their own file; 64: the Linux profile counts direct calls of work_struct.func, timer_list.function and hrtimer.function as deferred (sctp `q->immediate.func(...)` bound every work function as a plain call); 63: a parameter the body calls keeps the stores and member loads its body makes into it (BindingFact.pointer local: `if (!open) open = f->f_op->open;` in do_dentry_open), and the call binds them beside what callers pass; 62: the build answers keep each file's composite object or subdir- image (BuildAnswers.units), and binding by name prefers, among tied globals, the caller's own file, composite object or image, and a global of no image over one of an image linked on its own (the EFI stub's snprintf); 61: macro facts keep the calls through a member their bodies make (MacroFact.memberCalls: `P->hook.FUNC`), for explain and check; 60: the build model (BUILD_MODEL_VERSION 3) counts an object named only with another value of a make variable (memcpy_$(BITS).o read with BITS=32) as not built, and reads the folders subdir- lists enter (drivers/firmware/efi/libstub), in the build answers kept and in binding by name; 59: the Linux profile reads the DEFINE_IDTENTRY* macros as definers (exc_page_fault, __sysvec_apic_timer_interrupt were functions named after the macro); 58: the build model (BUILD_MODEL_VERSION 2) counts a file in a folder only other architectures' Makefiles enter (drivers/s390 on x86) as not built, in the build answers kept and in binding by name; 57: the graph payload names its graph (GraphPayload.generation, new at each write of another graph), and what is kept beside the graph file (call graph rows, stats) is keyed by it, so a patched graph's rows are kept and used; 56: FunctionFact.tailCalls also counts either arm of a returned conditional and, in a function returning void, the call its last statement makes (a sibling call); 55: a parameter stored into a member is followed (EdgeList.paramUses 'stored') only when the member and the parameter can hold a function (resolve/function-holders.ts: no struct, union, enum or narrow integer), and each pair's depth is its shortest chain of wrappers from any use (propagate-params.ts passDepths), so a cache following struct pointers is resolved again; 54: facts mark a global function whose every call is a tail call (FunctionFact.tailCalls), and the graph's nodes carry it (NodeFlag.TailCalls: a stack step may skip the function); FunctionFact.isStatic is absent rather than false (Linux 6.1: facts 85,268,709 bytes, 7,475 fewer than format 53); 53: a call of a macro also binds, in the caller's file, the names the macro's body calls that its own file sees no definition of (resolve/bind-expansion.ts: edges of kind macro with BindFlag.Expansion), so a cache without them is resolved again; 52: a patch that adds or deletes files leaves the facts file as it is (GraphPayload.factsAdded, factsDropped: cache/facts-layout.ts), the added files' facts in the overlay; 51: the binding record stores its string tables (its own and its fallback's) as NUL-separated texts (deflated in the graph file, 6.3 MB to 1.2 MB on Linux 6.1: BindingRecordSnapshot.strings); 50: the binding record keeps the copies, stores and flows between member slots (resolve/slot-flow-record.ts) and the keys of copies' and stores' members, so that an assignment to a member other phases copy or store is patched (resolve/patch-slot-flow.ts); a use named inside an evidence text moves with its line; 49: each EdgeList.paramUses entry says why its parameter is followed (stored, called, out-parameter) and at what pass depth (propagate-params.ts packParamUse), so a patch can add the parameters a new function passes on; the mention table leaves out a name followed by `(` in a macro body (a call, never a value); 48: the binding record keeps the call sites that took the signature fallback (their queries), the functions taken otherwise than by plain bindings, the variadic ones and the types the fallback read (resolve/patch-fallback.ts); 47: the build record keeps the build model's answers binding by name asks (which files Kbuild builds, the options conditions name: cache/build-answers.ts), so a patch breaks ties without making the model; 46: columns whose values never decrease (offsets, sorted hashes, the offsets of string columns) are stored as their steps in 8 or 16 bits (column-format.ts `steps`); 45: the definer records are one text stored in deflated blocks (with their offsets), not a column of lines; 44: the mention table leaves out the names prototypes declare (a declaration is no use as a value); 43: the graph keeps the macros that may define one record per name, names sorted (cache/definer-records.ts), so a patch reads only those its edits reach; 42: a patch adds and deletes files: facts frames may hold uneven counts (GraphPayload.factsFrames), the build record keeps the names #include lines open (includeNames); 41: the graph keeps what the resolution read of the type model (GraphPayload.typeReads, resolve/type-reads.ts) for patching struct, typedef and prototype edits; 40: the graph's build record keeps every path the build model looked for and did not find (a folder's Kbuild or Makefile, the defconfig, sourced Kconfig files), the folders a Kconfig glob listed, and KBUILD_OUTPUT when read; 39: 39: the graph keeps the record of its bindings (GraphPayload.bindings, resolve/binding-record.ts) for patching initializer and assignment edits; 38: the graph file is columnar (typed arrays, long strings and records raw after a v8 skeleton, read when first used: cache/columns.ts); 37: facts frames are Brotli-compressed JSON (were gzip level 1); 36: each of several file-scope invocations with no `;` between them is read; 35: the scanner drops casts to a pointer to a type a macro names ((ELF(Phdr) *)(p)); 34: a conditional callee whose arms name functions is a call by each name (CallFact.expandsTo); 33: both extractors read no call site in an asm statement; 32: the scanner drops casts of casts to pointer types ((void *)(unsigned long)(x)) as call sites; 31: calls of a macro's result keep the names the expansion ends with (CallFact.expandsTo), bodies ending with a name are kept; 30: feature macros keep a one-identifier value (DefineFact.value: #define rcu_head callback_head); 29: a local initializer of a member with a parameter is a parameter store; 28: pointer stores from conditionals, typedef-typed function-pointer arrays, member-array calls and initializers, no callee after ## in macro bodies; 27: facts hold file-scope macro invocations and definer bodies, and the definitions expanded from them; 26: member-to-member copies and members or locals passed as arguments (BindingFact.fromLocal, CallFact.argMembers); 25: macros record their calls' arguments and the stores their bodies make into members of their parameters (MacroFact.stores, .holders); 24: out-parameters and returned functions (BindingFact.out, .returned, .call; CallFact.refs, .ret); 23: the scanner reads `T (*fp)(...)` in a body as a declaration and drops cast chains and typeof casts as call sites; 22: the call-site summary keeps how each indirect site calls (member, local, ...); facts keep the parameter types of function pointers (fields, variables, locals called); 21: loads of a member into a pointer variable (BindingFact.from); 20: stores into pointer variables and function-pointer arrays, calls through locals (CallFact.var); 19: K&R definitions are functions, file-scope blocks count as parse errors; 18: facts hold registration macros (module_init(fn)); 17: facts hold feature macros (#define with an empty, 1 or identifier value); 16: the graph keeps the call sites over a fallback cap, the include graph and the config key; edges carry the BindFlag bits of their call site by name (config-dependent, no visible candidate); 15: a file with no definition keeps its #include directives (a wrapper header); 14: facts hold #include directives and the preprocessor condition of each definition; 12: the scanner keeps bodies past a misplaced column-0 `}` and drops keyword names; 13: the graph holds call sites and their counts

/** One file as the cache knows it. */
export interface CacheEntry {
  path: string;
  size: number;
  mtimeMs: number;
}

export type CacheNote = (message: string) => void;
export type CacheKind = 'facts' | 'graph';

/** The name (beside the scope's files: IndexCache.besidePath) of facts a patch wrote that wait for their graph (IndexCache.savePendingFacts). */
const PENDING_FACTS = 'nextfacts';

/**
 * The variable that hands the cache files a process noted unusable (IndexCache.unreadable) to the
 * second process it runs the command in (cli/young-generation.ts: a tree resolved in full), one path
 * a line: that process meets the same files and rebuilds them, and the user was told once already.
 */
export const NOTED_CACHE_FILES = 'PATHFIND_CACHE_NOTED';

/** The cache files noted unusable by the process that handed this one its command. */
const notedBefore = new Set((process.env[NOTED_CACHE_FILES] ?? '').split('\n').filter(Boolean));

/** The cache files this process noted unusable. */
const notedHere = new Set<string>();

/** The paths of the cache files this process noted unusable, for NOTED_CACHE_FILES. */
export const notedCachePaths = (): string => [...notedBefore, ...notedHere].join('\n');

/**
 * Two files per query scope: per-file facts (for re-indexing only what changed) and the
 * resolved graph (what a query loads). A file is MAGIC, the format, then frames of
 * [length][encoded value]: the manifest, then the payload in pieces, so that a kernel's
 * facts are never serialised into one huge buffer. Facts frames are Brotli-compressed JSON (frame-file.ts encodeFactsFrame); the graph's frames are
 * columnar (cache/columns.ts) and not compressed, since every query loads them. Each file is written under a temporary name and renamed, so a
 * reader sees a whole old file or a whole new one, even with two writers at once.
 */
export class IndexCache {
  private warnedWrite = false;
  /** Kinds already reported unreadable or outdated: one note each, however often they are opened. */
  private readonly noted = new Set<CacheKind>();

  constructor(
    readonly dir: string,
    /** Distinguishes query scopes (profile, arch, path limits) sharing one cache folder. */
    readonly key: string,
    private readonly note: CacheNote,
  ) {}

  /** The path of this key's cache file of `kind`. */
  path(kind: CacheKind): string {
    return join(this.dir, `${this.key}.${kind}`);
  }

  /** True once a write of this cache failed (writeFailed noted it): --verbose then says nothing was written. */
  get unwritable(): boolean {
    return this.warnedWrite;
  }

  /** Where this kind's file lies, for a writer in another thread (cache/facts-behind.ts), which reports its failure through writeFailed. */
  filePath(kind: CacheKind): string {
    return this.path(kind);
  }

  /** Notes once (per cache) that the cache could not be written, with the first line of `message`; the index goes on without it. */
  writeFailed(message: string): void {
    if (!this.warnedWrite) this.note(`cannot write the index cache in ${this.dir} (${message.split('\n')[0]}); continuing without it`);
    this.warnedWrite = true;
  }

  /** A file of this scope beside its facts and graph (`KEY.NAME`, NAME lower-case letters), for what is derived from them; pruned with them (prune-scopes.ts). With '' the path without its `.NAME`. */
  besidePath(name: string): string {
    return join(this.dir, name ? `${this.key}.${name}` : this.key);
  }

  has(kind: CacheKind): boolean {
    settleWrite(this.path(kind));
    return existsSync(this.path(kind));
  }

  /**
   * True when this kind's file must be written: it is absent, or this run found it unusable
   * (unreadable or of another format), so that a corrupt file is replaced by the next run that
   * indexes, not reported again on every run.
   */
  needsWrite(kind: CacheKind): boolean {
    return this.noted.has(kind) || !this.has(kind);
  }

  /**
   * Notes (once per kind, and not again in the second process a command is handed to: notedCachePaths)
   * that a cache file cannot be used and will be rebuilt.
   */
  unreadable(kind: CacheKind, why: 'unreadable' | 'other-format' = 'unreadable'): null {
    const path = this.path(kind);
    if (!this.noted.has(kind) && !notedBefore.has(path)) {
      const what = why === 'unreadable' ? 'is unreadable' : 'is from another version of pathfind';
      this.note(`index cache ${path} ${what}; rebuilding it`);
    }
    this.noted.add(kind);
    notedHere.add(path);
    return null;
  }

  /** The file open for reading frame by frame (the caller closes it), or null when absent, unreadable (noted) or of another format (noted). */
  open(kind: CacheKind): FrameFile | null {
    // A write of this file started by saveBehind is waited for: this process reads what it wrote.
    settleWrite(this.path(kind));
    const file = FrameFile.open(this.path(kind), CACHE_FORMAT, kind === 'facts');
    if (file === 'absent') return null;
    if (typeof file === 'string') return this.unreadable(kind, file);
    return file;
  }

  /**
   * The manifest and payload pieces, or null when absent, unreadable (noted) or of another format
   * (noted). `each` is given each piece as soon as it is decoded, before the next is read.
   * `identity`: the file's (file-span.ts identityOf), to tell it from a file written over it since.
   */
  load<T>(kind: CacheKind, each?: (piece: T) => void): { manifest: CacheEntry[]; pieces: T[]; identity: string } | null {
    const file = this.open(kind);
    if (!file) return null;
    try {
      const frames: unknown[] = [];
      for (let i = 0; i < file.frames; i++) {
        frames.push(file.value(i));
        if (i > 0) each?.(frames[i] as T);
      }
      const manifest = frames.shift();
      if (!Array.isArray(manifest)) return this.unreadable(kind);
      return { manifest: manifest as CacheEntry[], pieces: frames as T[], identity: file.identity };
    } catch {
      return this.unreadable(kind);
    } finally {
      file.close();
    }
  }

  /**
   * Writes a cache file: the manifest, then each piece, encoded (or copied as stored, for a
   * FrameCopy). A graph written with `promote` has the facts pending (savePendingFacts) take the
   * facts file's name once it is in place; any other write drops facts left pending. `keep`: a
   * value kept beside the file written, for its identity (kept-beside.ts), once it is in place.
   * Returns the identity of the file written (file-span.ts identityOf), or null when it was not (noted).
   */
  save(kind: CacheKind, manifest: CacheEntry[], pieces: unknown[], promote = false, keep?: KeptForWrite): string | null {
    const identity = this.write(this.path(kind), kind, manifest, pieces);
    if (identity === null) return null;
    if (promote) this.renamePendingFacts();
    else this.dropPendingFacts();
    if (keep) writeKeptFor(this.besidePath(''), identity, keep);
    return identity;
  }

  /**
   * Removes facts left pending by a query killed before it wrote their graph (savePendingFacts):
   * a facts file or a graph written since replaces them, which they can no longer pair with.
   */
  private dropPendingFacts(): void {
    const pending = this.besidePath(PENDING_FACTS);
    try {
      // Looked for first (one stat of a file nearly always absent), so that dropping some is noted.
      if (!existsSync(pending)) return;
      rmSync(pending, { force: true });
      this.note(`index cache ${pending}: the facts a query cut short had left pending, for a graph it never wrote, were dropped`);
    } catch {
      // The next write tries again.
    }
  }

  /**
   * Writes facts as save does, under a name of their own (`KEY.nextfacts`), for a patch that
   * rewrites the facts and then the graph that reads them: they take the facts file's name only
   * when that graph is written (save or saveBehind with `promote`). A process killed between the
   * two writes so leaves the old graph with its facts, or the new graph with its facts pending,
   * which promotePendingFacts puts in place. False when they could not be written (noted).
   */
  savePendingFacts(manifest: CacheEntry[], pieces: unknown[]): boolean {
    return this.write(this.besidePath(PENDING_FACTS), 'facts', manifest, pieces) !== null;
  }

  /** Facts left pending (savePendingFacts) open for reading (the caller closes them), or null when there are none or they do not open. */
  openPendingFacts(): FrameFile | null {
    const file = FrameFile.open(this.besidePath(PENDING_FACTS), CACHE_FORMAT, true);
    return typeof file === 'string' ? null : file;
  }

  /**
   * Gives facts left pending (savePendingFacts) the facts file's name: once the caller found that
   * they hold for the graph and the facts file does not, the graph having been written by a process
   * cut short before it did this itself. True when they took the name (noted).
   */
  promotePendingFacts(): boolean {
    if (!this.renamePendingFacts()) return false;
    this.note(`index cache ${this.path('facts')}: the facts a query cut short had written were put in place`);
    return true;
  }

  /** Renames the pending facts over the facts file (a write of it under way here waited for first); false when there are none or the rename fails. */
  private renamePendingFacts(): boolean {
    try {
      settleWrite(this.path('facts'));
      renameSync(this.besidePath(PENDING_FACTS), this.path('facts'));
      return true;
    } catch {
      return false;
    }
  }

  /** Writes the file at `path` (save); its identity (file-span.ts identityOf), or null when it could not be written (noted). */
  private write(path: string, kind: CacheKind, manifest: CacheEntry[], pieces: unknown[]): string | null {
    // Spooled frames are read one at a time into one buffer (each yielded frame is written before the next is asked for).
    let scratch: Buffer | null = null;
    const unspooled = (spooled: SpooledBytes): Buffer => spooled.read(scratch && scratch.length >= spooled.length ? scratch : (scratch = Buffer.allocUnsafeSlow(Math.max(spooled.length, Math.ceil((scratch?.length ?? 0) * 1.5)))));
    const encoded = function* (): Generator<Buffer | Buffer[] | FrameCopy> {
      for (const value of [manifest, ...pieces]) {
        if (value instanceof FrameCopy) yield value;
        else if (value instanceof EncodedFrame) yield Buffer.isBuffer(value.bytes) ? value.bytes : unspooled(value.bytes);
        else yield kind === 'facts' ? encodeFactsFrame(JSON.stringify(value)) : encodeColumnParts(value, encodingHints(value));
      }
    };
    try {
      settleWrite(path);
      ensureCacheDir(this.dir);
      const identity = writeFrameFileAtomically(path, MAGIC, CACHE_FORMAT, encoded());
      if (kind === 'graph') pruneScopes(this.dir, this.key);
      return identity;
    } catch (err) {
      this.writeFailed((err as Error).message);
      return null;
    }
  }

  /**
   * As save for the graph file, but encoded and written in a worker thread while this one goes on
   * (write-behind.ts); this process's later uses of the file wait for it, and the process does
   * not end before it is written. Written here (save) when there is no worker script. `promote`
   * and `keep`: as save's (the facts file waited for as well), done by the worker.
   */
  saveBehind(manifest: CacheEntry[], payload: unknown, promote = false, keep?: KeptForWrite): void {
    const failed = (message: string): void => this.writeFailed(message);
    const promoted = promote ? { from: this.besidePath(PENDING_FACTS), to: this.path('facts') } : null;
    if (!promote) this.dropPendingFacts();
    try {
      ensureCacheDir(this.dir);
      if (writeBehind(this.path('graph'), MAGIC, CACHE_FORMAT, [manifest, payload], { dir: this.dir, key: this.key }, failed, promoted, keep ? { base: this.besidePath(''), kept: keep } : null)) return;
    } catch (err) {
      return failed((err as Error).message.split('\n')[0]!);
    }
    this.save('graph', manifest, [payload], promote, keep);
  }
}

/**
 * Files per facts frame: small enough that no frame's buffer is large, and that the frame an
 * incremental re-index reads and rewrites for an edited file decodes in tens of milliseconds
 * (a frame of 1000 kernel files took 0.3-0.5 s to deserialise).
 */
export const FACTS_PER_FRAME = 200;

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const manifestOf = (files: SourceFile[]): CacheEntry[] => files.map(({ path, size, mtimeMs }) => ({ path, size, mtimeMs }));

/** True when both list the same files with the same sizes and mtimes. */
export function sameManifest(a: CacheEntry[], b: CacheEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.path !== y.path || x.size !== y.size || x.mtimeMs !== y.mtimeMs) return false;
  }
  return true;
}

/** Cached facts still valid for the current files, by path; the rest must be parsed again. */
export function reusableFacts(current: SourceFile[], cached: { manifest: CacheEntry[]; payload: FileFacts[] } | null): Map<string, FileFacts> {
  const reuse = new Map<string, FileFacts>();
  if (!cached) return reuse;
  const byPath = new Map(cached.manifest.map((e, i) => [e.path, i]));
  for (const f of current) {
    const i = byPath.get(f.path);
    if (i === undefined) continue;
    const e = cached.manifest[i]!;
    if (e.size === f.size && e.mtimeMs === f.mtimeMs) reuse.set(f.path, cached.payload[i]!);
  }
  return reuse;
}
