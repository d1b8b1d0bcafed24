import { CACHE_FORMAT } from './index-cache.js';

/** First bytes of an index export (`pathfind index --export`); a cache file starts `PFND`. */
export const EXPORT_MAGIC = Buffer.from('PFNX');

/** Layout of the export's sections; bumped when the sections change (the cache format is folded in, see EXPORT_FORMAT). */
const EXPORT_LAYOUT = 1;

/**
 * The format number after EXPORT_MAGIC: the cache format (the sections are cache frames) times
 * 256 plus the export layout, so that an export is refused as soon as either changes.
 */
export const EXPORT_FORMAT = CACHE_FORMAT * 256 + EXPORT_LAYOUT;

/**
 * Frame numbers of the sections of an export: its header (compressed JSON as a facts frame, ExportHeader), the
 * graph as the graph cache file holds it (manifest, payload; v8-serialised), then the facts as
 * the facts cache file holds them (manifest, then FACTS_PER_FRAME files a frame; compressed JSON).
 */
export const EXPORT_SECTIONS = { header: 0, graph: 1, facts: 3 } as const;

/** What an export says of how it was made. */
export interface ExportHeader {
  /** Always 'pathfind-index'. */
  kind: 'pathfind-index';
  /** Name of the profile the tree was indexed with (e.g. 'linux'). */
  profile: string;
  /** Architecture indexed under arch/ ('' when the profile has none). */
  arch: string;
  /** Path limits of the index, sorted ([] for the whole tree). */
  paths: string[];
  /** Fact extractor used ('scan' or 'tree-sitter'). */
  extractor: string;
  /** Number of source files indexed. */
  files: number;
}
