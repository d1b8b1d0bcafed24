import type { CodeIndex } from '../index/code-index.js';
import type { BindingFact, FileFacts, TypeExpr } from '../types/facts.js';
import { directTargets, macroShadowing } from './bind-direct.js';
import type { BindingTable } from './binding-table.js';
import type { LoadStore } from './slot-flow-record.js';
import { kindId } from './edge-kind.js';
import type { EdgeList, Evidence } from './edge-list.js';
import { type Slot, slotKey, type TypeModel } from './type-model.js';
import type { FlowStores, FlowValue } from './bind-flows.js';
import { surveyed } from './site-survey.js';

/** A pointer store (BindingFact.pointer) and the file id it is written in; or the functions an out-parameter or a return value put there (FlowStores). */
type Store = { file: number; b: BindingFact; values?: undefined } | { file: number; values: FlowValue[]; b?: undefined };

/**
 * Names of the file-scope variables of `files` (FileFacts.globals) that are no typedef and no
 * object-like alias macro: a call by such a name, when it binds to no function, goes through a
 * global function pointer.
 */
export function pointerVariableNames(files: readonly FileFacts[]): ReadonlySet<string> {
  // Asked for twice while resolving and once more for the call-site summary, of the same facts: made once per array of them.
  let names = pointerNamesOf.get(files);
  if (!names) pointerNamesOf.set(files, (names = namesOfPointers(files)));
  return names;
}

/** pointerVariableNames by the facts array they were made from (facts are not changed once indexed). */
const pointerNamesOf = new WeakMap<readonly FileFacts[], ReadonlySet<string>>();

function namesOfPointers(files: readonly FileFacts[]): Set<string> {
  const names = new Set<string>();
  const other = new Set<string>();
  for (const f of files) {
    for (const g of f.globals) names.add(g.name);
    for (const [t] of f.typedefs) other.add(t);
    for (const m of f.aliasMacros ?? []) other.add(m);
  }
  for (const n of other) names.delete(n);
  return names;
}

/** The name of parameter `param` of function node `node` ('' when the facts have no such parameter). */
function parameterName(index: CodeIndex, node: number, param: number): string {
  return index.files[index.nodeFile[node]!]!.functions[index.nodeItem[node]!]?.params[param]?.name ?? '';
}

/** `${node}:${site}` of a call site. */
export const siteKey = (node: number, site: number): string => `${node}:${site}`;

/**
 * Calls through pointer variables and arrays of function pointers (`fp()`, `(*fp)()`,
 * `tbl[i](...)`), and through parameters the body stores into, bound to the functions stored in them (BindingFact.pointer): 'ops-initializer'
 * for an initializer, 'ops-assignment' for an assignment, each store its evidence. The stores of
 * a local are those of the same function; of a file-scope `static` variable, those of its file;
 * of another file-scope variable, those of every file where that name is not a static.
 * `globalCalls` are the calls by name (siteKey) to a name no function defines but a file-scope
 * variable does. A load of a member (`fp = x->f`, BindingFact.from) binds to what `table` binds
 * to that member's slot (evaluated with `types`), each edge of the binding's own kind, its
 * evidence the load and then the binding's evidence. Arrays the profile lists as dispatch tables are left to those. `flows`
 * adds the functions out-parameters and return values put into variables (resolveFlows), as
 * 'ops-assignment' with their own evidence. Returns the sites bound (and those a macro of the local's name takes: macroShadowing), so no weaker rule binds them again.
 * `callers`: the functions making calls other than by name alone (SiteSurvey.pointerCallers); every node is read without it.
 */
