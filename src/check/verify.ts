import { macroPointerCalls } from '../api/macro-pointer-calls.js';
import { parameterCalls } from '../api/parameter-calls.js';
import type { EdgeFilter, Project } from '../api/project.js';
import { leftOutText } from '../api/left-out-calls.js';
import { unbuiltNode } from '../api/unbuilt.js';
import { withoutEntryCode } from './old-entry.js';
import { EDGE_KINDS } from '../resolve/edge-kind.js';
import type { Claim, ClaimName } from '../types/claims.js';
import type { CheckResult, Current, Finding, FindingRule, Severity } from '../types/findings.js';
import type { NodeRef, PathResult } from '../types/results.js';
import { normaliseIdentifier } from '../util/c-identifier.js';
import { closestNames } from '../util/did-you-mean.js';
import { CallSites, sameFile, sameSite, type Site, siteText } from './call-sites.js';
import { type Pin, pinOf, pinText } from './pins.js';
import { definedElsewhere, finding, foldLimitHint, nameKey, namesAround, neighboursText, sitesText, staticGapHint, sureClaims } from './verify-parts.js';
import { directEdge, inlinedChain, MAX_INLINED, macroChain, neighbourNames, type SkipEdge } from '../graph/graph-steps.js';
import { handOffTest } from '../graph/hand-off-edges.js';
import { handedStep } from './hand-off-steps.js';
import { inlinedFrameNote } from './inlined-frame.js';
import { chainSummary } from '../render/text.js';

/** How a check is run. */
export interface VerifyOptions {
  /** A plain step may skip up to this many calls (a note says which); default 0. */
  maxGap?: number;
  /** Warnings become errors. */
  strict?: boolean;
  /** Which edges count (the query options --no-indirect and --min-confidence). */
  filter?: EdgeFilter;
  /** The path limits the tree was indexed under (--limit): a name not found may be defined outside them. */
  pathLimits?: string[];
}

/** Longest current path (in calls) a broken step's report offers as what the tree has now. */
export const NOW_DEPTH = 8;
/** A broken step's nearest path longer than this (in calls) is less telling than a renamed callee. */
export const SHORT_PATH = 3;

/** Edge kinds that are guesses rather than bindings found in the source (see the README's edge kinds). */
const WEAK_KINDS = new Set<string>(['field-name', 'signature']);
const WEAK_WHY: Record<string, string> = { 'field-name': 'a guess from the member name alone', signature: 'a guess from the signature: the number of parameters and the structs of the arguments' };

/**
 * Tests every claim against the project's call graph and returns the findings, sorted by
 * document, line and column. A step holds when the callee is reached from the caller in one
 * call (direct or through resolved dispatch), or through macros only (no trace shows a macro and
 * nobody writes one: `release_sock -> __wake_up` through `wake_up`); a `gap` step when any call path exists (the
 * cheapest-path search, unbounded: a depth bound multiplies its states by the bound); a `mayInline` step also through at most MAX_INLINED static functions, wrappers whose calls are tail calls (graph-steps.ts inlinedChain) or macros; any step
 * through up to `maxGap` skipped functions (a note; macros on the way are not counted). Unknown names are errors with the closest
 * names; a `file:line` given with the callee that matches neither a call site of the step nor
 * the callee's definition is a warning; a step through a weak kind only is a note.
 * `documents` is the list of documents read (for the result; claims carry their own).
 */
export function verifyClaims(project: Project, claims: readonly Claim[], documents: readonly string[], options: VerifyOptions = {}): CheckResult {
  const checked = withoutEntryCode(project.index, sureClaims(project, claims));
  const verifier = new Verifier(project, checked, options);
  const findings = checked.flatMap((c) => verifier.check(c));
  const strict = options.strict ? findings.map((f): Finding => (f.severity === 'warning' ? { ...f, severity: 'error' } : f)) : findings;
  return { documents: [...documents], steps: checked.length, findings: sortFindings(strict) };
}

