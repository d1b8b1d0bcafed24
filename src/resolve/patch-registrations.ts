import type { CodeIndex } from '../index/code-index.js';
import type { FileFacts, RegistrationFact } from '../types/facts.js';
import { EvidenceAppender } from './append-evidence.js';
import { directTargets } from './bind-direct.js';
import { dispatchSite, registrationDispatchers, registrationEvidence } from './bind-registrations.js';
import { bindingsBlock, edgeBlock } from './caller-phases.js';
import { kindId } from './edge-kind.js';
import type { EdgeSnapshot, Evidence } from './edge-list.js';
import { applySplices, type EdgeSplice, edgeRowsWriter } from './edge-splice.js';
import { scanCallersEdges, storedColumn } from './stored-column.js';

const DISPATCH = kindId('dispatch-table');

/** One edited file as the registration patch reads it: its id in the patched index, its path, and its facts before and after (empty for a file added or deleted). */
export interface RegistrationEdit {
  at: number;
  path: string;
  before: FileFacts;
  after: FileFacts;
}

/** Whether two lists of registrations are the same but for their lines: macro, function, definer and condition, in order. */
export function sameRegistrations(a: readonly RegistrationFact[] = [], b: readonly RegistrationFact[] = []): boolean {
  return a.length === b.length && a.every((r, i) => r.macro === b[i]!.macro && r.fn === b[i]!.fn && r.definer === b[i]!.definer && r.cond === b[i]!.cond);
}

/**
 * Makes the registration edges of a patched graph what a full resolution makes of the edited
 * files (resolveRegistrations): for each rule (Profile.registrations) whose macros an edited file
 * uses in other registrations than before (`sameRegistrations` false), or whose registered
 * functions are among `names` (the names whose definitions the edits changed: a registration then
 * binds anew), the dispatcher's edges lose the evidence of those files' registrations as they
 * were and gain them as they are (bound by name from the file, as the resolution binds them); a
 * target left with no evidence loses its edge, a new one gains one. The evidence of the other files
 * is read from the dispatcher's edges as they stand: a registration elsewhere naming one of `names`
 * counts as a mention of it as a value (mention-table.ts), which the definition patch refuses
 * before this runs. Each dispatcher's registration edges are replaced where they stand (they are
 * contiguous: the resolution adds them one target after the other), or, for one that had none, put
 * before its hand-off edges (deferred 'dispatch-table' edges, which the resolution adds after
 * them), else after its last binding, else at the end of the bindings' block. Returns why not, or how
 * many dispatchers had their registration edges made again (for -v); `edges` change in place.
 * A dispatcher added or removed (its name among `names`) is refused: its edges would be all of them.
 */
export function patchRegistrations(index: CodeIndex, edges: EdgeSnapshot, edited: readonly RegistrationEdit[], names: ReadonlySet<string>): string | number {
  const splices: EdgeSplice[] = [];
  const evidence = new EvidenceAppender(edges);
  for (const rule of index.profile.registrations) {
    const macros = new Set(rule.macros);
    const of = (f: FileFacts): RegistrationFact[] => (f.registrations ?? []).filter((r) => macros.has(r.macro));
    const redo = edited.filter((t) => !sameRegistrations(of(t.before), of(t.after)) || [...of(t.before), ...of(t.after)].some((r) => names.has(r.fn)));
    if (names.has(rule.dispatcher)) {
      if (redo.length || registrationDispatchers(index, rule.dispatcher).length) return `a function named ${rule.dispatcher}, which calls every function ${rule.macros[0]} and kin register, was added or removed`;
      continue;
    }
    if (redo.length === 0) continue;
    const dispatchers = registrationDispatchers(index, rule.dispatcher);
    if (dispatchers.length === 0) continue;
    const redone = new Set(redo.map((t) => t.path));
    const own = registrationEdges(index, edges, dispatchers, macros, evidence);
    if (typeof own === 'string') return own;
    // The targets and their evidence from the first dispatcher's edges (every dispatcher has the same), the edited files' left out.
    const targets = new Map<number, Evidence[]>();
    for (const { target, list } of own.get(dispatchers[0]!)!.rows) {
      const kept = list.filter((e) => !redone.has(e.file));
      if (kept.length) targets.set(target, kept);
    }
    for (const t of redo) {
      for (const r of of(t.after)) {
        for (const target of directTargets(index, t.at, r.fn)) {
          if (index.isMacro(target)) continue;
          (targets.get(target) ?? targets.set(target, []).get(target)!).push(registrationEvidence(t.path, r));
        }
      }
    }
    const rows = [...targets].sort((a, b) => a[0] - b[0]);
    for (const d of dispatchers) {
      const { site, line } = dispatchSite(index, d);
      const { start, end } = own.get(d)!;
      if (start === end && rows.length === 0) continue;
      const written = rows.map(([target, list]) => ({ caller: d, target, site, line, proof: evidence.set(list) }));
      splices.push({ start, end, count: rows.length, write: edgeRowsWriter(written, DISPATCH, 0) });
    }
  }
  if (splices.length === 0) return 0;
  applySplices(edges, splices.sort((a, b) => a.start - b.start));
  evidence.finish();
  return splices.length;
}

