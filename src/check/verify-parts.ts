/**
 * The small pieces verify.ts builds its findings from: a name's place as a key, the names a
 * document writes around each place, a finding at a place, sites as text, and the hints of a step
 * that leaves out static helpers or folds more frames than a stack trace leaves out.
 */
import type { Claim, ClaimName } from '../types/claims.js';
import type { Current, Finding, FindingRule, Severity } from '../types/findings.js';
import type { Site } from './call-sites.js';
import type { CallGraph } from '../graph/call-graph.js';
import { inlinedChain, MAX_INLINED, neighbourNames, type SkipEdge } from '../graph/graph-steps.js';
import { unbuiltNode } from '../api/unbuilt.js';
import type { Project } from '../api/project.js';
import { assemblyNote } from '../api/names.js';
import { otherArchNote } from '../api/other-arch.js';
import type { CodeIndex } from '../index/code-index.js';
import { NodeFlag } from '../index/node-flags.js';
import type { NodeRef } from '../types/results.js';

/** The key of a name's place in a document. */
export const nameKey = (doc: string, n: ClaimName): string => `${doc}\0${n.line}\0${n.column}\0${n.name}`;

/** For each name's place, the names the document puts just before it (its callers) and just after it (its callees). */
export function namesAround(claims: readonly Claim[]): Map<string, { before: Set<string>; after: Set<string> }> {
  const around = new Map<string, { before: Set<string>; after: Set<string> }>();
  const at = (doc: string, n: ClaimName) => {
    const key = nameKey(doc, n);
    let entry = around.get(key);
    if (!entry) around.set(key, (entry = { before: new Set(), after: new Set() }));
    return entry;
  };
  for (const c of claims) {
    at(c.doc, c.to).before.add(c.from.name);
    at(c.doc, c.from).after.add(c.to.name);
  }
  return around;
}

/** A finding of `claim` at the place of `at`. */
export function finding(claim: Claim, at: ClaimName, severity: Severity, rule: FindingRule, message: string, now: Current): Finding {
  return { doc: claim.doc, line: at.line, column: at.column, severity, rule, message, claim, now };
}

/** Up to 3 sites as `file:line`, `+N more` past them. */
export function sitesText(sites: readonly Site[]): string {
  const shown = sites.slice(0, 3).map((s) => `${s.file}:${s.line}`);
  return sites.length > 3 ? `${shown.join(', ')} (+${sites.length - 3} more)` : shown.join(', ');
}

/** Up to 3 names, `(+N more)` past them. */
const namesText = (names: readonly string[]): string => (names.length > 3 ? `${names.slice(0, 3).join(', ')} (+${names.length - 3} more)` : names.join(', '));

/**
 * For an unknown name with no close name: what the names written around it call or are called by
 * now (`; pipe_wake_readers is called by pipe_write`), where the missing step may be; '' when they
 * are unknown too or have none.
 */
export function neighboursText(graph: CallGraph, nodes: (name: string) => number[], around: { before: Set<string>; after: Set<string> }): string {
  const parts: string[] = [];
  for (const b of [...around.before].sort()) {
    const callees = neighbourNames(graph, nodes(b), 'callees');
    if (callees.length) parts.push(`${b} calls ${namesText([...new Set(callees)].sort())}`);
  }
  for (const a of [...around.after].sort()) {
    const callers = neighbourNames(graph, nodes(a), 'callers');
    if (callers.length) parts.push(`${a} is called by ${namesText([...new Set(callers)].sort())}`);
  }
  return parts.map((p) => `; ${p}`).join('');
}

/**
 * What a broken step's short current path adds when every function between its ends is static
 * (NodeFlag.Static): a document may leave such helpers out on purpose, as a compiler may inline
 * them. ` (new_sync_write and call_write_iter are static: if the document leaves them out on
 * purpose, write vfs_write -> ... -> sock_write_iter or pass --max-gap 2)`; only an arrow chain
 * can write `...`, so the other forms (a tree, cflow output, a diagram) get only the option. '' when a function between is global or none is between.
 */
