import { existsSync, statSync } from 'node:fs';
import { serialize } from 'node:v8';
import { CachedFacts } from '../cache/cached-facts.js';
import { EXPORT_FORMAT, EXPORT_MAGIC, EXPORT_SECTIONS, type ExportHeader } from '../cache/export-file.js';
import { writeFrameFileAtomically } from '../cache/frame-file.js';
import { encodeFactsFrame, FrameFile } from '../cache/frame-file.js';
import { type CacheEntry, chunk, FACTS_PER_FRAME } from '../cache/index-cache.js';
import { snapshotIndex } from '../cache/snapshot-index.js';
import { profileNamed } from '../profiles/index.js';
import { EdgeList } from '../resolve/edge-list.js';
import { UsageError } from '../util/errors.js';
import { summariseCallSites } from '../cache/call-site-summary.js';
import type { GraphPayload } from '../cache/patch-cached-graph.js';
import { decoded } from '../cache/patch-cached-graph.js';
import { Project } from './project.js';

/** How the exported index was made: the query scope its header records. */
export interface ExportScope {
  /** Architecture indexed under arch/ (default: the profile's). */
  arch?: string;
  /** Path limits of the index (default: none). */
  paths?: string[];
  /** Fact extractor used (default 'scan'). */
  extractor?: string;
}

/**
 * The files of an export as its manifests list them: paths only (sizes and mtimes are those of
 * another machine's tree and mean nothing without it).
 */
const manifestOf = (paths: string[]): CacheEntry[] => paths.map((path) => ({ path, size: 0, mtimeMs: 0 }));

/**
 * Writes `project` (opened with all its facts, as `pathfind index` does) to `file` as one
 * portable index export: EXPORT_MAGIC, EXPORT_FORMAT, then the header, the graph and the
 * per-file facts (see EXPORT_SECTIONS), written atomically. Throws UsageError when the project
 * has no facts in memory or the file cannot be written.
 */
export function exportIndex(project: Project, file: string, scope: ExportScope = {}): void {
  const { index, edges } = project;
  if (!index.hasFacts) throw new UsageError('an export needs the per-file facts: open the tree with facts');
  const header: ExportHeader = {
    kind: 'pathfind-index',
    profile: index.profile.name,
    arch: scope.arch ?? index.profile.defaultArch ?? '',
    paths: [...(scope.paths ?? [])].sort(),
    extractor: scope.extractor ?? 'scan',
    files: index.files.length,
  };
  const manifest = manifestOf(index.files.map((f) => f.path));
  const graph: GraphPayload = { index: index.snapshot(), edges: edges.snapshot(), unreadable: project.unreadable, callSites: project.callSites ?? summariseCallSites(index) };
  const frames = [encodeFactsFrame(JSON.stringify(header)), serialize(manifest), serialize(graph), encodeFactsFrame(JSON.stringify(manifest)), ...chunk(index.files, FACTS_PER_FRAME).map((piece) => encodeFactsFrame(JSON.stringify(piece)))];
  try {
    writeFrameFileAtomically(file, EXPORT_MAGIC, EXPORT_FORMAT, frames);
  } catch (err) {
    throw new UsageError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message.split('\n')[0]}`);
  }
}

/** Opens one section of an export as a frame file, or says why it cannot be. */
function openSection(file: string, section: keyof typeof EXPORT_SECTIONS): FrameFile | 'absent' | 'unreadable' | 'other-format' {
  const first = EXPORT_SECTIONS[section];
  const count = section === 'header' ? 1 : section === 'graph' ? 2 : undefined;
  return FrameFile.open(file, EXPORT_FORMAT, section !== 'graph', { magic: EXPORT_MAGIC, first, ...(count ? { count } : {}) });
}

function failure(file: string, why: 'absent' | 'unreadable' | 'other-format'): UsageError {
  if (why === 'absent') return new UsageError(`cannot read the index export ${file}`);
  if (why === 'other-format') return new UsageError(`${file} is an index export of another version of pathfind; export it again with 'pathfind index --export'`);
  return new UsageError(`${file} is not a pathfind index export (made by 'pathfind index --export FILE')`);
}

/** One section's frames decoded, or UsageError naming the file. */
function readSection<T>(file: string, section: keyof typeof EXPORT_SECTIONS): T[] {
  const opened = openSection(file, section);
  if (typeof opened === 'string') throw failure(file, opened);
  try {
    const values: T[] = [];
    for (let i = 0; i < opened.frames; i++) {
      const value = decoded(() => opened.value<T>(i));
      if (value === null || value === undefined) throw failure(file, 'unreadable');
      values.push(value);
    }
    return values;
  } finally {
    opened.close();
  }
}

/**
 * A Project opened from an index export, with no tree on disk: the graph loaded whole, each
 * file's facts read on demand (explain, stats) from the export's facts frames. Queries needing
 * the source text go without it (no `via` on pointer calls, no picture signatures). Returns the
 * export's header with it. Throws UsageError (one line) for a file that cannot be read, is not
 * an export, or is an export of another format.
 */
export function openIndexExport(file: string): { project: Project; header: ExportHeader } {
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {
    /* absent: reported below */
  }
  if (!isFile) throw failure(file, existsSync(file) ? 'unreadable' : 'absent');
  const [header] = readSection<ExportHeader>(file, 'header');
  if (header?.kind !== 'pathfind-index' || !Array.isArray(header.paths)) throw failure(file, 'unreadable');
  const [manifest, payload] = readSection<unknown>(file, 'graph') as [CacheEntry[], GraphPayload];
  if (!Array.isArray(manifest) || !payload?.index || !payload.edges) throw failure(file, 'unreadable');
  const facts = CachedFacts.open(() => {
    const opened = openSection(file, 'facts');
    return typeof opened === 'string' ? null : opened;
  }, manifest);
  if (!facts) throw failure(file, 'unreadable');
  const index = snapshotIndex(null, profileNamed(header.profile), payload.index);
  index.readFactsFrom((at) => facts.file(at));
  return { project: new Project(index, new EdgeList(payload.edges), payload.unreadable ?? [], payload.callSites), header };
}
