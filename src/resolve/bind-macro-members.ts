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
 * or another name (CallFact.recv) is evaluated in the caller's file. Only the macros a call binds
 * to are read, not the macros their bodies call; no fallback binds a slot that holds nothing.
 */
import type { CodeIndex } from '../index/code-index.js';
import type { CallFact, FunctionFact, TypeExpr } from '../types/facts.js';
import type { BindingRecorder } from './binding-record.js';
import type { BindingTable } from './binding-table.js';
import { bindByName } from './definition-scope.js';
import { kindId } from './edge-kind.js';
import type { EdgeList } from './edge-list.js';
import { slotKey, type TypeModel } from './type-model.js';

/** The names of the macros whose bodies make a call through a member (CallFact.field): reads every macro's facts. */
export function macroMemberCallers(index: CodeIndex): Set<string> {
  const names = new Set<string>();
  for (let n = 0; n < index.nodeCount; n++) if (index.isMacro(n) && callsThroughMember(index, n)) names.add(index.name(n));
  return names;
}

/** True when macro node `m`'s body calls through a member. */
const callsThroughMember = (index: CodeIndex, m: number): boolean => index.calls(m).some((c) => c.field !== undefined);

/**
 * The macros a call by name from `node` binds to whose bodies call through a member; none for
 * another call. `names` (macroMemberCallers), when given, passes over the other names without
 * binding them; without it (a patch, which reads few calls), only the macros bound are read.
 */
export function memberCallingMacros(index: CodeIndex, node: number, call: CallFact, names?: ReadonlySet<string>): number[] {
  if (call.name === undefined || call.hints || call.var !== undefined) return [];
  const out: number[] = [];
  for (const name of call.expandsTo ?? [call.name]) {
    if (names && !names.has(name)) continue;
    for (const t of bindByName(index, index.nodeFile[node]!, name).targets) if (index.isMacro(t) && !out.includes(t) && callsThroughMember(index, t)) out.push(t);
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
  return index.files[file]!.globals.some((g) => g.name === name && !g.fnptr) ? { k: 'global', name } : null;
}

/** The receiver of member call `inner` of a macro's body, expanded by `call` of `fn`: see argumentType; null when unknown. */
function receiverAt(index: CodeIndex, file: number, fn: FunctionFact, call: CallFact, inner: CallFact): TypeExpr | null {
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
      const fn = index.files[file]!.functions[index.nodeItem[node]!]!;
      const added = new Set<number>();
      for (const m of macros) {
        for (const inner of index.calls(m)) {
          if (inner.field === undefined) continue;
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
