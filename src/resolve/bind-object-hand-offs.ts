import type { CodeIndex } from '../index/code-index.js';
import type { ObjectHandOffRule } from '../profiles/profile.js';
import type { CallFact, FunctionFact, TypeExpr } from '../types/facts.js';
import { directTargets } from './bind-direct.js';
import { kindId } from './edge-kind.js';
import type { EdgeList, Evidence } from './edge-list.js';
import { surveyed } from './site-survey.js';
import { tagOf } from './split-tags.js';
import type { KeyTypes, ObjectHandOffRecorder } from './object-hand-off-record.js';

/** What a call of a name does in the object hand-offs (Profile.objectHandOffs): registers a handler, or queues an object. */
export interface Role {
  /** Index of the rule in Profile.objectHandOffs: keys are matched within one rule. */
  rule: number;
  object: number;
  /** The handler's argument, for a registration; undefined for a queueing call. */
  handler?: number;
}

/** A key as matched (`struct e1000_adapter.reset_task`, `net/x.c:my_work`) and as evidence shows it (`&struct e1000_adapter.reset_task`, `&my_work`). */
interface ObjectKey {
  key: string;
  shown: string;
}

/** Every name the rules register or queue by, with its role. */
export function rolesOf(rules: readonly ObjectHandOffRule[]): Map<string, Role> {
  const roles = new Map<string, Role>();
  rules.forEach((r, rule) => {
    for (const q of r.queue) roles.set(q.name, { rule, object: q.object });
    for (const g of r.register) roles.set(g.name, { rule, object: g.object, handler: g.handler });
  });
  return roles;
}

/**
 * The key of the object a call passes at argument `at`, as the calling code sees it: a member's
 * address (CallFact.refs: `&adapter->reset_task`, `&the_local.tx_work`, `&a->dwork.work`) is the
 * struct its root variable has (a parameter's or a local's declared type, a global's) followed by
 * the member path, a wrapper's member dropped at the end (`&a->dwork.work` is `&a->dwork`); a
 * path left empty (`&dwork->work` with dwork a `struct delayed_work *`) names any object: no key.
 * A file-scope variable of one of the rule's object types passed by name (`&my_timer`) is keyed
 * by its name (with its file when static). A parameter or a local variable of the calling function
 * (CallFact.locals: `schedule_work(w)`, `INIT_WORK_ONSTACK(&work, fn)`), or anything else, names no
 * key: null.
 */
export function objectKey(index: CodeIndex, types: KeyTypes, file: number, fact: FunctionFact, call: CallFact, at: number, rule: ObjectHandOffRule): ObjectKey | null {
  const ref = call.refs?.[at];
  if (ref) {
    const fields = [...ref.path];
    let base: TypeExpr = ref.root;
    while (base.k === 'field') {
      fields.unshift(base.field);
      base = base.of;
    }
    const holder = types.evaluate(ref.root, file);
    const last = fields[fields.length - 1];
    if (holder && rule.wrappers?.some((w) => w.field === last && w.holder === tagOf(holder))) fields.pop();
    const root = fields.length ? types.evaluate(base, file) : null;
    if (!root) return null;
    const key = `${root}.${fields.join('.')}`;
    return { key, shown: `&${tagOf(root)}.${fields.join('.')}` };
  }
  const name = call.args[at];
  if (!name || fact.params.some((p) => p.name === name) || call.locals?.includes(at)) return null;
  const type = types.evaluate({ k: 'global', name }, file);
  if (!type || !rule.objects.includes(tagOf(type))) return null;
  const own = index.fileFacts(file).globals.find((g) => g.name === name);
  return { key: own?.isStatic ? `${index.filePath(file)}:${name}` : name, shown: `&${name}` };
}

/** The role of a call in the object hand-offs (`roles`: rolesOf), or undefined: a call by name, not of a macro's result. */
export function roleOf(roles: ReadonlyMap<string, Role>, call: CallFact): Role | undefined {
  return call.name === undefined || call.expandsTo ? undefined : roles.get(call.name);
}

/** A registration's evidence, at its call: `INIT_WORK(&struct e1000_adapter.reset_task, e1000_reset_task)`. */
export const registrationEvidence = (path: string, call: CallFact, shown: string, fn: string): Evidence => ({ file: path, line: call.line, text: `${call.name}(${shown}, ${fn})` });