export function resolvePointerVariables(index: CodeIndex, edges: EdgeList, globalCalls: ReadonlySet<string>, types: TypeModel, table: BindingTable, flows?: FlowStores, callers?: Int32Array): Set<string> {
  const local = new Map<string, Store[]>();
  const global = new Map<string, Store[]>();
  const statics = new Set<string>();
  index.files.forEach((file, fileId) => {
    for (const g of file.globals) if (g.isStatic) statics.add(`${fileId}:${g.name}`);
    for (const b of file.bindings) {
      if (!b.pointer || !b.variable || b.call) continue;
      const key = b.pointer === 'local' ? `${fileId}:${b.inFunction}:${b.variable}` : b.variable;
      const map = b.pointer === 'local' ? local : global;
      const list = map.get(key) ?? [];
      list.push({ file: fileId, b });
      map.set(key, list);
    }
  });
  for (const [key, list] of flows?.local ?? []) local.set(key, [...(local.get(key) ?? []), ...list]);
  for (const [key, list] of flows?.global ?? []) global.set(key, [...(global.get(key) ?? []), ...list]);
  const globalStores = (name: string, file: number): Store[] => {
    const all = global.get(name) ?? [];
    return statics.has(`${file}:${name}`) ? all.filter((s) => s.file === file) : all.filter((s) => !statics.has(`${s.file}:${name}`));
  };
  const tableArrays = new Set(index.profile.dispatchTables.map((t) => t.array));
  const bound = new Set<string>();
  for (const node of surveyed(index, callers)) {
    if (index.isMacro(node)) continue;
    const file = index.nodeFile[node]!;
    const fn = index.name(node);
    index.calls(node).forEach((call, site) => {
      let stores: Store[] = [];
      if (call.var !== undefined && macroShadowing(index, file, call).length) {
        // A macro of the local's name is called instead (its edge is a call by name): no pointer rule binds it.
        bound.add(siteKey(node, site));
        return;
      }
      if (call.var !== undefined) stores = local.get(`${file}:${fn}:${call.var}`) ?? [];
      // A parameter the body gives a function too (`if (!open) open = f->f_op->open;`): its stores, beside what callers pass (propagateParams).
      else if (call.param !== undefined) stores = local.get(`${file}:${fn}:${parameterName(index, node, call.param)}`) ?? [];
      else if (call.array !== undefined && !tableArrays.has(call.array)) {
        stores = local.get(`${file}:${fn}:${call.array}`) ?? globalStores(call.array, file);
      } else if (call.name !== undefined && globalCalls.has(siteKey(node, site))) stores = globalStores(call.name, file);
      if (!stores.length) return;
      const byTarget = new Map<number, { kind: number; evidence: Evidence[] }>();
      // With a binding record, a site that loads a member keeps its stores in order (slot-flow-record.ts).
      const kept: LoadStore[] | null = table.watch?.loadSite && stores.some((st) => st.b?.from) ? [] : null;
      for (const { file: at, b, values } of stores) {
        if (values) {
          for (const v of values) {
            kept?.push({ target: v.target, kind: kindId('ops-assignment'), evidence: [v.evidence] });
            const entry = byTarget.get(v.target) ?? { kind: kindId('ops-assignment'), evidence: [] };
            entry.evidence.push(v.evidence);
            byTarget.set(v.target, entry);
          }
          continue;
        }
        const evidence: Evidence = { file: index.files[at]!.path, line: b.line, text: b.inFunction ? `${b.text} in ${b.inFunction}` : b.text ?? `${b.variable} = ${b.fn}` };
        if (b.from) {
          const slot = loadedSlot(b.from, at, types);
          if (slot) kept?.push({ slot: slotKey(slot), evidence: [evidence] });
          for (const bound of slot ? table.forSlot(slot, 'load') : []) {
            const entry = byTarget.get(bound.target) ?? { kind: kindId(bound.kind), evidence: [] };
            entry.evidence.push(evidence, ...bound.evidence);
            byTarget.set(bound.target, entry);
          }
          continue;
        }
        for (const target of directTargets(index, at, b.fn)) {
          if (index.isMacro(target)) continue;
          kept?.push({ target, kind: kindId(b.how === 'init' ? 'ops-initializer' : 'ops-assignment'), evidence: [evidence] });
          const entry = byTarget.get(target) ?? { kind: kindId(b.how === 'init' ? 'ops-initializer' : 'ops-assignment'), evidence: [] };
          entry.evidence.push(evidence);
          byTarget.set(target, entry);
        }
      }
      if (kept) table.watch!.loadSite!(node, site, kept, byTarget.size > 0);
      if (!byTarget.size) return;
      bound.add(siteKey(node, site));
      for (const [target, { kind, evidence }] of [...byTarget].sort((p, q) => p[0] - q[0])) edges.add(node, target, kind, site, call.line, evidence);
    });
  }
  return bound;
}

/** The member a pointer load reads (BindingFact.from): null when its struct or member is unknown. */
function loadedSlot(from: { root: TypeExpr; path: string[] }, file: number, types: TypeModel): Slot | null {
  const holder = types.evaluate(from.root, file);
  return holder ? types.walk(holder, from.path) : null;
}
