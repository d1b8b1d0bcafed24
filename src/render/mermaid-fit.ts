import type { Picture, PictureEdge, PictureNode } from '../types/picture.js';
import { counted, countedOf, formatCount } from './count.js';

/**
 * Mermaid's own limits (its defaults in version 11: `maxEdges` 500 links per flowchart, past
 * which it refuses the diagram, and `maxTextSize` 50,000 characters, past which it draws an
 * error instead). A rendered picture stays strictly under both.
 */
export interface MermaidLimits {
  maxEdges: number;
  maxTextSize: number;
}

/** Mermaid 11's defaults (its `defaultConfig`: maxEdges 500, maxTextSize 50000). */
export const MERMAID_LIMITS: MermaidLimits = { maxEdges: 500, maxTextSize: 50_000 };

/** Draws a picture; `notes` are caption lines about what the cut left out. */
export type Draw = (picture: Picture, notes: string[]) => { text: string; links: number };

/**
 * The picture drawn whole if it fits the limits; otherwise cut to fit: nodes are kept nearest
 * first (fewest edges, either way, from the start or root nodes; then by id), as many as fit,
 * found by bisection on the count. A kept node with neighbours left out is marked cut and gets
 * a summary node (`+3 callers, +12 callees not shown`), and a caption (`Mermaid's limits: 48 of
 * 312 nodes and 90 of 2,000 edges shown (at most 500 edges, 50,000 characters)`) is added as a
 * comment and a visible note, and returned as `note` (the CLI says it on stderr), so nothing is
 * cut silently. Deterministic. If not even one node fits (a limit far too small), the note alone.
 */
export function fitToLimits(picture: Picture, limits: MermaidLimits, draw: Draw): { text: string; note?: string } {
  const fits = (d: { text: string; links: number }): boolean =>
    d.links < limits.maxEdges && d.text.length < limits.maxTextSize;
  const whole = draw(picture, []);
  if (fits(whole)) return { text: whole.text };

  const order = nearestFirst(picture);
  const attempt = (k: number): { text: string; links: number; note: string } => {
    const { cut, notes } = keepFirst(picture, order.slice(0, k), limits);
    return { ...draw(cut, notes), note: notes[0]! };
  };
  let lo = 0; // largest count known to fit (0: nothing but the note)
  let hi = order.length; // smallest count known not to fit
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(attempt(mid))) lo = mid;
    else hi = mid;
  }
  const { text, note } = attempt(lo);
  return { text, note };
}

/** Node ids ordered by undirected distance from the start or root nodes, then by id number. */
function nearestFirst(picture: Picture): string[] {
  const num = (id: string): number => Number(id.slice(1));
  const adjacent = new Map<string, string[]>();
  for (const e of picture.edges) {
    for (const [a, b] of [[e.from, e.to], [e.to, e.from]]) {
      if (!adjacent.has(a)) adjacent.set(a, []);
      adjacent.get(a)!.push(b);
    }
  }
  let seeds = picture.nodes.filter((n) => n.role === 'start' || n.role === 'root');
  if (seeds.length === 0) seeds = picture.nodes.slice(0, 1);
  const dist = new Map<string, number>(seeds.map((n) => [n.id, 0]));
  const queue = seeds.map((n) => n.id);
  for (let i = 0; i < queue.length; i++) {
    for (const next of adjacent.get(queue[i]) ?? []) {
      if (dist.has(next)) continue;
      dist.set(next, dist.get(queue[i])! + 1);
      queue.push(next);
    }
  }
  return picture.nodes
    .map((n) => n.id)
    .sort((a, b) => (dist.get(a) ?? Infinity) - (dist.get(b) ?? Infinity) || num(a) - num(b));
}

/** The picture with only the `kept` nodes, summary nodes for what each lost, and the caption. */
function keepFirst(picture: Picture, kept: string[], limits: MermaidLimits): { cut: Picture; notes: string[] } {
  const keep = new Set(kept);
  // Distinct neighbours left out, per kept node.
  const callers = new Map<string, Set<string>>();
  const callees = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, id: string, other: string): void => {
    if (!m.has(id)) m.set(id, new Set());
    m.get(id)!.add(other);
  };
  const edges: PictureEdge[] = [];
  for (const e of picture.edges) {
    const a = keep.has(e.from);
    const b = keep.has(e.to);
    if (a && b) edges.push(e);
    else if (a) add(callees, e.from, e.to);
    else if (b) add(callers, e.to, e.from);
  }
  const nodes: PictureNode[] = [];
  const summaries: PictureNode[] = [];
  const summaryEdges: PictureEdge[] = [];
  for (const n of picture.nodes) {
    if (!keep.has(n.id)) continue;
    const up = callers.get(n.id)?.size ?? 0;
    const down = callees.get(n.id)?.size ?? 0;
    if (up + down === 0) {
      nodes.push(n);
      continue;
    }
    nodes.push({ ...n, cut: true });
    const parts = [...(up ? [`+${counted(up, 'caller')}`] : []), ...(down ? [`+${counted(down, 'callee')}`] : [])];
    const id = `s${summaries.length}`;
    summaries.push({ id, name: '', summary: { count: up + down, text: `${parts.join(', ')} not shown` }, cluster: n.cluster });
    summaryEdges.push({ id: `x${summaryEdges.length}`, from: n.id, to: id, kind: 'summary' });
  }
  const shown = `${countedOf(kept.length, picture.nodes.length, 'node')} and ${countedOf(edges.length, picture.edges.length, 'edge')} shown`;
  const why = `at most ${formatCount(limits.maxEdges)} edges, ${formatCount(limits.maxTextSize)} characters`;
  const used = new Set(nodes.map((n) => n.cluster));
  return {
    cut: {
      ...picture,
      nodes: [...nodes, ...summaries],
      edges: [...edges, ...summaryEdges],
      clusters: picture.clusters.filter((c) => used.has(c.id)),
      legend: picture.legend,
    },
    notes: [`Mermaid's limits: ${shown} (${why})`],
  };
}

