import type { CodeIndex } from '../index/code-index.js';
import { EvidenceAppender } from './append-evidence.js';
import { directTargets } from './bind-direct.js';
import { handlerEdges, objectKey, registrationEvidence, roleOf, rolesOf } from './bind-object-hand-offs.js';
import { bindingsBlock, edgeBlock } from './caller-phases.js';
import { kindId } from './edge-kind.js';
import type { EdgeSnapshot, Evidence } from './edge-list.js';
import { applySplices, type EdgeSplice, edgeRowsWriter, type WrittenEdge } from './edge-splice.js';
import { handOffStrings, keyOf, type MovedHandOffs, type ObjectHandOffRecord, QUEUED_STRIDE, recordedTypes, REGISTRATION_STRIDE } from './object-hand-off-record.js';
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

/** The calls an edit added that the object hand-offs read, by function of the patched index: call sites queueing work, and call sites registering a handler. */
export interface HandOffCalls {
  queueing: ReadonlyMap<number, ReadonlySet<number>>;
  registering: ReadonlyMap<number, ReadonlySet<number>>;
  /** The names of the functions the edits defined or removed: a registration naming one may bind another handler now. */
  names: ReadonlySet<string>;
}

/** What patchObjectHandOffs did: the record of the patched graph, the queueing calls added, and the keys whose queueing calls got their edges again. */
export interface PatchedHandOffs {
  record: ObjectHandOffRecord;
  queueingAdded: number;
  keysMadeAgain: number;
}

/**
 * Makes, as a full resolution would (resolveObjectHandOffs), the object hand-off edges an edit
 * changed. A queueing call added (`schedule_work(&adapter->reset_task)`, `mod_timer(&priv->timer,
 * ...)`) gets the edges of the registrations under its key. A registration added or taken out
 * (`INIT_WORK(&adapter->reset_task, fn)`), or one naming a function the edits defined or removed
 * (`calls.names`), gives every queueing call of its key, in any file, its edges again. `calls`:
 * the calls added, by function of the patched index `index` (an edited file's). The key of a call
 * added is read from `moved`'s type evaluations in its own file (recordedTypes), or from a struct
 * that file alone defines (`ownTags`: its path and the tag); its registrations' calls are read from
 * the index, their handlers bound by name now. One deferred 'dispatch-table' edge per handler,
 * ascending, at the queueing call's site, where the resolution adds them (spliceHandOffs).
 * `moved`: the record with the patched graph's node ids and call sites
 * (movedHandOffRecord), its registrations and queueing calls taken out already dropped; a queueing
 * call taken out lost its edges with its site (GraphPatch.applyBodies). Returns the new record, or
 * why not; `edges` change in place.
 */
