import type { CodeIndex } from '../index/code-index.js';
import { EvidenceAppender } from './append-evidence.js';
import { directTargets } from './bind-direct.js';
import { handlerEdges, objectKey, registrationEvidence, roleOf, rolesOf } from './bind-object-hand-offs.js';
import { bindingsBlock, edgeBlock } from './caller-phases.js';
import { kindId } from './edge-kind.js';
import type { EdgeSnapshot, Evidence } from './edge-list.js';
import { applySplices, type EdgeSplice, edgeRowsWriter, type WrittenEdge } from './edge-splice.js';
import { handOffStrings, type ObjectHandOffRecord, recordedTypes, REGISTRATION_STRIDE } from './object-hand-off-record.js';
import { scanCallersEdges, storedColumn } from './stored-column.js';

const DISPATCH = kindId('dispatch-table');

/** An object hand-off edge as resolveObjectHandOffs makes it: caller, call site and line, handler, and the registrations' evidence. */
interface HandOffEdge {
  caller: number;
  site: number;
  line: number;
  target: number;
  evidence: Evidence[];
}

/**
 * Adds, as a full resolution would (resolveObjectHandOffs), the object hand-off edges of the
 * queueing calls edits added (`schedule_work(&adapter->reset_task)`, `mod_timer(&priv->timer,
 * ...)`): `added` maps each function of the patched index `index` (an edited file's) to the call
 * sites of those calls. Each call's key is read from `record`'s type evaluations in its own file
 * (recordedTypes), or from a struct that file alone defines (`ownTags`: its path and the tag), and its edges from the record's registrations under that key (their calls read
 * from the index, their handlers bound by name now): one deferred 'dispatch-table' edge per
 * handler, ascending, at the call's site. They go where the resolution adds them among the
 * caller's edges: among its other queueing calls' edges by call site, after its other bindings,
 * before its calls of external nodes. A queueing call kept keeps its edges; one taken out lost
 * them with its site (GraphPatch.applyBodies). `record` has the patched graph's node ids and call
 * sites (movedHandOffRecord). Returns why not, or null; `edges` change in place.
 */
export function patchObjectHandOffs(index: CodeIndex, edges: EdgeSnapshot, added: ReadonlyMap<number, ReadonlySet<number>>, record: ObjectHandOffRecord | null | undefined, ownTags?: (path: string, tag: string) => boolean): string | null {
  if (added.size === 0) return null;
  if (!record) return 'a call queueing work by its object was added, and the cached graph keeps no record of the registrations';
  const rules = index.profile.objectHandOffs ?? [];
  const roles = rolesOf(rules);
  // The registrations under each rule and key, in the order the resolution read them (node, then call site).
  const { registrations } = record;
  const strings = handOffStrings(record);
  const byKey = new Map<string, number[]>();
  const order = Array.from({ length: registrations.length / REGISTRATION_STRIDE }, (_, k) => k * REGISTRATION_STRIDE);
  order.sort((a, b) => registrations[a]! - registrations[b]! || registrations[a + 1]! - registrations[b + 1]!);
  for (const i of order) {
    const key = `${registrations[i + 2]}\u0000${strings[registrations[i + 3]!]}`;
    (byKey.get(key) ?? byKey.set(key, []).get(key)!).push(i);
  }
  let why: string | null = null;
  const handlers = new Map<string, Map<number, Evidence[]>>();
  const handlersOf = (rule: number, key: string): Map<number, Evidence[]> => {
    const at = `${rule}\u0000${key}`;
    let byTarget = handlers.get(at);
    if (byTarget) return byTarget;
    handlers.set(at, (byTarget = new Map()));
    for (const i of byKey.get(at) ?? []) {
      const node = registrations[i]!;
      const call = index.calls(node)[registrations[i + 1]!];
      const role = call && roleOf(roles, call);
      const fn = role?.handler !== undefined ? call!.args[role.handler] : undefined;
      if (!fn || role!.rule !== rule) {
        why ??= `the record of a registration of ${strings[registrations[i + 4]!]} does not match ${index.name(node)}'s calls`;
        continue;
      }
      const file = index.nodeFile[node]!;
      // A handler its registering function is passed (a parameter now) binds nothing, as resolveObjectHandOffs reads it.
      if (index.fileFacts(file).functions[index.nodeItem[node]!]!.params.some((p) => p.name === fn)) continue;
      for (const target of directTargets(index, file, fn)) {
        if (index.isMacro(target)) continue;
        (byTarget.get(target) ?? byTarget.set(target, []).get(target)!).push(registrationEvidence(index.filePath(file), call!, strings[registrations[i + 4]!]!, fn));
      }
    }
    return byTarget;
  };
  const made: HandOffEdge[] = [];
  for (const caller of [...added.keys()].sort((a, b) => a - b)) {
    const file = index.nodeFile[caller]!;
    const facts = index.fileFacts(file);
    const fact = facts.functions[index.nodeItem[caller]!]!;
    const path = index.filePath(file);
    // A member of a tag the file alone defines: its type in the file's first definition that has it (TypeModel merges them so).
    const member = (tag: string, field: string): string | undefined => facts.structs.flatMap((st) => (st.name === tag ? st.fields : [])).find((f) => f.name === field)?.type;
    const own = ownTags && { tag: (tag: string) => ownTags(path, tag), member };
    const types = recordedTypes(record, path, new Set(facts.globals.map((g) => g.name)), own);
    for (const site of [...added.get(caller)!].sort((a, b) => a - b)) {
      const call = fact.calls[site]!;
      const role = roleOf(roles, call)!;
      const key = objectKey(index, types, file, fact, call, role.object, rules[role.rule]!);
      if (types.missing) why ??= `${fact.name} queues work by an object whose type the cached graph did not evaluate in its file (${types.missing})`;
      if (!key) continue;
      // An anonymous struct is named by its line (`struct <anon path:line>`), which an edit that leaves the graph as it is may move.
      if (key.key.includes('<anon ')) why ??= `${fact.name} queues work by an object of an anonymous struct (${key.shown}), named by its line`;
      for (const [target, evidence] of handlerEdges(handlersOf(role.rule, key.key))) made.push({ caller, site, line: call.line, target, evidence });
    }
  }
  return why ?? spliceHandOffs(index, edges, made);
}

