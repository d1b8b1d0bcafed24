/**
 * Calls written inside `#if`/`#ifdef` blocks of a function body that the configuration leaves
 * out (CallFact.cond certainly false): `panic()` under `#ifdef CONFIG_SCHED_STACK_END_CHECK` in
 * kernel/sched/core.c's schedule_debug with the option unset, the handler call under
 * `#ifdef CONFIG_DEBUG_SHIRQ_FIXME` (an option no Kconfig file defines) in kernel/irq/manage.c.
 * So are all the calls of a function or function-like macro whose own definition sits under such
 * a condition (FunctionFact.cond, MacroFact.cond): its body is not compiled. Linux 6.1's kernel/softirq.c defines
 * `__local_bh_enable_ip` in both arms of `#ifdef CONFIG_PREEMPT_RT`, and only the arm the
 * configuration picks calls `__do_softirq`; include/asm-generic/softirq_stack.h's inline
 * do_softirq_own_stack sits under the `#else` of CONFIG_SOFTIRQ_ON_OWN_STACK, set on x86.
 *
 * The per-file facts stay as parsed (the facts cache is the same under every configuration): an
 * index hands out copies in which each such call is neutral (inactiveCall), at its place, so call
 * sites keep their numbers and a site's edges, evidence and line mean the same on every path
 * (a full resolution, a patch, a query reading a file's facts).
 */
import { Truth } from '../types/build.js';
import type { CallFact, FileFacts, FunctionFact, MacroFact } from '../types/facts.js';
import type { BindingScope } from '../types/scope.js';
import { functionFlags, NodeFlag } from './node-flags.js';

/** Decides whether code of file `file` (an index into CodeIndex.files) at `line` under preprocessor condition `cond` is left out. */
export type CallLeftOut = (file: number, cond: string, line: number) => boolean;

/** The test of a binding scope's configuration (DefinitionActivity.callActive: certainly false), or null when it decides no call (every call counts). */
export function leftOutUnder(scope: BindingScope | null): CallLeftOut | null {
  const activity = scope?.activity;
  if (!activity?.callActive) return null;
  return (file, cond, line) => activity.callActive!(file, cond, line) === Truth.No;
}

/**
 * The neutral form of a call the configuration leaves out: its place (line, column), the
 * condition that leaves it out (`cond`: its own, or its function's when the whole definition is
 * left out), and what it calls as written (`inactive`: the name, `.field` or `*var`), and nothing
 * any binding step reads: no name, member, local, array, parameter or argument that could bind.
 * Its arguments are null (one per argument), so no function passed there is followed either.
 */
export function inactiveCall(call: CallFact, cond: string): CallFact {
  const written = call.name ?? (call.field !== undefined ? `.${call.field}` : call.var !== undefined ? `*${call.var}` : call.array !== undefined ? `${call.array}[]` : '(...)');
  return { line: call.line, col: call.col, args: call.args.map(() => null), cond, inactive: written };
}

/**
 * The calls of a definition (a function's or a macro's, written at `line` under its own condition
 * `cond`) with those left out made neutral: every one when `cond` is left out, else each whose own
 * condition is (a macro's body has no preprocessor lines: its calls have none); `calls` itself when none is.
 */
function maskCalls(calls: CallFact[], cond: string | undefined, line: number, file: number, leftOut: CallLeftOut): CallFact[] {
  const whole = cond !== undefined && calls.length > 0 && leftOut(file, cond, line) ? cond : undefined;
  let out: CallFact[] | null = null;
  calls.forEach((call, site) => {
    if (call.inactive !== undefined) return;
    const c = whole ?? call.cond;
    if (c === undefined || (whole === undefined && !leftOut(file, c, call.line))) return;
    out ??= calls.slice();
    out[site] = inactiveCall(call, c);
  });
  return out ?? calls;
}

/**
 * The facts of file `file` as the configuration sees them: a copy whose functions' and macros'
 * left-out calls are neutral (see the module comment) and without the registrations it leaves
 * out (RegistrationFact.cond), or `facts` itself when none is left out.
 */
export function maskFileFacts(facts: FileFacts, file: number, leftOut: CallLeftOut): FileFacts {
  let functions: FunctionFact[] | null = null;
  facts.functions.forEach((fn, i) => {
    const calls = maskCalls(fn.calls, fn.cond, fn.line, file, leftOut);
    if (calls === fn.calls) return;
    functions ??= facts.functions.slice();
    functions[i] = { ...fn, calls };
  });
  let macros: MacroFact[] | null = null;
  facts.macros.forEach((m, i) => {
    if (m.cond === undefined) return;
    const calls = maskCalls(m.calls, m.cond, m.line, file, leftOut);
    if (calls === m.calls) return;
    macros ??= facts.macros.slice();
    macros[i] = { ...m, calls };
  });
  // A registration the configuration leaves out registers nothing: it is dropped (no site number hangs on it).
  const registrations = facts.registrations?.some((r) => r.cond !== undefined && leftOut(file, r.cond, r.line)) ? facts.registrations.filter((r) => r.cond === undefined || !leftOut(file, r.cond, r.line)) : null;
  return functions || macros || registrations ? { ...facts, ...(functions ? { functions } : {}), ...(macros ? { macros } : {}), ...(registrations ? { registrations: registrations.length ? registrations : undefined } : {}) } : facts;
}

/**
 * The facts of every file of an index built from facts (`raw`, by file id) as `leftOut` sees them
 * (maskFileFacts; `raw` itself with no test), and each function node's flags made again from its
 * calls as handed out (`nodes`: the index's node columns; a parameter called only under a
 * condition left out sets no NodeFlag.CallsParameter). External nodes (file -1) are skipped.
 */
export function configuredFiles(raw: FileFacts[], leftOut: CallLeftOut | null, nodes: { nodeFile: Int32Array; nodeItem: Int32Array; nodeFlags: Uint8Array }): FileFacts[] {
  if (!leftOut) return raw;
  const files = raw.map((f, file) => maskFileFacts(f, file, leftOut));
  for (let n = 0; n < nodes.nodeFile.length; n++) {
    const file = nodes.nodeFile[n]!;
    const flags = nodes.nodeFlags[n]!;
    if (file < 0 || files[file] === raw[file] || flags & NodeFlag.Macro) continue;
    const fn = files[file]!.functions[nodes.nodeItem[n]!]!;
    if (fn !== raw[file]!.functions[nodes.nodeItem[n]!]) nodes.nodeFlags[n] = functionFlags(fn, flags & NodeFlag.Header);
  }
  return files;
}
