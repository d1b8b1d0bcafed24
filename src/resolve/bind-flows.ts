import { tagOf } from './split-tags.js';
import type { CodeIndex } from '../index/code-index.js';
import type { BindingFact, CallFact } from '../types/facts.js';
import { directTargets } from './bind-direct.js';
import { siteKey } from './bind-pointer-vars.js';
import type { BindingTable } from './binding-table.js';
import { kindId } from './edge-kind.js';
import type { EdgeList, Evidence } from './edge-list.js';
import type { TypeModel } from './type-model.js';
import { flat } from '../util/flat-text.js';
import { surveyed } from './site-survey.js';

const DIRECT = kindId('direct');
const ASSIGNMENT = kindId('ops-assignment');

/** A function that reaches a pointer variable through an out-parameter or a return value, and the evidence of its way there. */
export interface FlowValue {
  target: number;
  evidence: Evidence;
}

/**
 * Functions that out-parameters and return values put into pointer variables, keyed as
 * resolvePointerVariables keys stores: `file:function:variable` for a local, the name for a
 * file-scope variable; `file` is where the store happens (for static variables).
 */
export interface FlowStores {
  local: Map<string, { file: number; values: FlowValue[] }[]>;
  global: Map<string, { file: number; values: FlowValue[] }[]>;
  /** Call sites (siteKey) of calls of what a call returns (`pick()()`) that this bound. */
  bound: Set<string>;
  /** [function node, parameter] of every out-parameter stored through (for EdgeList.paramUses). */
  outParams: [number, number][];
}

/** A fact of a function node, with the file it is written in. */
interface NodeFact {
  file: number;
  b: BindingFact;
}

/** A function a flow yields, before its destination is known: the target and how it got there, in words. */
interface Yield {
  target: number;
  text: string;
}

/**
 * Out-parameters and return values (issue 12, kind 3). A function that stores a function through
 * a pointer parameter (`*slot = fn`, BindingFact.out) fills what its callers pass there: a
 * variable (`install(&cb, f)`) or a member (`fill(&dev->cb)`, CallFact.refs). A function that
 * returns a function (BindingFact.returned: a name, a parameter, or a local and what is stored
 * in it) fills what its callers store its result in (BindingFact.call: `g = pick()`, `x->f =
 * pick()`), and a call of its result (`pick()()`, CallFact.ret) calls those functions. Members
 * go into `table` as 'ops-assignment'; variables come back as FlowStores for
 * resolvePointerVariables; calls of a result get their 'ops-assignment' edges here. Each
 * evidence is at the caller's store or call and tells the whole chain. Reads the direct edges
 * of `edges` (calls by name) to find callers; one level: a wrapper passing its own parameter on is
 * not followed. `globalNames` are the file-scope pointer variables (pointerVariableNames).
 * `resultCallers`: the functions calling a call's result (SiteSurvey.resultCallers); every node is read without it.
 */
