import type { Format } from '../render/formats.js';
import { isPictureFormat } from '../render/formats.js';
import { sourceUrlProblem } from '../render/source-url.js';
import { type EdgeKind, isIndirect, kindId } from '../resolve/edge-kind.js';
import type { PathResult, TreeResult } from '../types/results.js';
import { UsageError } from '../util/errors.js';
import type { PictureCliOptions } from './program.js';
import { counted } from '../render/count.js';

/** The picture options by their commander key, with the flag the user writes, in --help order. */
const PICTURE_FLAGS = {
  cluster: '--cluster',
  rankdir: '--rankdir',
  sourceUrl: '--source-url',
  maxNodes: '--max-nodes',
  exclude: '--exclude',
  defaultExcludes: '--no-default-excludes',
  theme: '--theme',
} as const;
type PictureKey = keyof typeof PICTURE_FLAGS;

/** The options only callees and callers pictures use (a path is never cut or filtered). */
const TREE_ONLY: PictureKey[] = ['maxNodes', 'exclude', 'defaultExcludes'];

/** The flags of `keys` the user wrote on the command line (PictureCliOptions.written), in --help order. */
function writtenFlags(o: Partial<PictureCliOptions>, keys: readonly PictureKey[]): string[] {
  const written = new Set(o.written ?? []);
  return (Object.keys(PICTURE_FLAGS) as PictureKey[]).filter((k) => keys.includes(k) && written.has(k)).map((k) => PICTURE_FLAGS[k]);
}

/** Throws a UsageError for a --source-url that cannot make links (see render/source-url.ts). */
export function checkPictureOptions(o: Partial<PictureCliOptions>): void {
  if (o.sourceUrl === undefined) return;
  const problem = sourceUrlProblem(o.sourceUrl);
  if (problem) throw new UsageError(problem);
}

/**
 * The notes (lines without the `pathfind: note: ` prefix) for options the user wrote that have
 * no effect on this query: picture options with text or JSON output; the tree-only ones on a
 * path picture; `--theme` other than dark with DOT (DOT is drawn in black ink unless dark; SVG,
 * HTML and Mermaid all follow the theme). Options left at their defaults are never noted:
 * only those commander saw on the command line (getOptionValueSource 'cli').
 */
export function ignoredOptionNotes(query: 'paths' | 'tree', format: Format, o: Partial<PictureCliOptions>): string[] {
  if (!isPictureFormat(format)) {
    // A text or JSON tree takes --exclude too (treeExcludeNotes).
    const flags = writtenFlags(o, (Object.keys(PICTURE_FLAGS) as PictureKey[]).filter((k) => query === 'paths' || k !== 'exclude'));
    return flags.length ? [`${flags.join(', ')} only change${flags.length === 1 ? 's' : ''} pictures (--format dot, svg, mermaid or html); ignored with ${format} output`] : [];
  }
  const notes: string[] = [];
  const treeOnly = query === 'paths' ? writtenFlags(o, TREE_ONLY) : [];
  if (treeOnly.length) notes.push(`${treeOnly.join(', ')} only appl${treeOnly.length === 1 ? 'ies' : 'y'} to callees and callers pictures; a path is drawn whole`);
  if (format === 'dot' && writtenFlags(o, ['theme']).length && o.theme !== 'dark') notes.push(`--theme ${o.theme} has no effect on DOT (black ink, as with light; only --theme dark changes it)`);
  return notes;
}

/** The note for --exclude patterns the user wrote that left out no function of the picture (or `what`), if any. */
export function unmatchedExcludeNote(patterns: readonly string[], what: 'picture' | 'tree' = 'picture'): string[] {
  return patterns.length ? [`--exclude ${patterns.map((p) => `'${p}'`).join(', ')} matched no function in the ${what}`] : [];
}

/**
 * The notes on a text or JSON tree made with --exclude `patterns` (api/tree-filter.ts): how many
 * calls they left out, and the patterns that left out none. None without patterns.
 */
export function treeExcludeNotes(trees: readonly TreeResult[], patterns: readonly string[]): string[] {
  if (!patterns.length) return [];
  const calls = trees.reduce((sum, t) => sum + (t.leftOutExcluded ?? 0), 0);
  const matched = new Set(trees.flatMap((t) => t.excludesMatched ?? []));
  return [...(calls ? [`--exclude left out ${counted(calls, 'call')}`] : []), ...unmatchedExcludeNote(patterns.filter((p) => !matched.has(p)), 'tree')];
}

/**
 * The stderr note when a path query found fewer paths than `-k` asked for (`paths.length < k`),
 * without the `pathfind: ` prefix. With --distinct-by dispatch the paths differ in the target of
 * their first pointer call (an edge of an indirect kind, resolve/edge-kind.ts); at most one path
 * makes none, and the note says so rather than speak of a pointer call the path does not make.
 */
export function fewerPathsNote(paths: readonly PathResult[], k: number, distinctBy: 'dispatch' | undefined): string {
  const n = paths.length;
  const plural = n === 1 ? 'path exists' : 'paths exist';
  if (distinctBy === undefined) return `only ${n} ${plural} (-k ${k})`;
  const direct = paths.filter((p) => !p.edges.some((e) => isIndirect(kindId(e.kind as EdgeKind)))).length;
  if (direct === n) return `only ${n} ${plural}, and ${n === 1 ? 'it makes' : 'they make'} no pointer call whose targets --distinct-by ${distinctBy} could vary (-k ${k})`;
  const through = `only ${n} ${n === 1 ? 'path' : 'paths'} through different targets of the first pointer call exist${n === 1 ? 's' : ''}`;
  return `${through}${direct ? ', one of them making no pointer call' : ''} (-k ${k})`;
}
