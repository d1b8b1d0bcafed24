import { BindFlag } from '../resolve/definition-scope.js';
import { isExpansionEdge } from '../resolve/bind-expansion.js';
import { EDGE_KINDS, isIndirect, kindId } from '../resolve/edge-kind.js';
import type { StatsResult } from '../types/results.js';
import { INDIRECT_SITE_KINDS } from '../cache/call-site-summary.js';
import type { KeptBeside } from '../cache/open-index.js';
import { readKept, writeKept } from '../cache/kept-beside.js';
import type { Project } from './project.js';

const CALLBACK = kindId('callback-arg');
const DIRECT = kindId('direct');
const MACRO = kindId('macro');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
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
  // Calls by name: sites bound to several definitions, config-dependent ones, ones with no visible candidate.
  const binding = { multiple: 0, configDependent: 0, noneVisible: 0 };
  // The edges of one call site by name are added together (resolveDirect, and the incremental
  // patch re-adding a caller's edges), so a site is a run of consecutive edges with the same caller and site.
  let runFrom = -1;
  let runSite = -1;
  let run = 0;
  for (let e = 0; e < edges.length; e++) {
    const kind = edges.kind.get(e);
    // An edge through a macro's body (bind-expansion.ts) is no definition the site's own name binds to.
    const from = edges.from.get(e);
    if ((kind !== DIRECT && kind !== MACRO) || isExpansionEdge(index, from, edges.to.get(e), kind, edges.bindFlags(e))) continue;
    const site = edges.hasSites ? edges.site.get(e) : edges.line.get(e);
    run = from === runFrom && site === runSite ? run + 1 : 1;
    runFrom = from;
    runSite = site;
    const flags = edges.bindFlags(e);
    if (run === 2) {
      binding.multiple++;
      if (flags & BindFlag.ConfigDependent) binding.configDependent++;
    }
    if (run === 1 && flags & BindFlag.NoneVisible) binding.noneVisible++;
  }
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
  for (let n = 0; n < index.nodeCount; n++) {
    if (index.isExternal(n)) external++;
    else if (!index.isMacro(n)) functions++;
  }
  // Kept with the cached graph, or taken from the facts.
  const sites = project.callSiteSummary();
  const indirect = sites.indirect.length / 3;
  let resolved = 0;
  const byKind: Record<string, number> = {};
  const bySite = Object.fromEntries(INDIRECT_SITE_KINDS.map((k) => [k, { sites: 0, unresolved: 0 }]));
  const counts: number[] = [];
  for (let i = 0; i < sites.indirect.length; i += 3) {
    const s = bound.get(sites.indirect[i]!)?.get(sites.indirect[i + 1]!);
    const how = bySite[INDIRECT_SITE_KINDS[sites.indirect[i + 2]!]!]!;
    how.sites++;
    if (!s) {
      how.unresolved++;
      continue;
    }
    resolved++;
    byKind[EDGE_KINDS[s.kind]!] = (byKind[EDGE_KINDS[s.kind]!] ?? 0) + 1;
    counts.push(s.targets.size);
  }
  const { direct, throughParameter: paramCalls, parseErrors } = sites;
  counts.sort((a, b) => a - b);
  return {
    files: index.fileCount,
    filesWithParseErrors: parseErrors.length,
    functions,
    macros: index.nodeCount - functions - external,
    external,
    callSites: { total: direct + indirect + paramCalls, direct, indirect, throughParameter: paramCalls },
    edges: byKindEdges,
    indirect: {
      resolved,
      unresolved: indirect - resolved,
      unresolvedByReason: { noBinding: indirect - resolved - edges.overCap.length / 4, overCap: edges.overCap.length / 4 },
      byKind,
      bySite,
      targetsPerSite: { median: percentile(counts, 50), p90: percentile(counts, 90), max: counts[counts.length - 1] ?? 0 },
    },
    binding: { ...binding, percentMultiple: direct ? Number(((100 * binding.multiple) / direct).toFixed(1)) : 0 },
    unreadable: project.unreadable.map((f) => ({ ...f })),
    parseErrors: parseErrors.map((e) => ({ ...e })),
  };
}

/** Bumped when StatsResult changes (a build of pathfind never reads what another build kept anyway: kept-beside.ts). */
const STATS_VERSION = 1;

const isKeptStats = (v: unknown): v is StatsResult => typeof v === 'object' && v !== null && typeof (v as StatsResult).files === 'number' && typeof (v as StatsResult).callSites === 'object';

/**
 * computeStats, kept beside the graph cache file the project was loaded from as it was stored
 * (`kept`: OpenReport.kept; absent: computed, not kept), so that stats on an unchanged tree does
 * not count four million edges again. Everything but the unreadable files comes from the graph
 * file alone; those (which discovery adds to) are the project's own.
 */
export function keptStats(project: Project, kept: KeptBeside | undefined): StatsResult {
  const stored = kept ? readKept(kept, 'stats', STATS_VERSION, isKeptStats) : null;
  if (stored) return { ...stored, unreadable: project.unreadable.map((f) => ({ ...f })) };
  const stats = computeStats(project);
  // Kept with an empty list of unreadable files in its place, so that the key order (hence the JSON) stays that of computeStats.
  if (kept) writeKept(kept, 'stats', STATS_VERSION, { ...stats, unreadable: [] });
  return stats;
}

/**
 * How a stats query opens a tree (openTreeReport's `needsFacts` option and `prepare` hook) so
 * that, with stats kept for the cached graph, the facts file is never opened (its frames' check
 * took a warm stats on a whole kernel 0.2-0.3 s): the kept stats are read while the tree is listed
 * (`prepare`, given where the cached graph keeps things), and `needsFacts` then says none are
 * wanted. `stats` gives those kept stats when the graph opened is that very graph as stored,
 * else keptStats (counted with the facts, which the open then read, and kept).
 */
export function statsOpening(): { needsFacts: () => boolean; prepare: (project: Project, kept: KeptBeside) => void; stats: (project: Project, kept: KeptBeside | undefined) => StatsResult } {
  let early: { identity: string; stats: StatsResult } | null = null;
  return {
    needsFacts: () => early === null,
    prepare: (_project, kept) => {
      const stats = readKept(kept, 'stats', STATS_VERSION, isKeptStats);
      early = stats ? { identity: kept.identity, stats } : null;
    },
    stats: (project, kept) => (early && kept?.identity === early.identity ? { ...early.stats, unreadable: project.unreadable.map((f) => ({ ...f })) } : keptStats(project, kept)),
  };
}