export function resolveFlows(index: CodeIndex, edges: EdgeList, types: TypeModel, table: BindingTable, globalNames: ReadonlySet<string>, resultCallers?: Int32Array): FlowStores {
  const outs = new Map<number, NodeFact[]>();
  const rets = new Map<number, NodeFact[]>();
  const localStores = new Map<string, NodeFact[]>();
  const calls: NodeFact[] = [];
  index.files.forEach((file, fileId) => {
    for (const b of file.bindings) {
      if (b.call) calls.push({ file: fileId, b });
      else if (b.pointer === 'local' && !b.from) push(localStores, `${fileId}:${b.inFunction}:${b.variable}`, { file: fileId, b });
      if (b.out === undefined && !b.returned) continue;
      for (const node of index.nodesNamed(b.inFunction ?? '')) {
        if (index.nodeFile[node] === fileId && !index.isMacro(node)) push(b.returned ? rets : outs, node, { file: fileId, b });
      }
    }
  });
  const where = (f: NodeFact): string => `${index.files[f.file]!.path}:${f.b.line}`;
  const named = (file: number, name: string | null | undefined): number[] => (name ? directTargets(index, file, name).filter((t) => !index.isMacro(t)) : []);

  /** What `fn` returns when called with `args` from `callerFile`. */
  const returned = (fn: number, args: readonly (string | null)[], callerFile: number): Yield[] => {
    const out: Yield[] = [];
    const name = index.name(fn);
    for (const r of rets.get(fn) ?? []) {
      if (r.b.param !== undefined) {
        for (const target of named(callerFile, args[r.b.param])) out.push({ target, text: flat`${index.name(target)} passed to ${name} and returned (${where(r)})` });
      } else if (r.b.returned === 'local') {
        for (const s of localStores.get(`${r.file}:${name}:${r.b.fn}`) ?? []) {
          for (const target of named(s.file, s.b.fn)) out.push({ target, text: flat`${index.name(target)} stored in ${r.b.fn} (${where(s)}) and returned by ${name} (${where(r)})` });
        }
      } else {
        for (const target of named(r.file, r.b.fn)) out.push({ target, text: flat`${index.name(target)} returned by ${name} (${where(r)})` });
      }
    }
    return out;
  };

  const flows: FlowStores = { local: new Map(), global: new Map(), bound: new Set(), outParams: [] };
  for (const [node, list] of outs) for (const o of list) flows.outParams.push([node, o.b.out!]);
  /** A variable `variable` of `fn` (in `file`) holding `values`: a local unless it names a file-scope pointer variable that `fn` never calls as a local. */
  const storeInto = (file: number, fn: number, variable: string, local: boolean, values: FlowValue[]): void => {
    if (!values.length) return;
    if (local) push(flows.local, `${file}:${index.name(fn)}:${variable}`, { file, values });
    else push(flows.global, variable, { file, values });
  };

  // Out-parameters, at each call by name of a function that stores through one.
  for (let e = 0; e < edges.length; e++) {
    if (edges.kind.get(e) !== DIRECT) continue;
    const stores = outs.get(edges.to.get(e));
    if (!stores) continue;
    const caller = edges.from.get(e);
    const callerFile = index.nodeFile[caller]!;
    const call = index.calls(caller)[edges.site.get(e)]!;
    const callee = index.name(edges.to.get(e));
    for (const o of stores) {
      const at = o.b.out!;
      const targets = o.b.param !== undefined ? named(callerFile, call.args[o.b.param]) : named(o.file, o.b.fn);
      const how = (t: number): string => `${index.name(t)} stored into *${o.b.root.k === 'global' ? o.b.root.name : 'slot'} by ${callee} (${where(o)})`;
      const evidence = (t: number, passed: string): Evidence => ({ file: index.file(caller), line: call.line, text: flat`${how(t)}, passed as &${passed} by ${index.name(caller)}` });
      const ref = call.refs?.[at];
      if (ref) {
        const holder = types.evaluate(ref.root, callerFile);
        const slot = holder ? types.walk(holder, ref.path) : null;
        if (slot) for (const t of targets) table.add(slot, t, 'ops-assignment', evidence(t, `${tagOf(slot.holder)}.${slot.field}`));
        continue;
      }
      const variable = call.args[at];
      if (!variable || isParam(index, caller, variable)) continue;
      storeInto(callerFile, caller, variable, isLocal(index, caller, variable, globalNames), targets.map((t) => ({ target: t, evidence: evidence(t, variable) })));
    }
  }

  // Results stored: `g = pick()`, `fp = pick(a)`, `x->f = pick()`.
  for (const { file, b } of calls) {
    const fn = b.inFunction ?? '';
    const values: { target: number; evidence: (into: string) => Evidence }[] = [];
    for (const callee of named(file, b.fn)) {
      for (const y of returned(callee, b.call!.args, file)) values.push({ target: y.target, evidence: (into) => ({ file: index.files[file]!.path, line: b.line, text: flat`${y.text}, stored in ${into} by ${fn}` }) });
    }
    if (!values.length) continue;
    if (b.pointer) {
      const list = values.map((v) => ({ target: v.target, evidence: v.evidence(b.variable!) }));
      if (b.pointer === 'local') push(flows.local, `${file}:${fn}:${b.variable}`, { file, values: list });
      else push(flows.global, b.variable!, { file, values: list });
      continue;
    }
    const holder = types.evaluate(b.root, file);
    const slot = holder ? types.walk(holder, b.path) : null;
    if (slot) for (const v of values) table.add(slot, v.target, 'ops-assignment', v.evidence(`${tagOf(slot.holder)}.${slot.field}`));
  }

  // Calls of a result: `pick()()`, with the arguments of the inner call (the call by that name at the same place).
  for (const node of surveyed(index, resultCallers)) {
    if (index.isMacro(node)) continue;
    const file = index.nodeFile[node]!;
    const all = index.calls(node);
    all.forEach((call, site) => {
      if (call.ret === undefined) return;
      const inner = all.find((c) => c.name === call.ret && c.line === call.line && c.col === call.col);
      const byTarget = new Map<number, Evidence[]>();
      for (const callee of named(file, call.ret)) {
        for (const y of returned(callee, inner?.args ?? [], file)) {
          const list = byTarget.get(y.target) ?? [];
          list.push({ file: index.file(node), line: call.line, text: flat`${y.text}, called at once by ${index.name(node)}` });
          byTarget.set(y.target, list);
        }
      }
      if (!byTarget.size) return;
      flows.bound.add(siteKey(node, site));
      for (const [target, evidence] of [...byTarget].sort((p, q) => p[0] - q[0])) edges.add(node, target, ASSIGNMENT, site, call.line, evidence);
    });
  }
  return flows;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** True when `name` is a parameter of function node `fn`. */
function isParam(index: CodeIndex, fn: number, name: string): boolean {
  const f = index.files[index.nodeFile[fn]!]!.functions[index.nodeItem[fn]!];
  return !!f?.params.some((p) => p.name === name);
}

/**
 * Whether `name`, passed by address from function node `fn`, is one of its locals: not a
 * file-scope pointer variable, or one `fn` calls as a local (CallFact.var).
 */
function isLocal(index: CodeIndex, fn: number, name: string, globalNames: ReadonlySet<string>): boolean {
  if (!globalNames.has(name)) return true;
  return index.calls(fn).some((c: CallFact) => c.var === name);
}