export function patchObjectHandOffs(index: CodeIndex, edges: EdgeSnapshot, calls: HandOffCalls, moved: MovedHandOffs, ownTags?: (path: string, tag: string) => boolean): PatchedHandOffs | string {
  const rules = index.profile.objectHandOffs ?? [];
  const roles = rolesOf(rules);
  const strings = [...handOffStrings(moved.record)];
  const ids = new Map<string, number>();
  const id = (s: string): number => {
    if (ids.size === 0) strings.forEach((x, i) => ids.set(x, i));
    let at = ids.get(s);
    if (at === undefined) {
      ids.set(s, (at = strings.length));
      strings.push(s);
    }
    return at;
  };
  const affected = new Set(moved.gone);
  const registrations: number[][] = [];
  const queued: number[][] = [];
  const added = new Set<string>();
  let why: string | null = null;
  for (const caller of [...new Set([...calls.queueing.keys(), ...calls.registering.keys()])].sort((a, b) => a - b)) {
    const file = index.nodeFile[caller]!;
    const facts = index.fileFacts(file);
    const fact = facts.functions[index.nodeItem[caller]!]!;
    const path = index.filePath(file);
    // A member of a tag the file alone defines: its type in the file's first definition that has it (TypeModel merges them so).
    const member = (tag: string, field: string): string | undefined => facts.structs.flatMap((st) => (st.name === tag ? st.fields : [])).find((f) => f.name === field)?.type;
    const own = ownTags && { tag: (tag: string) => ownTags(path, tag), member };
    const types = recordedTypes(moved.record, path, new Set(facts.globals.map((g) => g.name)), own);
    const sites = [...(calls.queueing.get(caller) ?? []), ...(calls.registering.get(caller) ?? [])].sort((a, b) => a - b);
    for (const site of sites) {
      const call = fact.calls[site]!;
      const role = roleOf(roles, call)!;
      const key = objectKey(index, types, file, fact, call, role.object, rules[role.rule]!);
      const verb = role.handler === undefined ? 'queues' : 'registers';
      if (types.missing) why ??= `${fact.name} ${verb} work by an object whose type the cached graph did not evaluate in its file (${types.missing})`;
      if (!key) continue;
      // An anonymous struct is named by its line (`struct <anon path:line>`), which an edit that leaves the graph as it is may move.
      if (key.key.includes('<anon ')) why ??= `${fact.name} ${verb} work by an object of an anonymous struct (${key.shown}), named by its line`;
      if (role.handler === undefined) {
        queued.push([caller, site, role.rule, id(key.key)]);
        added.add(`${caller}:${site}`);
        continue;
      }
      // A handler its registering function is passed (a parameter) binds nothing, and the resolution does not record it.
      const fn = call.args[role.handler];
      if (!fn || fact.params.some((p) => p.name === fn)) continue;
      registrations.push([caller, site, role.rule, id(key.key), id(key.shown), id(fn)]);
      affected.add(keyOf(role.rule, key.key));
    }
  }
  if (why) return why;
  const record: ObjectHandOffRecord = {
    strings: strings.join('\u0000'),
    registrations: mergedRows(moved.record.registrations, REGISTRATION_STRIDE, registrations),
    queued: mergedRows(moved.record.queued, QUEUED_STRIDE, queued),
    evaluations: moved.record.evaluations,
  };
  // A registration naming a function defined or removed may bind another handler now.
  const regs = record.registrations;
  for (let i = 0; i < regs.length; i += REGISTRATION_STRIDE) if (calls.names.has(strings[regs[i + 5]!]!)) affected.add(keyOf(regs[i + 2]!, strings[regs[i + 3]!]!));
  const handlers = handlersOfKeys(index, record, strings);
  const made: HandOffEdge[] = [];
  const again = new Set<string>();
  const { queued: q } = record;
  for (let i = 0; i < q.length; i += QUEUED_STRIDE) {
    const [caller, site, rule, keyId] = [q[i]!, q[i + 1]!, q[i + 2]!, q[i + 3]!];
    const key = keyOf(rule, strings[keyId]!);
    const isNew = added.has(`${caller}:${site}`);
    if (!isNew && !affected.has(key)) continue;
    if (!isNew) again.add(`${caller}:${site}`);
    const line = index.calls(caller)[site]!.line;
    for (const [target, evidence] of handlerEdges(handlers.of(key))) made.push({ caller, site, line, target, evidence });
  }
  const mismatch = handlers.why();
  if (mismatch) return mismatch;
  const spliced = spliceHandOffs(index, edges, made, again, record.queued);
  return spliced ?? { record, queueingAdded: added.size, keysMadeAgain: affected.size };
}

/** `rows` (each `stride` numbers: node, call site, ...) merged into `kept` by node, then call site. */
function mergedRows(kept: Int32Array, stride: number, rows: number[][]): Int32Array {
  if (rows.length === 0) return kept;
  const all: number[][] = [];
  for (let i = 0; i < kept.length; i += stride) all.push(Array.from(kept.subarray(i, i + stride)));
  all.push(...rows);
  all.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  return Int32Array.from(all.flat());
}

/**
 * The handlers each key's registrations in `record` bind (`rule NUL key` -> handler -> the
 * registrations' evidence, in the order the resolution reads them: node, then call site), made on
 * first ask (`of`); the calls read from `index`. `why`: why not, once `of` met a registration not among its function's calls.
 */
function handlersOfKeys(index: CodeIndex, record: ObjectHandOffRecord, strings: readonly string[]): { of: (key: string) => Map<number, Evidence[]>; why: () => string | null } {
  const roles = rolesOf(index.profile.objectHandOffs ?? []);
  const { registrations } = record;
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < registrations.length; i += REGISTRATION_STRIDE) {
    const key = keyOf(registrations[i + 2]!, strings[registrations[i + 3]!]!);
    (byKey.get(key) ?? byKey.set(key, []).get(key)!).push(i);
  }
  const made = new Map<string, Map<number, Evidence[]>>();
  let why: string | null = null;
  const handlersOf = (at: string): Map<number, Evidence[]> => {
    let byTarget = made.get(at);
    if (byTarget) return byTarget;
    made.set(at, (byTarget = new Map()));
    for (const i of byKey.get(at) ?? []) {
      const node = registrations[i]!;
      const call = index.calls(node)[registrations[i + 1]!];
      const role = call && roleOf(roles, call);
      const fn = role?.handler !== undefined ? call!.args[role.handler] : undefined;
      if (!fn || role!.rule !== registrations[i + 2]! || fn !== strings[registrations[i + 5]!]) {
        why ??= `the record of a registration of ${strings[registrations[i + 4]!]} does not match ${index.name(node)}'s calls`;
        continue;
      }
      const file = index.nodeFile[node]!;
      for (const target of directTargets(index, file, fn)) {
        if (index.isMacro(target)) continue;
        (byTarget.get(target) ?? byTarget.set(target, []).get(target)!).push(registrationEvidence(index.filePath(file), call!, strings[registrations[i + 4]!]!, fn));
      }
    }
    return byTarget;
  };
  return { of: handlersOf, why: () => why };
}

