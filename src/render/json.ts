import type { EdgeRef, Explanation, NodeRef, PathsResult, StatsResult, TreeItem, TreeResult } from '../types/results.js';

/**
 * Shape version of every JSON document (the top-level `version` field), described by
 * schema/pathfind.schema.json. Bump it on any breaking change: a field removed, renamed or
 * retyped, or a document reshaped; adding an optional field is not breaking. Version 1 was the
 * first shape (edges naming their ends by name only, no version field).
 */
export const JSON_VERSION = 2;

const stringify = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Fields of nodes and edges that only the text output uses. */
const TEXT_ONLY = new Set(['ambiguous']);

/**
 * A node: name, definition (file, line), `macro: true` for macros, then any other optional
 * field. A node marked `external` (defined in no indexed file) has no file and line.
 */
function nodeJson(n: NodeRef): Record<string, unknown> {
  const { name, file, line, ...rest } = n;
  const out: Record<string, unknown> = 'external' in rest ? { name } : { name, file, line };
  for (const [k, v] of Object.entries(rest)) if (!TEXT_ONLY.has(k) && v !== undefined) out[k] = v;
  return out;
}

/** An edge: both ends as nodes, kind, call site (file, line), any other optional field, then every binding. */
function edgeJson(e: EdgeRef): Record<string, unknown> {
  const { from, to, kind, file, line, evidence, ...rest } = e;
  const out: Record<string, unknown> = { from: nodeJson(from), to: nodeJson(to), kind, file, line };
  for (const [k, v] of Object.entries(rest)) if (!TEXT_ONLY.has(k) && v !== undefined) out[k] = v;
  if (evidence?.length) out.evidence = evidence.map(({ file: f, line: l, text }) => ({ file: f, line: l, text }));
  return out;
}

/** `{"version","paths":[{"nodes":[...],"edges":[...]}]}`. */
export function renderPathsJson(result: PathsResult): string {
  return stringify({ version: JSON_VERSION, paths: result.paths.map((p) => ({ nodes: p.nodes.map(nodeJson), edges: p.edges.map(edgeJson) })), ...(result.shorterDeferred ? { shorterDeferred: result.shorterDeferred } : {}), ...(result.longerSynchronous ? { longerSynchronous: result.longerSynchronous } : {}) });
}

/** `{"version","direction","trees":[{"function":{...},"edges":[...]}]}`: one tree per function the name designates, every edge of a tree once, parents first. */
export function renderTreeJson(trees: TreeResult[]): string {
  const one = (t: TreeResult): unknown => {
    const edges: unknown[] = [];
    const walk = (item: TreeItem): void => {
      for (const child of item.children) {
        edges.push(edgeJson(child.edge!));
        walk(child);
      }
    };
    walk(t.root);
    // Unresolved pointer calls of the functions expanded, parents first, each with its caller.
    // And their calls of their own parameters, the same way.
    const unresolved: unknown[] = [];
    const parameterCalls: unknown[] = [];
    const calls = (item: TreeItem): void => {
      for (const u of item.unresolved ?? []) unresolved.push({ from: nodeJson(item.node), ...u });
      for (const p of item.parameterCalls ?? []) parameterCalls.push({ from: nodeJson(item.node), ...p });
      item.children.forEach(calls);
    };
    calls(t.root);
    return { function: nodeJson(t.function), edges, ...(unresolved.length ? { unresolved } : {}), ...(parameterCalls.length ? { parameterCalls } : {}) };
  };
  return stringify({ version: JSON_VERSION, direction: trees[0]?.direction ?? 'callees', trees: trees.map(one) });
}

/** The stats, with the version first. */
export function renderStatsJson(stats: StatsResult): string {
  return stringify({ version: JSON_VERSION, ...stats });
}

/** `{"version","caller","callee","edges":[...],"unresolved":[...],"throughParameter":[...],"throughMacros":[...],"throughInlined":[...],"passedOn":[...]}`: every edge with all its bindings. */
export function renderExplainJson(x: Explanation): string {
  const throughParameter = x.throughParameter.map((p) => ({ calledAt: p.calledAt, passed: edgeJson(p.passed) }));
  return stringify({ version: JSON_VERSION, caller: x.caller, callee: x.callee, edges: x.edges.map(edgeJson), unresolved: x.unresolved, throughParameter, throughMacros: x.throughMacros.map(edgeJson), throughInlined: x.throughInlined.map(edgeJson), passedOn: x.passedOn.map((p) => ({ user: p.user, calledAt: p.calledAt, passed: edgeJson(p.passed) })), ...(x.macroPointerCalls ? { macroPointerCalls: x.macroPointerCalls } : {}), ...(x.ownParameterCalls ? { ownParameterCalls: x.ownParameterCalls } : {}), ...(x.handedOver ? { handedOver: x.handedOver.map((h) => ({ file: h.file, line: h.line, text: h.text, calledBy: edgeJson(h.calledBy) })) } : {}), ...(x.leftOut ? { leftOut: x.leftOut } : {}), ...(x.notBuilt ? { notBuilt: x.notBuilt } : {}), ...(x.callerDefinitions ? { callerDefinitions: x.callerDefinitions } : {}), ...(x.nearestPath ? { nearestPath: x.nearestPath.map(edgeJson) } : {}), ...(x.fartherPath ? { fartherPath: x.fartherPath } : {}) });
}
