/**
 * Calls through a member written in a function-like macro's body, bound where the macro is
 * expanded. `#define call_sendmsg(sock, msg, len) (sock)->ops->sendmsg(sock, msg, len)` says
 * nothing of what `sock` is; the preprocessor pastes the body into the function that calls the
 * macro, and there the argument has a type: `call_sendmsg(s, m, 4)` in a function whose parameter
 * `s` is a `struct socket *` calls `struct proto_ops.sendmsg`. Each such call of a macro is bound
 * as a member call site of the caller (its site the macro call's): every function bound to the
 * slot (binding-table.ts), each edge of the binding's own kind and evidence.
 *
 * The receiver starts from a macro parameter (CallFact.recvArg, recvPath), typed from the
 * argument as the caller's facts describe it: a parameter of the caller, a member read
 * (CallFact.argMembers), a member's address (CallFact.refs) or a file-scope variable of the
 * caller's file; a local of the caller is not described, and binds nothing. A receiver from a cast
 * or another name (CallFact.recv) is evaluated in the caller's file. A macro whose body passes its
 * parameter to another macro that calls through a member of it (`#define send_all(s) call_sendmsg(s,
 * 0, 0)`) reaches that call too (reachedCalls). No fallback binds a slot that holds nothing.
 */
import type { CodeIndex } from '../index/code-index.js';
import type { CallFact, FunctionFact, TypeExpr } from '../types/facts.js';
import type { BindingRecorder } from './binding-record.js';
import type { BindingTable } from './binding-table.js';
import { MAX_CHAIN } from './bind-expansion.js';
import { bindByName, bindByNameFrom } from './definition-scope.js';
import { kindId } from './edge-kind.js';
import type { EdgeList } from './edge-list.js';
import { slotKey, type TypeModel } from './type-model.js';

/**
 * A call through a member that a call of a macro makes: in the macro's own body, or in the body of
 * a macro it calls (`macro`), its receiver then restated from the outer macro's parameters.
 */
export interface ReachedCall {
  field: string;
  /** The receiver starts from the outer macro's argument at this index (CallFact.recvArg)... */
  recvArg?: number;
  /** ...through these members (CallFact.recvPath). */
  recvPath?: string[];
  /** Otherwise the receiver, evaluated in the expanding file (CallFact.recv). */
  recv?: TypeExpr;
  /** The macro whose body makes the call. */
  macro: number;
}

/** Per index and scope: the member calls each macro reaches (reachedCalls), and the names that may reach one. */
const memo = new WeakMap<CodeIndex, { scope: unknown; nodeCount: number; byNode: Map<number, ReachedCall[]>; names?: Set<string> }>();

function memoOf(index: CodeIndex): { byNode: Map<number, ReachedCall[]>; names?: Set<string> } {
  let entry = memo.get(index);
  if (!entry || entry.scope !== index.bindingScope || entry.nodeCount !== index.nodeCount) memo.set(index, (entry = { scope: index.bindingScope, nodeCount: index.nodeCount, byNode: new Map() }));
  return entry;
}

/**
 * The names of the macros that may reach a call through a member: those whose bodies make one,
 * and those whose bodies call such a name (by name alone, whatever binds it). Reads every macro's facts.
 */
export function macroMemberCallers(index: CodeIndex): ReadonlySet<string> {
  const entry = memoOf(index);
  if (entry.names) return entry.names;
  const names = new Set<string>();
  const callersOf = new Map<string, string[]>();
  for (let n = 0; n < index.nodeCount; n++) {
    if (!index.isMacro(n)) continue;
    const name = index.name(n);
    for (const c of index.calls(n)) {
      if (c.field !== undefined) names.add(name);
      else if (c.name !== undefined && c.name !== name) {
        const list = callersOf.get(c.name);
        if (list) list.push(name);
        else callersOf.set(c.name, [name]);
      }
    }
  }
  const work = [...names];
  while (work.length) for (const caller of callersOf.get(work.pop()!) ?? []) if (!names.has(caller)) (names.add(caller), work.push(caller));
  entry.names = names;
  return names;
}

/**
 * The member calls a call of macro `m` makes: its body's own, then those of the macros its body
 * calls by name (bound from `m`'s file, MAX_CHAIN deep, each macro once) whose receiver starts from
 * an argument `m` passes one of its own parameters to, or from no argument. Deterministic order.
 */
