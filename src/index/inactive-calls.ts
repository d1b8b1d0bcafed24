/**
 * Calls written inside `#if`/`#ifdef` blocks of a function body that the configuration leaves
 * out (CallFact.cond certainly false): `panic()` under `#ifdef CONFIG_SCHED_STACK_END_CHECK` in
 * kernel/sched/core.c's schedule_debug with the option unset, the handler call under
 * `#ifdef CONFIG_DEBUG_SHIRQ_FIXME` (an option no Kconfig file defines) in kernel/irq/manage.c.
 *
 * The per-file facts stay as parsed (the facts cache is the same under every configuration): an
 * index hands out copies in which each such call is neutral (inactiveCall), at its place, so call
 * sites keep their numbers and a site's edges, evidence and line mean the same on every path
 * (a full resolution, a patch, a query reading a file's facts).
 */
import { Truth } from '../types/build.js';
import type { CallFact, FileFacts, FunctionFact } from '../types/facts.js';
import type { BindingScope } from '../types/scope.js';
import { functionFlags, NodeFlag } from './node-flags.js';

/** Decides whether a call of file `file` (an index into CodeIndex.files) that carries a condition is left out. */
export type CallLeftOut = (file: number, call: CallFact & { cond: string }) => boolean;

/** The test of a binding scope's configuration (DefinitionActivity.callActive: certainly false), or null when it decides no call (every call counts). */
export function leftOutUnder(scope: BindingScope | null): CallLeftOut | null {
  const activity = scope?.activity;
  if (!activity?.callActive) return null;
  return (file, call) => activity.callActive!(file, call.cond, call.line) === Truth.No;
}

/**
 * The neutral form of a call the configuration leaves out: its place (line, column), its
 * condition, and what it calls as written (`inactive`: the name, `.field` or `*var`), and nothing
 * any binding step reads: no name, member, local, array, parameter or argument that could bind.
 * Its arguments are null (one per argument), so no function passed there is followed either.
 */
export function inactiveCall(call: CallFact & { cond: string }): CallFact {
  const written = call.name ?? (call.field !== undefined ? `.${call.field}` : call.var !== undefined ? `*${call.var}` : call.array !== undefined ? `${call.array}[]` : '(...)');
  return { line: call.line, col: call.col, args: call.args.map(() => null), cond: call.cond, inactive: written };
}

/** `fn` with its left-out calls made neutral, or `fn` itself when it has none. */
function maskFunction(fn: FunctionFact, file: number, leftOut: CallLeftOut): FunctionFact {
  let calls: CallFact[] | null = null;
  fn.calls.forEach((call, site) => {
    if (call.cond === undefined || call.inactive !== undefined || !leftOut(file, call as CallFact & { cond: string })) return;
    calls ??= fn.calls.slice();
    calls[site] = inactiveCall(call as CallFact & { cond: string });
  });
  return calls ? { ...fn, calls } : fn;
}

/**
 * The facts of file `file` as the configuration sees them: a copy whose functions' left-out
 * calls are neutral (see the module comment), or `facts` itself when no call is left out.
 * Functions only: a macro's body has no preprocessor lines of its own.
 */
export function maskFileFacts(facts: FileFacts, file: number, leftOut: CallLeftOut): FileFacts {
  let functions: FunctionFact[] | null = null;
  facts.functions.forEach((fn, i) => {
    const masked = maskFunction(fn, file, leftOut);
    if (masked === fn) return;
    functions ??= facts.functions.slice();
    functions[i] = masked;
  });
  return functions ? { ...facts, functions } : facts;
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