/** The edges each queueing call of a key makes: one per handler its registrations bind (`byTarget`), ascending, with their evidence. */
export const handlerEdges = (byTarget: ReadonlyMap<number, Evidence[]>): [number, Evidence[]][] => [...byTarget].sort((a, b) => a[0] - b[0]);

/**
 * Work handed off by an object (Profile.objectHandOffs): each call of a queueing function whose
 * object has a key (objectKey) some registration files a handler under
 * (`schedule_work(&adapter->reset_task)` in e1000_tx_timeout, `INIT_WORK(&adapter->reset_task,
 * e1000_reset_task)` in e1000_sw_init, drivers/net/ethernet/intel/e1000/e1000_main.c) adds a
 * deferred 'dispatch-table' edge from the queueing function to each such handler, at the queueing
 * call's site, its evidence the registrations (file, line, `INIT_WORK(&struct
 * e1000_adapter.reset_task, e1000_reset_task)`). The handler is bound by name as the registering
 * file sees it (directTargets); a handler that is a parameter of the registering function (a
 * helper passed it) binds nothing. A key no registration names adds nothing: the handler is then
 * reached through the dispatcher, as before. Calls in macro bodies are not read. `callers`: the
 * functions calling a name a rule registers or queues by (SiteSurvey.handOffCallers); every node
 * is read without it. With `record`, notes the registrations and the type evaluations the keys
 * read (object-hand-off-record.ts), for a patch adding or removing a queueing call or a registration.
 */
export function resolveObjectHandOffs(index: CodeIndex, model: KeyTypes, edges: EdgeList, callers?: Int32Array, record?: ObjectHandOffRecorder): void {
  const rules = index.profile.objectHandOffs ?? [];
  if (rules.length === 0) return;
  const roles = rolesOf(rules);
  const types = record ? record.evaluator((e, file) => model.evaluate(e, file), (file) => index.filePath(file)) : model;
  const kind = kindId('dispatch-table');
  const handlers = rules.map(() => new Map<string, Map<number, Evidence[]>>());
  const queued: { node: number; site: number; line: number; rule: number; key: string }[] = [];
  for (const node of surveyed(index, callers)) {
    if (index.isMacro(node) || index.isExternal(node)) continue;
    const file = index.nodeFile[node]!;
    const fact = index.files[file]!.functions[index.nodeItem[node]!]!;
    fact.calls.forEach((call, site) => {
      const role = roleOf(roles, call);
      if (!role) return;
      const rule = rules[role.rule]!;
      const key = objectKey(index, types, file, fact, call, role.object, rule);
      if (!key) return;
      if (role.handler === undefined) {
        queued.push({ node, site, line: call.line, rule: role.rule, key: key.key });
        record?.queueing(node, site, role.rule, key.key);
        return;
      }
      const fn = call.args[role.handler];
      if (!fn || fact.params.some((p) => p.name === fn)) return;
      record?.registration(node, site, role.rule, key.key, key.shown, fn);
      const byTarget = handlers[role.rule]!.get(key.key) ?? new Map<number, Evidence[]>();
      for (const target of directTargets(index, file, fn)) {
        if (index.isMacro(target)) continue;
        const list = byTarget.get(target) ?? [];
        list.push(registrationEvidence(index.filePath(file), call, key.shown, fn));
        byTarget.set(target, list);
      }
      if (byTarget.size) handlers[role.rule]!.set(key.key, byTarget);
    });
  }
  for (const q of queued) {
    const byTarget = handlers[q.rule]!.get(q.key);
    if (!byTarget) continue;
    for (const [target, evidence] of handlerEdges(byTarget)) {
      edges.add(q.node, target, kind, q.site, q.line, edges.evidenceSet(evidence));
      edges.markDeferred(edges.length - 1, edges.length);
    }
  }
}

/** Every function or macro name an object hand-off rule of `rules` registers or queues by (`INIT_WORK`, `schedule_work`, ...). */
export function objectHandOffNames(rules: readonly ObjectHandOffRule[] | undefined): Set<string> {
  return new Set(rolesOf(rules ?? []).keys());
}
