import { EDGE_KINDS, isIndirect } from '../resolve/edge-kind.js';
import type { StatsResult } from '../types/results.js';
import type { Project } from './project.js';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Counts of the index and of how its call sites resolved. */
export function computeStats(project: Project): StatsResult {
  const { index, edges } = project;
  let functions = 0;
  let direct = 0;
  let indirect = 0;
  for (let n = 0; n < index.nodeCount; n++) {
    if (!index.isMacro(n)) functions++;
    for (const call of index.calls(n)) {
      if (call.name !== undefined && !call.hints) direct++;
      else indirect++;
    }
  }
  const byKindEdges: Record<string, number> = Object.fromEntries(EDGE_KINDS.map((k) => [k, 0]));
  // Per indirect site: number of targets and the strongest kind.
  const sites = new Map<string, { targets: Set<number>; kind: number }>();
  for (let e = 0; e < edges.length; e++) {
    const kind = edges.kind.get(e);
    byKindEdges[EDGE_KINDS[kind]!]!++;
    if (!isIndirect(kind)) continue;
    const key = `${edges.from.get(e)}:${edges.site.get(e)}`;
    const s = sites.get(key) ?? { targets: new Set<number>(), kind };
    s.targets.add(edges.to.get(e));
    s.kind = Math.min(s.kind, kind);
    sites.set(key, s);
  }
  const byKind: Record<string, number> = {};
  const counts: number[] = [];
  for (const s of sites.values()) {
    byKind[EDGE_KINDS[s.kind]!] = (byKind[EDGE_KINDS[s.kind]!] ?? 0) + 1;
    counts.push(s.targets.size);
  }
  counts.sort((a, b) => a - b);
  return {
    files: index.files.length,
    filesWithParseErrors: index.files.filter((f) => f.parseErrors > 0).length,
    functions,
    macros: index.nodeCount - functions,
    callSites: { total: direct + indirect, direct, indirect },
    edges: byKindEdges,
    indirect: {
      resolved: sites.size,
      unresolved: indirect - sites.size,
      byKind,
      targetsPerSite: { median: percentile(counts, 50), p90: percentile(counts, 90), max: counts[counts.length - 1] ?? 0 },
    },
  };
}
