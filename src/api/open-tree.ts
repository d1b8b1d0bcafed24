/**
 * The API's door to a tree: an up-to-date call graph, had from the cache stage (src/cache/:
 * reuse, patch or rebuild), wrapped as a Project for queries.
 */
import { type KeptBeside, openIndex, type OpenOptions, type OpenReport } from '../cache/open-index.js';
import { flushGraphRows, readGraphRows, writeGraphRows } from './graph-rows-file.js';
import { Project } from './project.js';

export type { OpenOptions, OpenReport };

/**
 * Indexes a tree (or the given paths of it) and resolves its call graph, reusing the on-disk
 * cache when allowed: an unchanged tree loads the resolved graph directly; a few edited files
 * patch it (see cache/patch-cached-graph.ts); otherwise only the files that changed are parsed
 * again and the graph is resolved afresh. Throws UsageError for a root that is not a folder or
 * a path limit that does not exist.
 */
export async function openTree(options: OpenOptions = {}): Promise<Project> {
  return (await openTreeReport(options)).project;
}

/**
 * openTree with a report of how the tree was had (files parsed and reused, cache or incremental
 * path, unreadable files). `prepare` is given a project over the cached graph while the tree is
 * still being listed (see OpenOptions.prepare), with where what is made from the cached graph is kept (`kept`: see KeptBeside), to build what a query will need (`project.graph(filter)`);
 * when that graph is the one returned, what it built is kept; when it was patched for edited
 * files, the call graphs it built are the bases of the returned project's (Project.deriveGraphsFrom). `ahead` is then given the same
 * project if the tree is still being listed, to answer the query ahead (Project.answerAhead),
 * so that a tree found unchanged has its answer ready (see OpenOptions.ahead).
 */
export async function openTreeReport(options: OpenOptions = {}, prepare?: (project: Project, kept: KeptBeside) => void, ahead?: (project: Project) => void): Promise<{ project: Project; report: OpenReport }> {
  // Rows an earlier open of this process has yet to keep: this open may read them.
  flushGraphRows();
  let early: { project: Project; beside: KeptBeside } | null = null;
  const hook = prepare
    ? {
        prepare: (index: Project['index'], edges: Project['edges'], beside: KeptBeside, callSites?: Project['callSites']) => {
          const project = new Project(index, edges, [], callSites);
          project.pathLimits = options.paths ?? [];
          // The call graph's rows kept by an earlier query on this very graph file spare folding its edges again.
          project.useKeptRows(readGraphRows(beside));
          // So are the texts its path answers read back from the source for pointer steps.
          project.useKeptTexts(beside);
          early = { project, beside };
          prepare(project, beside);
        },
        ...(ahead ? { ahead: () => void (early && ahead(early.project)) } : {}),
      }
    : {};
  const { opened, report } = await openIndex({ ...options, ...hook });
  const project = new Project(opened.index, opened.edges, opened.unreadable, opened.callSites);
  project.pathLimits = options.paths ?? [];
  const prepared = early as { project: Project; beside: KeptBeside } | null;
  if (prepared && project.adoptGraphs(prepared.project)) {
    const rows = prepared.project.rowsToKeep();
    if (rows) writeGraphRows(prepared.beside, rows);
  } else if (prepared) project.deriveGraphsFrom(prepared.project, opened.nodeMap);
  // A graph written by this open (patched or resolved): the rows of the call graphs the query makes on it are kept for the next.
  if (report.keptWritten) project.keepRowsBeside(report.keptWritten);
  // What the answer reads of the source for its pointer steps is kept for this graph (with what was read while the tree was listed, when the graph is the one prepared).
  const graphKept = report.kept ?? report.keptWritten;
  if (graphKept) project.keepTextsBeside(graphKept);
  // Patched: the texts read for the cached graph's pointer steps from files that did not change hold for the patched one.
  if (prepared && prepared.project.index !== project.index && opened.changedFiles) project.carryTexts(prepared.project, opened.changedFiles, opened.nodeMap);
  return { project, report };
}
