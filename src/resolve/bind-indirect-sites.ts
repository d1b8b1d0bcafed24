import { tagOf } from './split-tags.js';
import type { CodeIndex } from '../index/code-index.js';
import type { CallFact } from '../types/facts.js';
import { directTargets } from './bind-direct.js';
import { siteKey } from './bind-pointer-vars.js';
import type { Binding, BindingTable } from './binding-table.js';
import { kindId } from './edge-kind.js';
import type { EdgeList, Evidence } from './edge-list.js';
import { FallbackFilter, MAX_FALLBACK_TARGETS, MAX_SIGNATURE_TARGETS, signatureEvidenceText } from './narrow-fallback.js';
import { type PointerSignature, type Slot, slotKey, type TypeModel } from './type-model.js';
import { addressTakenFunctions } from './address-taken.js';
import type { BindingRecorder } from './binding-record.js';
import { type SiteSurvey, surveyed } from './site-survey.js';
import { noteReceiverSteps } from './member-call-edits.js';
import { FIELD_SITE_DEFERRED, FIELD_SITE_HINTED } from './field-name-record.js';

const FIELD_NAME = kindId('field-name');
const SIGNATURE = kindId('signature');

/**
 * Calls through a struct member or a plain pointer: bound by the member's bindings, the
 * indirect-call wrapper's candidates, then (weaker) the member's name alone when its struct is
 * unknown, and last the signature fallback: the functions whose address is taken anywhere
 * (addressTakenFunctions) that fit the pointer's declared type when the facts hold it (a member
 * of a known struct nothing binds, a local, a file-scope pointer: narrowBySignature), else the
 * call's arity and argument types (narrowByAgreement); every fallback narrowed to the candidates that fit the call's arguments (FallbackFilter) and capped
 * (MAX_FALLBACK_TARGETS, MAX_SIGNATURE_TARGETS): a site over its cap makes no edge and is
 * recorded in `edges.overCap` with its candidate count. The edges of a call through a member the
 * profile declares deferred (by the struct the receiver evaluates to, or the one holding the
 * member) are marked deferred. Sites in `pointerBound` (siteKey), bound by the stores into a
 * pointer variable, are skipped; calls by the name of a file-scope pointer (`globalCalls`) that
 * no store binds get the signature fallback. With `survey`, only the calls of the functions it
 * lists as making pointer calls are read, and the functions named as arguments are its own.
 */
export function resolveIndirectSites(index: CodeIndex, edges: EdgeList, types: TypeModel, table: BindingTable, pointerBound: ReadonlySet<string> = new Set(), globalCalls: ReadonlySet<string> = new Set(), record?: BindingRecorder, survey?: Pick<SiteSurvey, 'pointerCallers' | 'argumentTaken'>): void {
  const filter = new FallbackFilter(index, types);
  // The functions taken by ways other than the table, apart, for the binding record (slot-flow-record.ts).
  const extra = record ? new Set<number>() : undefined;
  const byArity = filter.byArity([...addressTakenFunctions(index, table, extra, survey?.argumentTaken)].filter((target) => !index.isMacro(target)));
  const beyond = record ? new Set<number>([...table.takenLater!, ...extra!]) : undefined;
  const tableArrays = new Set(index.profile.dispatchTables.map((t) => t.array));
  const deferred = new Set(index.profile.deferredCalls.map((d) => `${d.holder}.${d.field}`));
  // The profile names tags as written: a split tag's qualified name (split-tags.ts) counts as its tag.
  const isDeferred = (holder: string | null, field: string | undefined, slot: Slot | null): boolean => !!holder && (deferred.has(`${tagOf(holder)}.${field}`) || (!!slot && deferred.has(`${tagOf(slot.holder)}.${slot.field}`)));
  // The callers with a call by a file-scope pointer's name: every other call by name is skipped without making its siteKey (most of a kernel's millions of sites).
  const globalCallers = new Set([...globalCalls].map((key) => Number(key.slice(0, key.indexOf(':')))));
  for (const node of surveyed(index, survey?.pointerCallers)) {
    if (index.isMacro(node)) continue;
    const file = index.nodeFile[node]!;
    const mayCallGlobal = globalCallers.has(node);
    index.calls(node).forEach((call, site) => {
      if (call.param !== undefined || (call.name !== undefined && !call.hints && !mayCallGlobal) || tableArrays.has(call.array)) return;
      const key = siteKey(node, site);
      if ((call.name !== undefined && !call.hints && !globalCalls.has(key)) || pointerBound.has(key)) return;
      const added = new Set<number>();
      const first = edges.length;
      const holder = call.field !== undefined && call.recv ? types.evaluate(call.recv, file) : null;
      const slot = holder ? types.slot(holder, call.field!) : null;
      let bound = bindingsFor(call, holder, slot, types, table);
      const caller = () => index.files[file]!.functions[index.nodeItem[node]!]!;
      if (record && call.field !== undefined) {
        if (slot) {
          record.siteRead(node, site, slotKey(slot));
          // What an added call through a member is evaluated by (add-member-sites.ts).
          noteReceiverSteps(types, call.recv!, file, index.files[file]!.path, (key, value) => record.receiverStep(key, value));
          record.memberSlot(holder!, call.field, slotKey(slot));
        } else if (!(holder && types.isStruct(holder))) {
          const flags = (call.hints ? FIELD_SITE_HINTED : 0) | (isDeferred(holder, call.field, slot) ? FIELD_SITE_DEFERRED : 0);
          record.fieldRead(node, site, call.field, filter.argTags(caller(), call), flags, () => table.fieldPairs(call.field!));
        }
      }
      if (bound.length && !slot) {
        const tags = filter.argTags(caller(), call);
        bound = bound.filter((b) => filter.fits(b.target, tags));
        if (bound.length > MAX_FALLBACK_TARGETS) {
          // With a wrapper's hints, the hinted targets still bind; the guesses are dropped.
          if (!call.hints) edges.addOverCap(node, site, FIELD_NAME, bound.length);
          bound = [];
        }
      }
      emitHinted(index, node, call, bound, (target, kind, evidence) => {
        edges.add(node, target, kind, site, call.line, evidence);
        added.add(target);
      });
      let candidates = bound;
      // Last, the signature fallback: a plain pointer, or a member of a known struct nothing binds.
      if (candidates.length === 0 && !added.size && (call.field === undefined || slot)) {
        const tags = filter.argTags(caller(), call);
        const declared = declaredSignature(call, slot, types);
        const fits = declared && declared.params.length === call.args.length ? filter.narrowBySignature(byArity, declared, tags) : filter.narrowByAgreement(byArity, call.args.length, tags);
        const n = call.args.length;
        const how = declared ? `its base types agree with the declared pointer type: ${baseTypes(declared)} (pointers not compared)` : `${n} parameter${n === 1 ? '' : 's'}, an argument's struct agrees`;
        if (record) record.fallbackSite(node, site, filter, declared && declared.params.length === call.args.length ? declared : null, tags, how, isDeferred(holder, call.field, slot));
        if (fits.length > MAX_SIGNATURE_TARGETS) edges.addOverCap(node, site, SIGNATURE, fits.length);
        else candidates = fits.map((target) => ({ target, kind: 'signature', evidence: [{ file: index.file(target), line: index.nodeLine[target]!, text: signatureEvidenceText(how) }] }));
      }
      for (const b of candidates) {
        if (added.has(b.target)) continue;
        added.add(b.target);
        edges.add(node, b.target, kindId(b.kind), site, call.line, b.evidence);
      }
      if (isDeferred(holder, call.field, slot)) edges.markDeferred(first, edges.length);
    });
  }
  if (record) record.taken(byArity, beyond!, filter, (n) => index.isMacro(n), extra!);
}

