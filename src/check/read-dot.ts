/**
 * Reads Graphviz diagrams committed beside documents (`.dot`, `.gv`, as cflow2dot and pycflow2dot
 * write them) into claims: every edge is a claimed call from its tail to its head. The graph is
 * parsed with graphlib-dot; positions come from dot-edges.ts. Pure: text in, claims out.
 */
import { createRequire } from 'node:module';
import type dotLibrary from 'graphlib-dot';
import { LEGEND_CLUSTER } from '../render/dot.js';
import type { Claim, ClaimName } from '../types/claims.js';
import { UsageError } from '../util/errors.js';
import { graphlibText, writtenEdges, type WrittenEdge, type WrittenEnd } from './dot-edges.js';

/** A C identifier at the start of a label or id, followed by nothing, `()`, or the location text tools add after it. */
const LEADING_NAME = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s*\(\s*\))?(?=$|[\s:<(,@[])/;

/**
 * The function a node stands for: the first line of its label when that starts with a C name
 * (tools label nodes `tcp_sendmsg()`, `tcp_sendmsg\n./net/ipv4/tcp.c:1480` or
 * `tcp_sendmsg() <int tcp_sendmsg (...) at net/ipv4/tcp.c:1480>`: the location part goes); a node
 * without a label (or labelled `\N`, its id) the node id read the same way; undefined for a node
 * that names no function (a file, a cluster, a label such as `+24 callers (10 files)`).
 * Label line breaks are DOT's `\n`, `\l`, `\r` escapes.
 */
export function nodeFunction(id: string, label: string | undefined): string | undefined {
  const first = (s: string): string => s.split(/\\[nlr]|\n/)[0] ?? '';
  if (label !== undefined && label !== '\\N') {
    // An HTML-like label (`<<b>tcp_push</b>>`, which graphlib-dot gives without its outer brackets): its text without tags.
    const m = LEADING_NAME.exec(first(/^<.*>$/s.test(label) ? label.replace(/<[^>]*>/g, '') : label));
    // A label is what the picture shows: one that names no function (`+24 callers (10 files)`,
    // pathfind's summary of nodes --max-nodes left out) makes the node none, whatever its id.
    return m?.[1];
  }
  return LEADING_NAME.exec(first(id))?.[1];
}

type DotGraph = ReturnType<typeof dotLibrary.read>;

/** graphlib-dot, loaded when a diagram is first read: it takes about 60 ms to load, which no other command should pay (nor a bundle that hoists it: scripts/bundle.mjs). */
let dot: typeof dotLibrary | null = null;
const dotReader = (): typeof dotLibrary => (dot ??= createRequire(import.meta.url)('graphlib-dot') as typeof dotLibrary);

/** True for an attribute set whose `style` includes `invis` (any case, alone or in a list such as `dashed,invis`). */
const invisible = (attrs: { style?: unknown } | undefined): boolean => /\binvis\b/i.test(String(attrs?.style ?? ''));

/** True for a node inside pathfind's legend subgraph (LEGEND_CLUSTER, as the DOT renderer writes `-k N` pictures), at any depth. */
function inLegend(g: DotGraph, v: string): boolean {
  for (let p = g.parent(v); p !== undefined; p = g.parent(p)) if (p === LEGEND_CLUSTER) return true;
  return false;
}

/**
 * True for an edge that draws no call: an invisible edge (layout only, such as the one ordering
 * the rows of pathfind's legend), an edge to or from an invisible node, or an edge inside
 * pathfind's legend.
 */
function notACall(g: DotGraph, e: { v: string; w: string }): boolean {
  return invisible(g.edge(e)) || invisible(g.node(e.v)) || invisible(g.node(e.w)) || inLegend(g, e.v) || inLegend(g, e.w);
}

/** The DOT library's parse error: a message and a 1-based position. */
interface DotSyntaxError {
  message: string;
  line?: number;
  column?: number;
}

/**
 * Claims of every edge of every graph in DOT text, in the order the edges are written. Each
 * claim has `form: 'dot'`; `from` and `to` carry the functions the tail and head nodes name (see
 * nodeFunction) at the line and column where the edge writes their ids. An edge written several
 * times is one claim, at its first writing (graphlib-dot keeps one edge per pair). An edge of an
 * undirected graph (`a -- b`) reads as written, left calls right. Edges whose ends name no
 * function, and edges that draw no call (invisible ones, those touching an invisible node, and
 * those of pathfind's own legend: see notACall), are left out.
 * @throws UsageError `doc:line:column: not a DOT graph: ...` when graphlib-dot cannot parse the text.
 */
export function readDotDiagram(doc: string, text: string): Claim[] {
  let graphs: ReturnType<typeof dotLibrary.readMany>;
  try {
    graphs = dotReader().readMany(graphlibText(text));
  } catch (e) {
    const err = e as DotSyntaxError;
    throw new UsageError(`${doc}:${err.line ?? 1}:${err.column ?? 1}: not a DOT graph: ${String(err.message).split('\n')[0]}`);
  }
  const written = writtenEdges(text);
  const used = new Set<WrittenEdge>();
  const claims: Claim[] = [];
  for (const g of graphs) {
    for (const e of g.edges()) {
      const matches = (w: WrittenEdge): boolean => (w.from.id === e.v && w.to.id === e.w) || (!g.isDirected() && w.from.id === e.w && w.to.id === e.v);
      const w = written.find((x) => !used.has(x) && matches(x));
      if (w) used.add(w);
      const fromEnd: WrittenEnd = w?.from ?? { id: e.v, line: 1, column: 1 };
      const toEnd: WrittenEnd = w?.to ?? { id: e.w, line: 1, column: 1 };
      const name = (end: WrittenEnd): ClaimName | undefined => {
        const fn = nodeFunction(end.id, g.node(end.id)?.label);
        return fn === undefined ? undefined : { name: fn, line: end.line, column: end.column };
      };
      if (notACall(g, e)) continue;
      const from = name(fromEnd);
      const to = name(toEnd);
      if (from && to) claims.push({ doc, form: 'dot', from, to });
    }
  }
  return claims.sort((a, b) => a.from.line - b.from.line || a.from.column - b.from.column || a.to.line - b.to.line || a.to.column - b.to.column);
}
