/** pathfind's programmatic API: index a tree, then query its call graph. */
export { openTree, openTreeReport, type OpenOptions, type OpenReport } from './api/open-tree.js';
export { exportIndex, openIndexExport, type ExportScope } from './api/export-index.js';
export type { ExportHeader } from './cache/export-file.js';
export { Project, DISTINCT_BY, type PathQuery, type EdgeFilter } from './api/project.js';
export { computeStats } from './api/stats.js';
export { pathsPicture, treesPicture, DEFAULT_MAX_NODES, type PictureQuery } from './api/picture.js';
export { renderDot, type DotOptions } from './render/dot.js';
export { loadRenderer, PICTURE_FORMATS, type PictureFormat, type PictureOutput, type PictureRenderer } from './render/formats.js';
export type * from './types/picture.js';
export { EDGE_KINDS, type EdgeKind } from './resolve/edge-kind.js';
export type * from './types/results.js';
export type * from './types/facts.js';
export { UsageError, NotFoundError } from './util/errors.js';