/** A dispatcher's registration edges: [start, end) in the edge list (empty, where new ones would go, when it has none), each target with its evidence. */
interface OwnEdges {
  start: number;
  end: number;
  rows: { target: number; list: Evidence[] }[];
}

/**
 * Each dispatcher's registration edges as they stand: its 'dispatch-table' edges, not deferred,
 * whose every evidence is a registration by one of `macros` (`module_init(fn)`: a syscall table's
 * entries read otherwise). Why not, when they are not contiguous (not in a resolution's order).
 */
function registrationEdges(index: CodeIndex, edges: EdgeSnapshot, dispatchers: readonly number[], macros: ReadonlySet<string>, evidence: EvidenceAppender): Map<number, OwnEdges> | string {
  const at = { to: storedColumn(edges, 'to')!, kind: storedColumn(edges, 'kind')!, deferred: storedColumn(edges, 'deferred')!, proof: storedColumn(edges, 'proof')! };
  const count = at.to.length;
  const block = (e: number): number => edgeBlock(at.kind.at(e), index.isExternal(at.to.at(e)));
  const [, bindingsEnd] = bindingsBlock(count, block);
  const own = new Map<number, OwnEdges & { ids: number[]; lastBinding: number; firstHandOff: number }>(dispatchers.map((d) => [d, { start: bindingsEnd, end: bindingsEnd, rows: [], ids: [], lastBinding: -1, firstHandOff: -1 }]));
  const registration = /^(\w+)\(\w+\)$/;
  scanCallersEdges(edges, index.nodeCount, dispatchers, (e, d) => {
    if (block(e) !== 1) return;
    const o = own.get(d)!;
    // A hand-off (a softirq raised, work queued by its object: bind-hand-offs.ts, bind-object-hand-offs.ts) comes after every registration.
    if (at.kind.at(e) === DISPATCH && at.deferred.at(e) === 1) {
      if (o.firstHandOff < 0) o.firstHandOff = e;
      return;
    }
    o.lastBinding = e;
    const set = at.proof.at(e);
    if (at.kind.at(e) !== DISPATCH || set < 0) return;
    const list: Evidence[] = [];
    for (let i = edges.setStart[set]!; i < edges.setStart[set + 1]!; i++) list.push(evidence.at(edges.setItems[i]!));
    if (!list.every((x) => macros.has(registration.exec(x.text)?.[1] ?? ''))) return;
    o.ids.push(e);
    o.rows.push({ target: at.to.at(e), list });
  });
  for (const [d, o] of own) {
    if (o.ids.some((e, k) => k > 0 && e !== o.ids[k - 1]! + 1)) return `the registration edges of ${index.name(d)} are not in the order a resolution adds them`;
    if (o.ids.length) [o.start, o.end] = [o.ids[0]!, o.ids[o.ids.length - 1]! + 1];
    else o.start = o.end = o.firstHandOff >= 0 ? o.firstHandOff : o.lastBinding >= 0 ? o.lastBinding + 1 : bindingsEnd;
  }
  return own;
}
