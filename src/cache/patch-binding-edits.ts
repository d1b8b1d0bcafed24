import type { CodeIndex } from '../index/code-index.js';
import { anonMover } from '../resolve/binding-record.js';
import type { BindingRecordSnapshot } from '../resolve/binding-record.js';
import type { EdgeSnapshot } from '../resolve/edge-list.js';
import { patchBindings } from '../resolve/patch-bindings.js';
import type { CallFact } from '../types/facts.js';
import type { EditedFile } from './patch-definitions.js';

/** Per old node of the edited files' kept definitions: old call site -> new call site, from the plans' body diffs. */
function siteMaps(before: CodeIndex, edited: EditedFile[]): Map<number, Map<number, number>> {
  const byFile = new Map(edited.map((t) => [t.at, t]));
  const maps = new Map<number, Map<number, number>>();
  const sitesOf = (was: CallFact[], now: CallFact[], kept: [CallFact, CallFact][]): Map<number, number> => {
    const oldSite = new Map(was.map((c, i) => [c, i]));
    const newSite = new Map(now.map((c, i) => [c, i]));
    return new Map(kept.map(([o, n]) => [oldSite.get(o)!, newSite.get(n)!]));
  };
  for (let node = 0; node < before.nodeCount; node++) {
    const t = byFile.get(before.nodeFile[node]!);
    if (!t) continue;
    const item = before.nodeItem[node]!;
    if (before.isMacro(node)) {
      const body = t.plan.diff.bodies.find((b) => b.macro && b.item === item);
      if (body) maps.set(node, sitesOf(t.before.macros[item]!.calls, t.after.macros[item]!.calls, body.kept));
      continue;
    }
    const k = t.plan.kept.findIndex(([o]) => o === item);
    const body = k >= 0 ? t.plan.diff.bodies.find((b) => !b.macro && b.item === k) : undefined;
    if (body) maps.set(node, sitesOf(t.before.functions[item]!.calls, t.after.functions[t.plan.kept[k]![1]]!.calls, body.kept));
  }
  return maps;
}

/**
 * The record with the names of the edited files' anonymous structs (`struct <anon net/x.c:907>`,
 * in slot keys, roots and binding keys) moved to their new lines, as remapEvidence moves them in the evidence.
 */
function withAnonMoved(record: BindingRecordSnapshot, edited: EditedFile[]): BindingRecordSnapshot {
  const moving = edited.filter((t) => t.plan.diff.anon.some(([o, n]) => o !== n));
  if (moving.length === 0) return record;
  let strings = record.strings;
  for (const t of moving) strings = strings.map(anonMover(t.after.path, t.plan.diff.anon));
  return { ...record, strings };
}

/**
 * Brings the binding record of a patched graph up to date, and re-binds the member call sites
 * whose slots the edits' plain bindings changed (resolve/patch-bindings.ts). `edges` may change in
 * place. Returns the new record (undefined when the graph keeps none, or when it cannot follow an
 * edit that changed no plain binding: later binding edits then resolve in full) and whether
 * edges changed; or the reason the edits cannot be patched.
 */
export function patchBindingEdits(record: BindingRecordSnapshot | undefined, patched: { index: CodeIndex; before: CodeIndex; edges: EdgeSnapshot; map: Int32Array | null }, edited: EditedFile[]): { record: BindingRecordSnapshot | undefined; rebound: boolean } | string {
  const changed = edited.find((t) => t.plan.bindingsChanged);
  if (!record) return changed ? `${changed.after.path}: it changed initializers or assignments of function pointers, and the cached graph keeps no record of its bindings` : { record: undefined, rebound: false };
  const result = patchBindings({ record: withAnonMoved(record, edited), index: patched.index, edges: patched.edges, map: patched.map, sites: siteMaps(patched.before, edited), edits: edited.map((t) => ({ file: t.at, before: t.before, after: t.after, pairs: t.plan.bindings, anon: t.plan.diff.anon })) });
  if (typeof result !== 'string') return result;
  return changed ? `${changed.after.path}: ${result}` : { record: undefined, rebound: false };
}