/** Findings in report order (doc, line, column, rule, message), duplicates (one unknown name shared by two steps) once. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...findings].sort((a, b) => cmp(a.doc, b.doc) || a.line - b.line || a.column - b.column || cmp(a.rule, b.rule) || cmp(a.message, b.message));
  return sorted.filter((f, i) => i === 0 || !sameFinding(sorted[i - 1]!, f));
}

const sameFinding = (a: Finding, b: Finding): boolean => a.doc === b.doc && a.line === b.line && a.column === b.column && a.rule === b.rule && a.message === b.message;

class Verifier {
  private readonly graph;
  private readonly sites: CallSites;
  private readonly around: ReturnType<typeof namesAround>;
  /** The definitions a name's place in a document is pinned to (see pinned), by nameKey; absent when it is not. */
  private readonly pins = new Map<string, Pin>();
  /** knownFile's answers, by the file as written. */
  private readonly files = new Map<string, boolean>();
  /** The definitions a place means because the step into it calls only those (inferPin), and the caller's name; by nameKey. */
  private readonly called = new Map<string, { nodes: number[]; by: string }>();
  /** Whether an edge is a hand-off (graph/hand-off-edges.ts), which no step of a recorded stack takes. */
  private readonly handOff: (edge: number) => boolean;

  constructor(
    private readonly project: Project,
    claims: readonly Claim[],
    private readonly options: VerifyOptions,
  ) {
    this.graph = project.graph(options.filter ?? {});
    this.handOff = handOffTest(project.index, project.edges);
    // A place's pin from the step that ends there holds in the step that starts there too.
    for (const c of claims) {
      for (const n of [c.from, c.to]) {
        const pin = pinOf(this.project.index, n, this.nodes(n.name));
        if (pin) this.pins.set(nameKey(c.doc, n), pin);
      }
    }
    const callers = new Set(claims.filter((c) => c.to.site).flatMap((c) => this.nodesAt(c.doc, c.from)));
    this.sites = new CallSites(project.index, project.edges, callers);
    this.around = namesAround(claims);
  }

  /** Whether a document's file names a file of the index (sameFile), asked once per file written. */
  private knownFile(file: string): boolean {
    let known = this.files.get(file);
    if (known === undefined) this.files.set(file, (known = this.project.index.files.some((f) => sameFile(file, f.path))));
    return known;
  }

  private nodes(name: string): number[] {
    return this.project.index.nodesNamed(normaliseIdentifier(name));
  }

  /** The nodes of a name at its place in `doc`: its pinned definitions, else every node of the name. */
  private nodesAt(doc: string, n: ClaimName): number[] {
    const key = nameKey(doc, n);
    return this.pins.get(key)?.nodes ?? this.called.get(key)?.nodes ?? this.nodes(n.name);
  }

  /**
   * The edges a claim's steps may not take: for what a stack trace or an ftrace function graph
   * recorded (one stack), the hand-offs, whose callee runs later on another stack (e1000e's
   * e1000_watchdog_task arms the timer e1000_watchdog: never its frame's caller); none for a chain a document writes.
   */
  private skipOf(claim: Claim): SkipEdge {
    return claim.form === 'stack' || claim.form === 'function-graph' ? this.handOff : undefined;
  }

  /** True when any of `callers` calls any of `callees` by an edge or through macros only (a step that holds by a call), by no edge `skip` names. */
  private calls(callers: number[], callees: number[], skip: SkipEdge): boolean {
    const targets = new Set(callees);
    return directEdge(this.graph, callers, targets, skip) >= 0 || macroChain(this.graph, callers, targets, skip) !== null;
  }

  /**
   * After a step that holds by a call (directly or through macros): when the callee's name has
   * several definitions and the caller calls only some of them, the next step from this place
   * means those (a chain names one function at each place), unless the document placed it.
   */
  private inferPin(claim: Claim, fromNodes: number[], toNodes: number[]): void {
    const key = nameKey(claim.doc, claim.to);
    if (toNodes.length < 2 || this.pins.has(key) || this.called.has(key)) return;
    const called = toNodes.filter((t) => this.calls(fromNodes, [t], this.skipOf(claim)));
    if (called.length > 0 && called.length < toNodes.length) this.called.set(key, { nodes: called, by: claim.from.name });
  }

  /**
   * A step that fails for the definitions the document places but holds (directly or through
   * macros) for another same-named one: a site-mismatch warning saying which does; null otherwise.
   */
  private otherDefinition(claim: Claim, fromNodes: number[], toNodes: number[]): Finding | null {
    const { from, to } = claim;
    const allFrom = this.nodes(from.name);
    const allTo = this.nodes(to.name);
    if (allFrom.length === fromNodes.length && allTo.length === toNodes.length) return null;
    const index = this.project.index;
    const where = (nodes: number[]): string => sitesText(nodes.filter((x) => !index.isExternal(x)).map((x) => ({ file: index.file(x), line: index.nodeLine[x]! })));
    const placed = (n: ClaimName): string => `the document places ${n.name} ${pinText(this.pins.get(nameKey(claim.doc, n))!)}`;
    // A file written with the name (`net/ipv4/tcp.c:helper_flush()`, line 0) or a frame's module tag says which definition is meant, not where it stood once: an error.
    const graded = (n: ClaimName): [Severity, FindingRule] => (n.defined?.line === 0 || this.pins.get(nameKey(claim.doc, n))?.module !== undefined ? ['error', 'broken-call'] : ['warning', 'site-mismatch']);
    if (toNodes.length < allTo.length) {
      const called = allTo.filter((t) => this.calls(fromNodes, [t], this.skipOf(claim)));
      if (called.length) return finding(claim, to, ...graded(to), `${from.name} -> ${to.name}: ${placed(to)}, but ${from.name} calls the ${to.name} defined at ${where(called)}`, {});
    }
    if (fromNodes.length < allFrom.length) {
      const callers = allFrom.filter((f) => this.calls([f], toNodes, this.skipOf(claim)));
      const inferred = this.pins.has(nameKey(claim.doc, from)) ? undefined : this.called.get(nameKey(claim.doc, from));
      // Switching definitions in the middle of a chain is no chain: an error, where a written place may only be stale (a warning).
      if (callers.length && inferred) return finding(claim, to, 'error', 'broken-call', `${from.name} -> ${to.name}: the ${from.name} ${inferred.by} calls (${where(fromNodes)}) does not call ${to.name}; the ${from.name} defined at ${where(callers)} does`, {});
      if (callers.length) return finding(claim, to, ...graded(from), `${from.name} -> ${to.name}: ${placed(from)}, which does not call ${to.name}; the ${from.name} defined at ${where(callers)} does`, {});
    }
    return null;
  }

  check(claim: Claim): Finding[] {
    return [...this.stepFindings(claim), ...[claim.from, claim.to].flatMap((n) => this.movedDefinition(claim, n))];
  }

  /**
   * A name the document says is defined at a `file:line` (ClaimName.defined: cflow's `<... at
   * file:line>`, pathfind's `defined at`) where none of its definitions is now: a site-mismatch
   * warning giving where they are (the step is still checked, by file when the line moved). Both
   * names of every step are asked; a name shared by two steps is reported once (sortFindings).
   */
  private movedDefinition(claim: Claim, n: ClaimName): Finding[] {
    const written = n.defined;
    if (!written || this.pins.get(nameKey(claim.doc, n))?.definer) return [];
    const index = this.project.index;
    const defs = this.nodes(n.name).filter((x) => !index.isExternal(x)).map((x) => ({ file: index.file(x), line: index.nodeLine[x]! }));
    if (!defs.length || defs.some((d) => sameSite(written, d))) return [];
    const near = defs.filter((d) => sameFile(written.file, d.file));
    return [finding(claim, n, 'warning', 'site-mismatch', `${n.name} is defined at ${sitesText(near.length ? near : defs)}, not at ${siteText(written)} as written`, { sites: near.length ? near : defs })];
  }

  private stepFindings(claim: Claim): Finding[] {
    const { from, to } = claim;
    const fromNodes = this.nodesAt(claim.doc, from);
    const toNodes = this.nodesAt(claim.doc, to);
    if (!fromNodes.length || !toNodes.length) {
      const out: Finding[] = [];
      if (!fromNodes.length) out.push(this.unknown(claim, from));
      if (!toNodes.length) out.push(this.unknown(claim, to));
      return out;
    }
    const index = this.project.index;
    // Two names of one function (a system call's __se_sys_write and __x64_sys_write, frames of a syzbot stack): no step.
    if (from.name !== to.name && fromNodes.some((n) => toNodes.includes(n))) return [];
    if (fromNodes.every((n) => index.isExternal(n))) {
      return [finding(claim, to, 'warning', 'unverifiable', `${from.name} is defined in no indexed file, so ${from.name} -> ${to.name} cannot be checked`, {})];
    }
    const targets = new Set(toNodes);
    const skip = this.skipOf(claim);
    const edge = directEdge(this.graph, fromNodes, targets, skip);
    if (edge >= 0) {
      this.inferPin(claim, fromNodes, toNodes);
      return this.holds(claim, fromNodes, toNodes, EDGE_KINDS[this.project.edges.kind.get(edge)]!);
    }
    // Through macros only: no trace shows a macro and nobody writes one as a step.
    const bridged = macroChain(this.graph, fromNodes, targets, skip);
    if (bridged) {
      this.inferPin(claim, fromNodes, toNodes);
      return this.holds(claim, [bridged[0]!], toNodes, this.weakestKind(bridged, skip), [bridged[1]!]);
    }
    // Through the caller's own parameter, bound where its callers pass the callee (a stack trace's `bus_for_each_dev -> __driver_attach`).
    const passed = parameterCalls(index, this.project.edges, fromNodes, targets, (k) => this.graph.keep(k));
    if (passed.length) return this.holds(claim, fromNodes, toNodes, 'callback-arg', [], passed);
    // A chain a stack trace folds goes through code the configuration builds: no frame of other code is on its stacks.
    if (claim.mayInline && inlinedChain(this.graph, fromNodes, targets, MAX_INLINED, unbuiltNode(index), skip)) return [];
    const inlined = claim.mayInline ? inlinedFrameNote(claim, index, this.graph, fromNodes, targets, skip) : null;
    if (inlined) return [inlined];
    const other = this.otherDefinition(claim, fromNodes, toNodes);
    if (other) return [other];
    if (claim.gap) {
      if (this.path(claim)) return [];
      return [finding(claim, to, 'error', 'broken-call', `${from.name} does not reach ${to.name} (the document skips calls there): no call path from ${from.name} to ${to.name}`, {})];
    }
    const maxGap = this.options.maxGap ?? 0;
    const skipping = maxGap > 0 ? this.skipping(claim, maxGap, skip) : null;
    if (skipping) {
      const skipped = skipping.slice(1, -1).filter((n) => !n.macro).map((n) => n.name);
      const names = skipping.map((n) => n.name);
      const calls = `${skipped.length} call${skipped.length === 1 ? '' : 's'}`;
      return [finding(claim, to, 'note', 'skipped-calls', `${from.name} -> ${to.name} skips ${calls}: ${names.join(' -> ')}`, { path: names, skipped })];
    }
    // A pointer call in a macro the caller expands may be the step: nothing binds those (api/macro-pointer-calls.ts).
    const [inMacro] = macroPointerCalls(index, this.graph, fromNodes);
    if (inMacro) return [finding(claim, to, 'warning', 'unverifiable', `${from.name} -> ${to.name}: no call found, but ${from.name} expands ${inMacro.macro} (${inMacro.file}:${inMacro.line}), whose body calls ${inMacro.calls.map((c) => `${c}(...)`).join(', ')}, a pointer call pathfind does not bind`, {})];
    return [this.broken(claim, fromNodes, targets)];
  }

  /**
   * A broken step: what the tree has now is the nearest current path when it is short (at most
   * SHORT_PATH calls); past that, a callee of the caller with a name close to the callee's is the
   * likelier story (a call renamed: `sock_sendmsg` became `__sock_sendmsg`), given first, the path after it.
   */
  private broken(claim: Claim, fromNodes: number[], targets: ReadonlySet<number>): Finding {
    const { from, to } = claim;
    const found = this.pathFound(claim, NOW_DEPTH);
    const path = found ? found.nodes.map((n) => n.name) : null;
    // As printed: a step that hands work to another context is marked, as in path output.
    const { text: shown, pointers } = found?.edges.length ? chainSummary(found.edges) : { text: path?.join(' -> ') ?? '', pointers: 0 };
    const now: Current = path ? { path } : {};
    const calls = path ? path.length - 1 : Infinity;
    const close = calls > SHORT_PATH ? closestNames(to.name, neighbourNames(this.graph, fromNodes, 'callees'), 1)[0] : undefined;
    // A long path is how far the callee is, not what the tree does now: its pointer steps are the guesses in it.
    const away = path ? `${to.name} is ${calls} calls away${pointers ? `, ${pointers} of them through pointers` : ''}: ${shown}` : '';
    let tail: string;
    if (close !== undefined) {
      now.suggestions = [close];
      tail = `now ${from.name} calls ${close}, a name close to ${to.name}; ${path ? away : `${from.name} does not reach ${to.name} within ${NOW_DEPTH} calls`}`;
    } else if (!path) tail = `no call path from ${from.name} to ${to.name} within ${NOW_DEPTH} calls`;
    else {
      const skip = this.skipOf(claim);
      const handed = skip && handedStep(this.project, this.graph, found!, skip);
      const hint = handed ? `; ${handed.from.name} hands ${handed.to.name} over at ${handed.file}:${handed.line}: it runs later, on another stack` : staticGapHint(this.project, claim, found!.nodes.slice(1, -1));
      tail = calls > SHORT_PATH ? away : `now ${shown}${hint}`;
    }
    return finding(claim, to, 'error', 'broken-call', `${from.name} does not call ${to.name}${leftOutText(this.project.index, fromNodes, to.name)}; ${tail}${foldLimitHint(this.project.index, this.graph, claim, fromNodes, targets, this.skipOf(claim))}`, now);
  }

  /**
   * The path by which a step skips at most `maxGap` functions, macros on the way not counted (a
   * document never shows them): the cheapest path within maxGap + 1 calls, else the cheapest within
   * NOW_DEPTH calls when its functions in between are few enough; null when neither, or when the
   * path takes a deferred step only an edge `skip` names joins (a hand-off: a recorded stack never skips one).
   */
  private skipping(claim: Claim, maxGap: number, skip: SkipEdge): NodeRef[] | null {
    const functions = (p: NodeRef[]): number => p.slice(1, -1).filter((n) => !n.macro).length;
    const usable = (p: PathResult | null): NodeRef[] | null => (p && !(skip && handedStep(this.project, this.graph, p, skip)) ? p.nodes : null);
    const near = usable(this.pathFound(claim, maxGap + 1));
    if (near) return near;
    const far = maxGap + 1 < NOW_DEPTH ? usable(this.pathFound(claim, NOW_DEPTH)) : null;
    return far && functions(far) <= maxGap ? far : null;
  }

  /** The weakest kind (the latest in EDGE_KINDS) of the edges along a chain of node ids, found by no edge `skip` names. */
  private weakestKind(chain: readonly number[], skip: SkipEdge): string {
    let weakest = 0;
    for (let i = 1; i < chain.length; i++) weakest = Math.max(weakest, this.project.edges.kind.get(directEdge(this.graph, [chain[i - 1]!], new Set([chain[i]!]), skip)));
    return EDGE_KINDS[weakest]!;
  }

  /**
   * Findings of a step that holds through `kind`: a weak kind is a note, a `file:line` that
   * matches nothing a warning. `via` (a step through macros: the first macro) are further callees
   * whose call sites in the caller a written `file:line` may name; `more` further call sites (the
   * caller's calls of its parameter, for a step through one).
   */
  private holds(claim: Claim, fromNodes: number[], toNodes: number[], kind: string, via: number[] = [], more: readonly Site[] = []): Finding[] {
    const { from, to } = claim;
    const out: Finding[] = [];
    if (WEAK_KINDS.has(kind)) out.push(finding(claim, to, 'note', 'weak-binding', `${from.name} -> ${to.name} holds only through a ${kind} binding (${WEAK_WHY[kind]})`, { kind }));
    const written = to.site;
    if (written) {
      const seen = new Set<string>();
      const calls = [...this.sites.of(fromNodes, [...via, ...toNodes]).calls, ...more].filter((c) => !seen.has(`${c.file}:${c.line}`) && seen.add(`${c.file}:${c.line}`));
      const { definitions } = this.sites.of(fromNodes, toNodes);
      if (![...calls, ...definitions].some((s) => sameSite(written, s))) {
        const where = calls.length ? `the call is at ${sitesText(calls)}` : `${to.name} is defined at ${sitesText(definitions)}`;
        const what = this.knownFile(written.file) ? `${written.file}:${written.line} does not match` : `${written.file} is no file of the indexed tree`;
        out.push(finding(claim, to, 'warning', 'site-mismatch', `${from.name} -> ${to.name}: ${what}; ${where}`, { sites: [...calls, ...definitions] }));
      }
    }
    return out;
  }

  /** The cheapest current path (names) from the claim's caller to its callee, within `maxDepth` calls when given; null when none. */
  private path(claim: Claim, maxDepth?: number): string[] | null {
    return this.pathNodes(claim, maxDepth)?.map((n) => n.name) ?? null;
  }

  /** As path, with each node's reference (its name, and whether it is a macro). */
  private pathNodes(claim: Claim, maxDepth?: number): NodeRef[] | null {
    return this.pathFound(claim, maxDepth)?.nodes ?? null;
  }

  /** The cheapest path from the claim's caller to its callee within `maxDepth` calls under the filter, nodes and edges; null when none. */
  private pathFound(claim: Claim, maxDepth?: number): PathResult | null {
    const filter = this.options.filter ?? {};
    const [path] = this.project.findPaths({ ...filter, start: claim.from.name, target: claim.to.name, ...(maxDepth !== undefined ? { maxDepth } : {}) }).paths;
    return path ?? null;
  }

  /**
   * An unknown name: closest names among the functions its neighbours in the document call
   * (the name before it) or are called by (the name after it) first, the likeliest renames, then
   * among all functions; a close neighbour is also what the tree does now (`now a -> x -> c`).
   * Every step naming it gives the same finding (reported once).
   */
  private unknown(claim: Claim, name: ClaimName): Finding {
    const around = this.around.get(nameKey(claim.doc, name)) ?? { before: new Set<string>(), after: new Set<string>() };
    const nodesOf = (names: Set<string>): number[] => [...names].sort().flatMap((n) => this.nodes(n));
    const calledByBefore = new Set(neighbourNames(this.graph, nodesOf(around.before), 'callees'));
    const callingAfter = new Set(neighbourNames(this.graph, nodesOf(around.after), 'callers'));
    const near = closestNames(name.name, new Set([...calledByBefore, ...callingAfter]));
    const suggestions = [...new Set([...near, ...closestNames(name.name, this.project.index.names())])].slice(0, 3);
    const now: Current = { suggestions };
    const limits = this.options.pathLimits ?? [];
    const where = limits.length ? `the indexed paths (${limits.map((l) => `--limit ${l}`).join(' ')})` : 'the tree';
    // A function defined where the index does not reach (another architecture's, assembly) is named where it is defined: no guess then.
    const elsewhere = definedElsewhere(this.project.index, name.name, limits.length > 0);
    if (elsewhere) return finding(claim, name, 'error', 'unknown-function', `${name.name} is not in ${where}: ${elsewhere}`, {});
    let message = suggestions.length ? `${name.name} is not in ${where} (did you mean ${suggestions.join(', ')}?)` : `${name.name} is not in ${where}: no indexed function has a close name${neighboursText(this.graph, this.nodes.bind(this), around)}`;
    const best = near[0];
    if (best !== undefined) {
      const lead = this.nearestPath([...around.before].sort().map((b) => [b, best]));
      const tail = this.nearestPath([...around.after].sort().map((a) => [best, a]));
      now.path = [...(lead ?? [best]), ...(tail ?? [best]).slice(1)];
      if (now.path.length > 1) message += `; now ${now.path.join(' -> ')}`;
    }
    return finding(claim, name, 'error', 'unknown-function', message, now);
  }

  /**
   * The fewest-calls current path (names) among `pairs` of caller and callee names, within
   * SHORT_PATH calls (the query filter applies); the earlier pair on a tie; null when none has one (a name not in the tree has none).
   */
  private nearestPath(pairs: [string, string][]): string[] | null {
    let best: string[] | null = null;
    const filter = this.options.filter ?? {};
    for (const [from, to] of pairs) {
      // A neighbour the document names that is itself not in the tree has no path.
      if (this.nodes(from).length === 0 || this.nodes(to).length === 0) continue;
      const found: NodeRef[] | undefined = this.project.findPaths({ ...filter, start: from, target: to, maxDepth: best ? best.length - 2 : SHORT_PATH }).paths[0]?.nodes;
      if (found && (!best || found.length < best.length)) best = found.map((n) => n.name);
      if (best?.length === 2) break;
    }
    return best;
  }
}
