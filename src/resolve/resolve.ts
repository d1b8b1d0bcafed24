import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeIndex } from '../index/code-index.js';
import type { CallFact } from '../types/facts.js';
import { directTargets } from './bind-direct.js';
import { type Binding, collectBindings } from './binding-table.js';
import { kindId } from './edge-kind.js';
import { EdgeList } from './edge-list.js';
import { type ParamUse, propagateParams } from './propagate-params.js';
import { TypeModel } from './type-model.js';

const DIRECT = kindId('direct');
const MACRO = kindId('macro');
/** Signature matching proposes targets only when this few functions fit. */
const MAX_SIGNATURE_TARGETS = 16;

/** Direct and macro calls: a call by name. */
function resolveDirect(index: CodeIndex, edges: EdgeList): void {
  for (let node = 0; node < index.nodeCount; node++) {
    const file = index.nodeFile[node]!;
    const fromMacro = index.isMacro(node);
    index.calls(node).forEach((call, site) => {
      if (call.name === undefined || call.hints) return;
      for (const target of directTargets(index, file, call.name)) {
        edges.add(node, target, fromMacro || index.isMacro(target) ? MACRO : DIRECT, site);
      }
    });
  }
}

/** Binds every call site of the index to its targets, direct and through pointers. */
export function resolveEdges(index: CodeIndex): EdgeList {
  const edges = new EdgeList();
  resolveDirect(index, edges);
  const types = new TypeModel(index.files);
  const { table, stores } = collectBindings(index, types);

  // Registration through parameters: `napi->poll = poll` binds what callers pass as `poll`.
  const storeUses: ParamUse[] = [];
  for (const s of stores) {
    const path = index.files[s.file]!.path;
    for (const node of index.nodesNamed(s.fn)) {
      if (index.nodeFile[node] === s.file && !index.isMacro(node)) storeUses.push({ node, param: s.param, where: `${path}:${s.line}`, slot: s.slot, user: s.fn });
    }
  }
  propagateParams(index, edges, storeUses, (use, caller, _site, target, line) => {
    const callerName = index.name(caller);
    const text = `${index.name(target)} passed by ${callerName} to ${index.name(use.node)}, stored in ${use.slot!.holder}.${use.slot!.field} by ${use.user} (${use.where})`;
    table.add(use.slot!, { target, kind: 'param-to-field', evidence: { file: index.file(caller), line, text } });
  });

  // Callbacks: a function (or macro) that calls its parameter reaches what its callers pass.
  const callUses: ParamUse[] = [];
  for (let node = 0; node < index.nodeCount; node++) {
    for (const call of index.calls(node)) {
      if (call.param !== undefined) callUses.push({ node, param: call.param, where: `${index.file(node)}:${call.line}`, user: index.name(node) });
    }
  }
  const callbackKind = kindId('callback-arg');
  const callbacks = new Set<string>();
  propagateParams(index, edges, callUses, (use, caller, site, target) => {
    const key = `${caller}:${site}:${target}`;
    if (callbacks.has(key)) return;
    callbacks.add(key);
    const callee = index.name(use.node);
    const chain = callee === use.user ? 'which calls it' : `which passes it on to ${use.user}, which calls it`;
    const text = `${index.name(target)} passed to ${callee}, ${chain} (${use.where})`;
    edges.add(caller, target, callbackKind, site, { file: index.file(caller), line: index.calls(caller)[site]!.line, text });
  });

  resolveIndirectSites(index, edges, types, table);
  resolveDispatchTables(index, edges);
  return edges;
}

function resolveIndirectSites(index: CodeIndex, edges: EdgeList, types: TypeModel, table: ReturnType<typeof collectBindings>['table']): void {
  const byArity = new Map<number, number[]>();
  for (const target of table.addressTaken) {
    if (index.isMacro(target)) continue;
    const f = index.files[index.nodeFile[target]!]!.functions[index.nodeItem[target]!]!;
    const list = byArity.get(f.params.length) ?? [];
    list.push(target);
    byArity.set(f.params.length, list);
  }
  const hintKind = kindId('indirect-hint');
  const tableArrays = new Set(index.profile.dispatchTables.map((t) => t.array));
  for (let node = 0; node < index.nodeCount; node++) {
    if (index.isMacro(node)) continue;
    const file = index.nodeFile[node]!;
    index.calls(node).forEach((call, site) => {
      if (call.param !== undefined || (call.name !== undefined && !call.hints) || tableArrays.has(call.array)) return;
      const added = new Set<number>();
      const bound = bindingsFor(call, types, table);
      for (const hint of call.hints ?? []) {
        for (const target of directTargets(index, file, hint)) {
          const proof = bound.find((b) => b.target === target)?.evidence;
          edges.add(node, target, hintKind, site, proof ?? { file: index.file(node), line: call.line, text: `${hint} named as a likely target by the indirect-call wrapper` });
          added.add(target);
        }
      }
      let candidates = bound;
      if (candidates.length === 0 && !added.size && call.field === undefined) {
        const fits = byArity.get(call.args.length) ?? [];
        if (fits.length <= MAX_SIGNATURE_TARGETS) {
          candidates = fits.map((target) => ({ target, kind: 'signature', evidence: { file: index.file(target), line: index.nodeLine[target]!, text: `address taken, ${call.args.length} parameters` } }));
        }
      }
      for (const b of candidates) {
        if (added.has(b.target)) continue;
        added.add(b.target);
        edges.add(node, b.target, kindId(b.kind), site, b.evidence);
      }
    });
  }
}

/** Bindings of the member a call goes through; by field name alone when the struct is unknown. */
function bindingsFor(call: CallFact, types: TypeModel, table: ReturnType<typeof collectBindings>['table']): Binding[] {
  if (call.field === undefined) return [];
  const holder = call.recv ? types.evaluate(call.recv) : null;
  const slot = holder ? types.slot(holder, call.field) : null;
  if (slot) return table.forSlot(slot);
  if (holder && types.isStruct(holder)) return [];
  return table.forFieldName(call.field).map((b) => ({ ...b, kind: 'field-name' }));
}

/** Build-time dispatch tables (the syscall table): the dispatcher reaches every entry. */
function resolveDispatchTables(index: CodeIndex, edges: EdgeList): void {
  const kind = kindId('dispatch-table');
  for (const rule of index.profile.dispatchTables) {
    // [node, call site] pairs that dispatch: named dispatchers, and calls through the table's array.
    const dispatchers: [number, number][] = rule.dispatchers.flatMap((name) => index.nodesNamed(name).map((n): [number, number] => [n, -1]));
    if (rule.array) {
      for (let node = 0; node < index.nodeCount; node++) {
        index.calls(node).forEach((call, site) => {
          if (call.array === rule.array) dispatchers.push([node, site]);
        });
      }
    }
    if (dispatchers.length === 0) continue;
    let text: string;
    try {
      text = readFileSync(join(index.root, rule.table), 'utf8');
    } catch {
      continue;
    }
    text.split('\n').forEach((line, i) => {
      const name = rule.entry(line);
      if (!name) return;
      for (const target of index.nodesNamed(name)) {
        const evidence = edges.addEvidence({ file: rule.table, line: i + 1, text: line.trim().replace(/\s+/g, ' ') });
        for (const [d, site] of dispatchers) edges.add(d, target, kind, site, evidence);
      }
    });
  }
}