const HINT = kindId('indirect-hint');

/** The words of an indirect-hint edge's evidence that the wrapper names its target. */
const HINT_WORDS = ' named as a likely target by the indirect-call wrapper';

/** The evidence that an indirect-call wrapper at `file:line` names `target` (`ip_output named as a likely target by the indirect-call wrapper`). */
export const hintEvidence = (file: string, line: number, target: string): Evidence => ({ file, line, text: `${target}${HINT_WORDS}` });

/** True for evidence hintEvidence made. */
export const isHintEvidence = (e: Evidence): boolean => e.text.endsWith(HINT_WORDS);

/**
 * The edges of the indirect-call wrapper's candidates of a call by `node` (CallFact.hints), in
 * order: each function a hint names (as a call by name from the caller's file would bind it), its
 * evidence the member's bindings of it (`bound`) when it has some, else the wrapper's naming.
 */
export function emitHinted(index: CodeIndex, node: number, call: CallFact, bound: readonly Binding[], emit: (target: number, kind: number, evidence: Evidence | Evidence[]) => void): void {
  for (const hint of call.hints ?? []) {
    for (const target of directTargets(index, index.nodeFile[node]!, hint)) {
      const proof = bound.find((b) => b.target === target)?.evidence;
      emit(target, HINT, proof ?? hintEvidence(index.file(node), call.line, hint));
    }
  }
}

/**
 * A declared pointer type's base types in words (`it returns int and takes struct net_device`):
 * a PointerSignature keeps no pointer level, so it is not printed as a C type, which a reader
 * would take for the declaration itself (`int (*)(struct net_device)` takes no struct by value).
 */
function baseTypes(declared: PointerSignature): string {
  const takes = declared.params.length ? `takes ${declared.params.join(', ')}` : 'takes no parameter';
  return `it returns ${declared.returns || 'an unknown type'} and ${takes}`;
}

/**
 * The declared type of the pointer a call goes through, when the facts hold it: the member's
 * (its struct known), the local's (CallFact.ptrType), or the file-scope pointer's or array's.
 */
function declaredSignature(call: CallFact, slot: Slot | null, types: TypeModel): PointerSignature | null {
  if (slot) return types.memberSignature(slot);
  if (call.ptrType) return call.ptrType;
  const global = call.array ?? (call.var === undefined ? call.name : undefined);
  return global !== undefined ? types.globalSignature(global) : null;
}

/**
 * Bindings of the member a call goes through (`holder` is the struct the call's receiver
 * evaluates to, `slot` where the member lives); by field name alone when the struct is unknown.
 */
function bindingsFor(call: CallFact, holder: string | null, slot: Slot | null, types: TypeModel, table: BindingTable): Binding[] {
  if (call.field === undefined) return [];
  if (slot) return table.forSlot(slot);
  if (holder && types.isStruct(holder)) return [];
  return table.forFieldName(call.field).map((b) => ({ ...b, kind: 'field-name' }));
}