export function staticGapHint(project: Project, claim: Claim, between: readonly NodeRef[]): string {
  if (between.length === 0 || !between.every((ref) => isStaticRef(project, ref))) return '';
  const names = between.map((r) => r.name);
  const listed = names.length === 1 ? `${names[0]} is` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are`;
  const how = claim.form === 'arrows' ? `write ${claim.from.name} -> ... -> ${claim.to.name} or ` : '';
  return ` (${listed} static: if the document leaves ${names.length === 1 ? 'it' : 'them'} out on purpose, ${how}pass --max-gap ${names.length})`;
}

/** The most frames foldLimitHint looks for a chain through: a step past it is no folded chain worth naming. */
const FOLD_HINT_MAX = 8;

/**
 * What a broken step of a stack trace (Claim.mayInline) adds when a chain of functions that leave
 * no frame (graph-steps.ts inlinedChain: static or short ones inlined, wrappers left by tail calls)
 * joins its ends but folds more than MAX_INLINED of them: `; a stack step folds at most 4 functions
 * that leave no frame; this one would fold 5 (ip_local_out, dst_output, ip_output,
 * ip_finish_output, __ip_finish_output): pass --max-gap 5 to accept it as skipped calls` (macros on
 * the way neither listed nor counted, as --max-gap counts). '' for another claim, or when no such
 * chain of at most FOLD_HINT_MAX frames joins them (by no edge `skip` names: a hand-off).
 */
export function foldLimitHint(index: CodeIndex, graph: CallGraph, claim: Claim, from: readonly number[], to: ReadonlySet<number>, skip?: SkipEdge): string {
  if (!claim.mayInline) return '';
  const chain = inlinedChain(graph, from, to, FOLD_HINT_MAX, unbuiltNode(index), skip);
  const folded = chain ? chain.slice(1, -1).filter((n) => !index.isMacro(n)) : [];
  if (folded.length <= MAX_INLINED) return '';
  const names = folded.map((n) => index.name(n));
  return `; a stack step folds at most ${MAX_INLINED} functions that leave no frame; this one would fold ${names.length} (${names.join(', ')}): pass --max-gap ${names.length} to accept it as skipped calls`;
}

/** True when the function `ref` names (by name, file and line) is static. */
function isStaticRef(project: Project, ref: NodeRef): boolean {
  const index = project.index;
  const node = project.nodes(ref.name).find((n) => index.file(n) === ref.file && index.nodeLine[n] === ref.line);
  return node !== undefined && (index.nodeFlags[node]! & NodeFlag.Static) !== 0;
}

/**
 * `claims` without the unsure ones (Claim.unsure) whose caller or callee the tree does not define
 * (a function or a macro of that name). A word without `_` counts as defined only when one
 * definition has it or one of them is not static: a plain word such as `probe`, which Linux 6.1's
 * drivers define as a static function 14 times, names none of them in prose (`probe -> open -> xmit`).
 */
export function sureClaims(project: Project, claims: readonly Claim[]): Claim[] {
  const index = project.index;
  const defined = (name: string): boolean => {
    const nodes = index.nodesNamed(name).filter((n) => !index.isExternal(n));
    if (nodes.length === 0) return false;
    return name.includes('_') || nodes.length === 1 || nodes.some((n) => (index.nodeFlags[n]! & NodeFlag.Static) === 0);
  };
  return claims.filter((c) => !c.unsure || (defined(c.from.name) && defined(c.to.name)));
}

/**
 * Where an unknown name is defined outside what the index reads, for check's finding: another
 * architecture's folder (`defined in arch/arm64/kernel/entry-common.c, which the index leaves out
 * (it keeps arch/x86: try --arch arm64)`; not asked with path limits, `limited`), or the indexed
 * architecture's assembly (assemblyNote); null otherwise.
 */
export function definedElsewhere(index: CodeIndex, name: string, limited: boolean): string | null {
  const arch = limited ? null : otherArchNote(index, name);
  if (arch?.place) return `defined in ${arch.place}, which the index leaves out (it keeps ${arch.kept}: try --arch ${arch.arch})`;
  return assemblyNote(index, name);
}
