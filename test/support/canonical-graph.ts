import { computeStats, EDGE_KINDS, type Project } from '../../src/index.js';
import type { EdgeList } from '../../src/resolve/edge-list.js';
import { unpackParamUse } from '../../src/resolve/propagate-params.js';

/**
 * A project's call graph in a canonical form: nodes in id order (name, file, line, external or
 * not), then the edges sorted (caller, callee, kind, call-site line, call site, deferred, BindFlag
 * bits, every binding's evidence; and a row for any edge whose fields read alone differ from its columns, or that stands out of resolveEdges' blocks or, among the calls by name, out of caller order), then each caller's edges in edge-list order (what decides ties between equally
 * short paths), then the stats (which read the call-site summary kept with a cached graph), then the
 * parameters functions are followed into (EdgeList.paramUses) with why and at what depth, as a set, then the call sites over a fallback cap (EdgeList.overCap) in order with their candidate counts,
 * then a row for each evidence text or evidence set the graph holds more than once (evidenceRepeats).
 */
export function canonicalGraph(p: Project): string[] {
  const { index, edges } = p;
  // Each edge's caller, callee, kind, line and call site read one edge at a time first, as a query
  // reads the few it prints (through a cached column's row reader while the column is not decoded):
  // they must be what the whole columns, read below, say.
  const cells: number[][] = [];
  for (let e = 0; e < edges.length; e++) cells.push([edges.callerOf(e), edges.calleeOf(e), edges.kindOf(e), edges.lineOf(e), edges.hasSites ? edges.siteOf(e) : -1]);
  const node = (n: number): string => `${index.name(n)}@${index.file(n)}:${index.nodeLine[n]}${index.isExternal(n) ? ' external' : ''}`;
  const rows: string[] = [];
  for (let n = 0; n < index.nodeCount; n++) rows.push(`node ${n} ${node(n)} flags ${index.nodeFlags[n]}`);
  const edgeRows: string[] = [];
  for (let e = 0; e < edges.length; e++) {
    const ev = edges.evidenceOf(e, index.file(edges.to.get(e)));
    edgeRows.push(`edge ${node(edges.from.get(e))} -> ${node(edges.to.get(e))} ${EDGE_KINDS[edges.kind.get(e)]} at ${edges.line.get(e)} site ${edges.hasSites ? edges.siteOf(e) : '-'} deferred ${edges.deferred.get(e)} bind ${edges.bindFlags(e)}${ev.map((b) => ` [${b.file}:${b.line} ${b.text}]`).join('')}`);
  }
  // The edge list stands in resolveEdges' blocks (calls by name to a definition, then every binding, then calls of external nodes):
  // a patch's binary searches for where an added edge goes read it so (resolve/splice-edges.ts). A row says where it does not.
  const block = (e: number): number => (EDGE_KINDS[edges.kind.get(e)] !== 'direct' && EDGE_KINDS[edges.kind.get(e)] !== 'macro' ? 1 : index.isExternal(edges.to.get(e)) ? 2 : 0);
  for (let e = 1; e < edges.length; e++) if (block(e) < block(e - 1)) edgeRows.push(`edge ${e} (${EDGE_KINDS[edges.kind.get(e)]} from ${node(edges.from.get(e))}) stands in block ${block(e)} after an edge of block ${block(e - 1)}`);
  // The calls by name stand in caller order (resolveDirect and addExternalEdges add them caller by caller): a patch's binary searches read them so.
  for (let e = 1; e < edges.length; e++) if (block(e) === block(e - 1) && block(e) !== 1 && edges.from.get(e) < edges.from.get(e - 1)) edgeRows.push(`edge ${e} (from ${node(edges.from.get(e))}) stands in block ${block(e)} after an edge of a later caller`);
  for (let e = 0; e < edges.length; e++) {
    const whole = [edges.from.get(e), edges.to.get(e), edges.kind.get(e), edges.line.get(e), edges.hasSites ? edges.site.get(e) : -1];
    if (whole.some((v, k) => v !== cells[e]![k])) edgeRows.push(`edge ${e} read alone as ${cells[e]!.join(' ')} but ${whole.join(' ')} in its columns`);
  }
  // Appended one by one: spread arguments overflow the stack past some 100,000 rows (a whole kernel has 4 M edges).
  for (const row of edgeRows.sort()) rows.push(row);
  // Each caller's edges in the order the edge list holds them: the call graph's rows follow it, and
  // so does which of several equally short paths a query prints.
  const order = new Map<number, string[]>();
  for (let e = 0; e < edges.length; e++) {
    const from = edges.from.get(e);
    if (!order.has(from)) order.set(from, []);
    order.get(from)!.push(`${node(edges.to.get(e))} ${EDGE_KINDS[edges.kind.get(e)]} at ${edges.line.get(e)}`);
  }
  for (const [from, row] of [...order].sort((x, y) => x[0] - y[0])) rows.push(`order ${node(from)}: ${row.join(', ')}`);
  rows.push(`stats ${JSON.stringify(computeStats(p))}`);
  // The parameters functions are followed into (EdgeList.paramUses), each with why and its depth: what later patches test calls against.
  const uses = new Set<string>();
  for (let i = 0; edges.paramUses && i < edges.paramUses.length; i += 2) {
    const { param, kind, depth } = unpackParamUse(edges.paramUses[i + 1]!);
    uses.add(`param ${node(edges.paramUses[i]!)} ${param} ${kind} depth ${depth}`);
  }
  for (const row of [...uses].sort()) rows.push(row);
  // The call sites over a fallback cap (EdgeList.overCap) in order, with their candidate counts: what `unresolved` reports of them.
  for (let i = 0; i < edges.overCap.length; i += 4) rows.push(`over cap ${node(edges.overCap[i]!)} site ${edges.overCap[i + 1]} ${EDGE_KINDS[edges.overCap[i + 2]!]} ${edges.overCap[i + 3]} candidates`);
  for (const row of evidenceRepeats(edges)) rows.push(row);
  return rows;
}

/**
 * A row for each evidence text and each evidence set that `edges` hold more than once, one of them
 * at least shown by an edge. A resolution makes each once; a patch that appended again what the
 * graph holds would grow the cache with every edit (and pay for copying the evidence it appends
 * to). Entries no edge shows may meet: a patch moves those of lines taken out to line 0
 * (resolve/remap-evidence.ts lineMovesOf).
 */
export function evidenceRepeats(edges: EdgeList): string[] {
  const shownSets = new Set<number>();
  for (let e = 0; e < edges.length; e++) if (edges.proof.get(e) >= 0) shownSets.add(edges.proof.get(e));
  const shownIds = new Set([...shownSets].flatMap((s) => edges.evidenceIdsOfSet(s)));
  const text = (id: number): string => ((e) => `${e.file} ${e.line} ${e.text}`)(edges.evidenceAt(id));
  const repeats = (count: number, key: (id: number) => string, shown: Set<number>, what: string): string[] => {
    const byKey = new Map<string, number[]>();
    for (let id = 0; id < count; id++) byKey.set(key(id), [...(byKey.get(key(id)) ?? []), id]);
    return [...byKey].filter(([, ids]) => ids.length > 1 && ids.some((id) => shown.has(id))).map(([k, ids]) => `${what} held ${ids.length} times: ${k}`);
  };
  return [...repeats(edges.evidenceCount, text, shownIds, 'evidence'), ...repeats(edges.setCount, (s) => edges.evidenceIdsOfSet(s).map(text).join(' | '), shownSets, 'evidence set')];
}