/** Call sites fit in 20 bits: (node, site) pairs make one safe integer key. */
const SPAN = 1 << 20;

/**
 * Puts `made` among the callers' edges where a resolution adds them (see patchObjectHandOffs): the
 * edges of a call site of `again` (`caller:site`) replace those it has. The object hand-off edges
 * are the last of the bindings' block (resolve.ts adds them after every other binding, before the
 * calls of external nodes), one run per queueing call site of `queued` (the record's, node then
 * call site: ObjectHandOffRecord.queued) in that order. A site without edges has its run inserted
 * before its caller's first run of a later site, else after its caller's last run; for a caller
 * with none, before the first run of a later caller, else after the last run.
 */
function spliceHandOffs(index: CodeIndex, edges: EdgeSnapshot, made: HandOffEdge[], again: ReadonlySet<string>, queued: Int32Array): string | null {
  const bySite = new Map<string, HandOffEdge[]>();
  for (const m of made) (bySite.get(`${m.caller}:${m.site}`) ?? bySite.set(`${m.caller}:${m.site}`, []).get(`${m.caller}:${m.site}`)!).push(m);
  for (const k of again) if (!bySite.has(k)) bySite.set(k, []);
  if (bySite.size === 0) return null;
  const at = { from: storedColumn(edges, 'from')!, to: storedColumn(edges, 'to')!, kind: storedColumn(edges, 'kind')!, site: storedColumn(edges, 'site')!, deferred: storedColumn(edges, 'deferred')! };
  const count = at.to.length;
  const block = (e: number): number => edgeBlock(at.kind.at(e), index.isExternal(at.to.at(e)));
  const roles = rolesOf(index.profile.objectHandOffs ?? []);
  // Each caller's edges of its queueing calls (deferred dispatch-table edges at a queueing call's site).
  const own = new Map<number, number[]>();
  let apart: number | null = null;
  const callers = new Set([...bySite.keys()].map((k) => Number(k.slice(0, k.indexOf(':')))));
  scanCallersEdges(edges, index.nodeCount, callers, (e, x) => {
    if (block(e) !== 1) return;
    const call = at.kind.at(e) === DISPATCH && at.deferred.at(e) === 1 ? index.calls(x)[at.site.at(e)] : undefined;
    const role = call && roleOf(roles, call);
    if (role && role.handler === undefined) (own.get(x) ?? own.set(x, []).get(x)!).push(e);
    // The object hand-offs are the last bindings a resolution adds: no other binding of the caller comes after them.
    else if (own.has(x)) apart ??= x;
  });
  if (apart !== null) return `the edges of ${index.name(apart)} are not in the order a resolution adds them`;
  // The run of object hand-off edges ending the bindings' block: [start, end), found by binary searches (its edges sit at queueing sites).
  const [first, end] = bindingsBlock(count, block);
  const sites = new Set<number>();
  for (let i = 0; i < queued.length; i += QUEUED_STRIDE) sites.add(queued[i]! * SPAN + queued[i + 1]!);
  const keyAt = (e: number): number => at.from.at(e) * SPAN + at.site.at(e);
  const handOff = (e: number): boolean => at.kind.at(e) === DISPATCH && at.deferred.at(e) === 1 && sites.has(keyAt(e));
  const search = (lo: number, hi: number, past: (e: number) => boolean): number => {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (past(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const start = search(first, end, handOff);
  const evidence = new EvidenceAppender(edges);
  const writer = (rows: WrittenEdge[]) => edgeRowsWriter(rows, DISPATCH, 1);
  const splices: EdgeSplice[] = [];
  for (const [k, rows] of bySite) {
    const caller = Number(k.slice(0, k.indexOf(':')));
    const site = Number(k.slice(k.indexOf(':') + 1));
    const ownRuns = own.get(caller) ?? [];
    const mine = ownRuns.filter((e) => at.site.at(e) === site);
    if (mine.length === 0 && rows.length === 0) continue;
    // Among the caller's own runs by call site; a caller with none, among the others' by node.
    const later = ownRuns.find((e) => at.site.at(e) > site);
    const others = ownRuns.filter((e) => at.site.at(e) !== site);
    const place = later ?? (others.length ? others[others.length - 1]! + 1 : search(start, end, (e) => keyAt(e) > caller * SPAN + site));
    const [from, to] = mine.length ? [mine[0]!, mine[mine.length - 1]! + 1] : [place, place];
    if (to - from !== mine.length) return `the edges of ${index.name(caller)} are not in the order a resolution adds them`;
    splices.push({ start: from, end: to, count: rows.length, site, write: writer(rows.map((m) => ({ ...m, proof: evidence.set(m.evidence) }))) });
  }
  applySplices(edges, splices);
  evidence.finish();
  return null;
}