/** Puts `made` among the callers' edges where a resolution adds them (see patchObjectHandOffs). */
function spliceHandOffs(index: CodeIndex, edges: EdgeSnapshot, made: HandOffEdge[]): string | null {
  if (made.length === 0) return null;
  const at = { to: storedColumn(edges, 'to')!, kind: storedColumn(edges, 'kind')!, site: storedColumn(edges, 'site')!, deferred: storedColumn(edges, 'deferred')! };
  const count = at.to.length;
  const block = (e: number): number => edgeBlock(at.kind.at(e), index.isExternal(at.to.at(e)));
  const roles = rolesOf(index.profile.objectHandOffs ?? []);
  // Each caller's edges of its queueing calls (deferred dispatch-table edges at a queueing call's site), and its last binding.
  const queued = new Map<number, number[]>();
  const lastBinding = new Map<number, number>();
  let apart: number | null = null;
  scanCallersEdges(edges, index.nodeCount, new Set(made.map((m) => m.caller)), (e, x) => {
    if (block(e) !== 1) return;
    const call = at.kind.at(e) === DISPATCH && at.deferred.at(e) === 1 ? index.calls(x)[at.site.at(e)] : undefined;
    const role = call && roleOf(roles, call);
    if (role && role.handler === undefined) (queued.get(x) ?? queued.set(x, []).get(x)!).push(e);
    // The object hand-offs are the last bindings a resolution adds: no other binding of the caller comes after them.
    else if (queued.has(x)) apart ??= x;
    lastBinding.set(x, e);
  });
  if (apart !== null) return `the edges of ${index.name(apart)} are not in the order a resolution adds them`;
  const [, end] = bindingsBlock(count, block);
  const evidence = new EvidenceAppender(edges);
  const writer = (rows: WrittenEdge[]) => edgeRowsWriter(rows, DISPATCH, 1);
  // One insertion per call site, in call site order: before the caller's first queueing edge of a later site, else after its last one,
  // else after its last binding, else at the end of the bindings' block.
  const splices: EdgeSplice[] = [];
  const bySite = new Map<string, HandOffEdge[]>();
  for (const m of made) (bySite.get(`${m.caller}:${m.site}`) ?? bySite.set(`${m.caller}:${m.site}`, []).get(`${m.caller}:${m.site}`)!).push(m);
  for (const rows of bySite.values()) {
    const { caller, site } = rows[0]!;
    const own = queued.get(caller) ?? [];
    const later = own.find((e) => at.site.at(e) > site);
    const place = later ?? (own.length ? own[own.length - 1]! + 1 : lastBinding.has(caller) ? lastBinding.get(caller)! + 1 : end);
    splices.push({ start: place, end: place, count: rows.length, write: writer(rows.map((m) => ({ ...m, proof: evidence.set(m.evidence) }))) });
  }
  applySplices(edges, splices);
  evidence.finish();
  return null;
}
