import { EDGE_KINDS, isIndirect, kindId } from '../resolve/edge-kind.js';
import type { StatsResult } from '../types/results.js';
import type { Project } from './project.js';

const CALLBACK = kindId('callback-arg');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Node ids grouped by file (ascending within each): file f's at nodes[start[f]..start[f+1]), external nodes (file -1) last. */
function nodesByFile(nodeFile: Int32Array, files: number): { start: Int32Array; nodes: Int32Array } {
  const start = new Int32Array(files + 2);
  for (const f of nodeFile) start[(f < 0 ? files : f) + 1]!++;
  for (let f = 0; f <= files; f++) start[f + 1]! += start[f]!;
  const next = start.slice(0, files + 1);
  const nodes = new Int32Array(nodeFile.length);
  nodeFile.forEach((f, n) => (nodes[next[f < 0 ? files : f]!++] = n));
  return { start, nodes };
}

/**
 * Counts of the index and of how its call sites resolved. An indirect site is a call through
 * a member, an array element or a pointer variable; calls of a function's own parameter are
 * counted apart, since their targets are bound at the callers (callback-arg edges).
 */
export function computeStats(project: Project): StatsResult {
  const { index, edges } = project;
  // Per call site (node, site): targets and the strongest indirect kind binding it.
  const bound = new Map<number, Map<number, { targets: Set<number>; kind: number }>>();
  const byKindEdges: Record<string, number> = Object.fromEntries(EDGE_KINDS.map((k) => [k, 0]));
  for (let e = 0; e < edges.length; e++) {
    const kind = edges.kind.get(e);
    byKindEdges[EDGE_KINDS[kind]!]!++;
    if (!isIndirect(kind) || kind === CALLBACK) continue;
    const from = edges.from.get(e);
    const sites = bound.get(from) ?? new Map<number, { targets: Set<number>; kind: number }>();
    bound.set(from, sites);
    const site = edges.site.get(e);
    const s = sites.get(site) ?? { targets: new Set<number>(), kind };
    s.targets.add(edges.to.get(e));
    s.kind = Math.min(s.kind, kind);
    sites.set(site, s);
  }
  let functions = 0;
  let external = 0;
  let direct = 0;
  let indirect = 0;
  let paramCalls = 0;
  let resolved = 0;
  const byKind: Record<string, number> = {};
  const counts: number[] = [];
  const visit = (n: number): void => {
    if (index.isExternal(n)) external++;
    else if (!index.isMacro(n)) functions++;
    index.calls(n).forEach((call, site) => {
      if (call.param !== undefined) paramCalls++;
      else if (call.name !== undefined && !call.hints) direct++;
      else {
        indirect++;
        const s = bound.get(n)?.get(site);
        if (!s) return;
        resolved++;
        byKind[EDGE_KINDS[s.kind]!] = (byKind[EDGE_KINDS[s.kind]!] ?? 0) + 1;
        counts.push(s.targets.size);
      }
    });
  };
  // File by file, each file's facts read once (facts read on demand come a frame of files at a time).
  let filesWithParseErrors = 0;
  const byFile = nodesByFile(index.nodeFile, index.files.length);
  for (let file = 0; file < index.files.length; file++) {
    if (index.fileFacts(file).parseErrors > 0) filesWithParseErrors++;
    for (let i = byFile.start[file]!; i < byFile.start[file + 1]!; i++) visit(byFile.nodes[i]!);
  }
  for (let i = byFile.start[index.files.length]!; i < byFile.nodes.length; i++) visit(byFile.nodes[i]!);
  counts.sort((a, b) => a - b);
  return {
    files: index.files.length,
    filesWithParseErrors,
    functions,
    macros: index.nodeCount - functions - external,
    external,
    callSites: { total: direct + indirect + paramCalls, direct, indirect, throughParameter: paramCalls },
    edges: byKindEdges,
    indirect: {
      resolved,
      unresolved: indirect - resolved,
      byKind,
      targetsPerSite: { median: percentile(counts, 50), p90: percentile(counts, 90), max: counts[counts.length - 1] ?? 0 },
    },
    unreadable: project.unreadable.map((f) => ({ ...f })),
  };
}
