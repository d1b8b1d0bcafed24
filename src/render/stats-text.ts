import type { StatsResult } from '../types/results.js';
import { formatCount } from './count.js';

/** The text of `pathfind stats` (StatsResult): one aligned row per count, then the files not read and those with parse errors. */

/** Stats' words for the kinds of indirect call site (StatsResult.indirect.bySite). */
const SITE_WORDS: Record<string, string> = {
  member: 'through a member',
  local: 'through a local pointer',
  global: 'through a global pointer',
  array: 'through an array element',
  wrapper: 'through an indirect-call wrapper',
  expression: 'through another expression',
};

export function renderStatsText(stats: StatsResult): string {
  const n = formatCount;
  const rows: [string, string | number][] = [
    ['files', stats.files],
    ['files with parse errors', stats.filesWithParseErrors],
    ['files not read', stats.unreadable.length],
    ['functions', stats.functions],
    ['macros', stats.macros],
    ['external functions', stats.external],
    ['call sites', stats.callSites.total],
    ['  direct', stats.callSites.direct],
    ['  indirect', stats.callSites.indirect],
    ['  through a parameter', stats.callSites.throughParameter],
    ['direct sites bound to several definitions', `${n(stats.binding.multiple)} (${stats.binding.percentMultiple.toFixed(1)}%)`],
    ['  config-dependent', stats.binding.configDependent],
    ['direct sites with no visible definition', stats.binding.noneVisible],
    ['indirect sites resolved', `${n(stats.indirect.resolved)} (${stats.callSites.indirect ? ((100 * stats.indirect.resolved) / stats.callSites.indirect).toFixed(1) : '0.0'}%)`],
    ...Object.entries(stats.indirect.byKind).map(([k, v]): [string, number] => [`  resolved by ${k}`, v]),
    ['indirect sites unresolved', stats.indirect.unresolved],
    ['  no binding', stats.indirect.unresolvedByReason.noBinding],
    ['  over a fallback cap', stats.indirect.unresolvedByReason.overCap],
    ['indirect sites by how they call', 'unresolved of sites'],
    ...Object.entries(stats.indirect.bySite)
      .filter(([, v]) => v.sites > 0)
      .map(([k, v]): [string, string] => [`  ${SITE_WORDS[k] ?? k}`, `${n(v.unresolved)} of ${n(v.sites)} (${((100 * v.unresolved) / v.sites).toFixed(1)}%)`]),
    ['targets per resolved site', `median ${n(stats.indirect.targetsPerSite.median)}, p90 ${n(stats.indirect.targetsPerSite.p90)}, max ${n(stats.indirect.targetsPerSite.max)}`],
    ['edges', Object.values(stats.edges).reduce((a, b) => a + b, 0)],
    ...Object.entries(stats.edges).filter(([, v]) => v > 0).map(([k, v]): [string, number] => [`  ${k}`, v]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  // Every count with thousands separators, as the rest of the output writes them.
  let out = `${rows.map(([k, v]) => `${k.padEnd(width)}  ${typeof v === 'number' ? n(v) : v}`).join('\n')}\n`;
  if (stats.unreadable.length) {
    const pathWidth = Math.max(...stats.unreadable.map((f) => f.path.length));
    out += `\nnot read (skipped; the rest is indexed):\n${stats.unreadable.map((f) => `  ${f.path.padEnd(pathWidth)}  ${unreadableReason(f.reason)}`).join('\n')}\n`;
  }
  if (stats.parseErrors.length) out += parseErrorList(stats.parseErrors);
  return out;
}

/** How many files with parse errors the stats text lists by name; JSON lists them all. */
export const PARSE_ERROR_FILES_SHOWN = 20;

/** The files with parse errors, most errors first, at most PARSE_ERROR_FILES_SHOWN of them, then how many more. */
function parseErrorList(files: StatsResult['parseErrors']): string {
  const shown = [...files].sort((a, b) => b.count - a.count || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).slice(0, PARSE_ERROR_FILES_SHOWN);
  const pathWidth = Math.max(...shown.map((f) => f.path.length));
  const more = files.length - shown.length;
  const tail = more > 0 ? `  ... and ${more} more (stats --json lists them all)\n` : '';
  return `\nparse errors (unbalanced brackets or blocks outside any definition, recovered from; the rest of each file is indexed):\n${shown.map((f) => `  ${f.path.padEnd(pathWidth)}  ${f.count}`).join('\n')}\n${tail}`;
}

/** Plain words for an UnreadableFile reason (an error code, or not-text), the code kept in brackets. */
export function unreadableReason(reason: string): string {
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOENT: 'vanished while the tree was indexed',
    EISDIR: 'a folder where a file was listed',
    ENOTDIR: 'a file where a folder was listed',
    ELOOP: 'too many levels of symbolic links',
    EIO: 'input/output error',
  };
  if (reason === 'not-text') return 'not text (holds a NUL byte)';
  return words[reason] ? `${words[reason]} (${reason})` : reason;
}