export function reachedCalls(index: CodeIndex, m: number, depth = 0, seen: Set<number> = new Set()): ReachedCall[] {
  const entry = memoOf(index);
  const kept = entry.byNode.get(m);
  if (kept) return kept;
  const out: ReachedCall[] = [];
  seen.add(m);
  const file = index.nodeFile[m]!;
  const params = index.fileFacts(file).macros[index.nodeItem[m]!]!.params;
  const names = macroMemberCallers(index);
  for (const c of index.calls(m)) {
    if (c.field !== undefined) {
      out.push(c.recvArg !== undefined ? { field: c.field, recvArg: c.recvArg, ...(c.recvPath ? { recvPath: c.recvPath } : {}), macro: m } : { field: c.field, ...(c.recv ? { recv: c.recv } : {}), macro: m });
      continue;
    }
    if (c.name === undefined || c.hints || !names.has(c.name) || depth >= MAX_CHAIN) continue;
    for (const b of bindByNameFrom(index, file, c.name).targets) {
      if (!index.isMacro(b) || seen.has(b)) continue;
      for (const r of reachedCalls(index, b, depth + 1, seen)) {
        if (r.recvArg === undefined) out.push(r);
        else {
          const p = params.indexOf(c.args[r.recvArg] ?? '');
          if (p >= 0) out.push({ ...r, recvArg: p });
        }
      }
    }
  }
  // Only a whole answer is kept: one cut short by a macro already on the chain depends on where it was asked from.
  if (depth === 0) entry.byNode.set(m, out);
  return out;
}

/**
 * The macros a call by name from `node` binds to that reach a call through a member
 * (reachedCalls); none for another call. `names` (macroMemberCallers), when given, passes over the
 * other names without binding them; without it (a patch, which reads few calls), only the macros
 * bound are read.
 */
export function memberCallingMacros(index: CodeIndex, node: number, call: CallFact, names?: ReadonlySet<string>): number[] {
  if (call.name === undefined || call.hints || call.var !== undefined) return [];
  const out: number[] = [];
  for (const name of call.expandsTo ?? [call.name]) {
    if (names && !names.has(name)) continue;
    for (const t of bindByName(index, index.nodeFile[node]!, name).targets) if (index.isMacro(t) && !out.includes(t) && reachedCalls(index, t).length > 0) out.push(t);
  }
  return out;
}

/**
 * The type of argument `i` of `call` in function `fn` of file `file`, as a type expression: a
 * parameter of `fn` (not a function pointer), a member read, a member's address, or a file-scope
 * variable of `file`; null for anything else (a local, an expression).
 */
export function argumentType(index: CodeIndex, file: number, fn: FunctionFact, call: CallFact, i: number): TypeExpr | null {
  const member = call.argMembers?.find((a) => a.arg === i);
  if (member) return { k: 'field', of: member.root, field: member.field };
  const ref = call.refs?.[i];
  if (ref) return ref.path.reduce<TypeExpr>((of, field) => ({ k: 'field', of, field }), ref.root);
  const name = call.args[i];
  if (name === null || name === undefined) return null;
  const param = fn.params.find((p) => p.name === name);
  if (param) return param.fnptr ? null : { k: 'type', name: param.type };
  return index.fileFacts(file).globals.some((g) => g.name === name && !g.fnptr) ? { k: 'global', name } : null;
}

/** The receiver of member call `inner` reached from a macro expanded by `call` of `fn`: see argumentType; null when unknown. */
function receiverAt(index: CodeIndex, file: number, fn: FunctionFact, call: CallFact, inner: ReachedCall): TypeExpr | null {
  if (inner.recvArg === undefined) return inner.recv ?? null;
  const arg = argumentType(index, file, fn, call, inner.recvArg);
  return arg ? (inner.recvPath ?? []).reduce<TypeExpr>((of, field) => ({ k: 'field', of, field }), arg) : null;
}

/**
 * Adds the edges of every call of a macro whose body calls through a member (see the module
 * comment), after the member call sites' (resolveIndirectSites), deferred where the profile says
 * the member is. With `record`, each slot read is noted (BindingRecorder.expansionRead): an edit
 * of its bindings is then resolved in full.
 */
export function resolveMacroMemberCalls(index: CodeIndex, edges: EdgeList, types: TypeModel, table: BindingTable, record?: BindingRecorder): void {
  const names = macroMemberCallers(index);
  if (names.size === 0) return;
  const deferred = new Set(index.profile.deferredCalls.map((d) => `${d.holder}.${d.field}`));
  for (let node = 0; node < index.nodeCount; node++) {
    if (index.isMacro(node) || index.isExternal(node)) continue;
    const file = index.nodeFile[node]!;
    index.calls(node).forEach((call, site) => {
      const macros = memberCallingMacros(index, node, call, names);
      if (macros.length === 0) return;
      const fn = index.fileFacts(file).functions[index.nodeItem[node]!]!;
      const added = new Set<number>();
      for (const m of macros) {
        for (const inner of reachedCalls(index, m)) {
          const recv = receiverAt(index, file, fn, call, inner);
          const holder = recv ? types.evaluate(recv, file) : null;
          const slot = holder ? types.slot(holder, inner.field) : null;
          if (!slot) continue;
          record?.expansionRead(slotKey(slot));
          const first = edges.length;
          for (const b of table.forSlot(slot)) {
            if (added.has(b.target)) continue;
            added.add(b.target);
            edges.add(node, b.target, kindId(b.kind), site, call.line, b.evidence);
          }
          if (deferred.has(`${holder}.${inner.field}`) || deferred.has(slotKey(slot))) edges.markDeferred(first, edges.length);
        }
      }
    });
  }
}
