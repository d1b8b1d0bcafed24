import { describe, expect, it } from 'vitest';
import { renderStatsText } from '../../src/render/text.js';
import type { StatsResult } from '../../src/types/results.js';

/** The stats text groups thousands with commas in every count, as the rest of the output does (README: output). */
describe('stats text', () => {
  it('writes every count of a kernel-sized index with thousands separators', () => {
    const stats: StatsResult = {
      files: 43325,
      filesWithParseErrors: 1204,
      functions: 607703,
      macros: 1250001,
      external: 12345,
      callSites: { total: 5012345, direct: 4500000, indirect: 500345, throughParameter: 12000 },
      edges: { direct: 3500000, 'ops-initializer': 750679 },
      indirect: {
        resolved: 400345,
        unresolved: 100000,
        unresolvedByReason: { noBinding: 98000, overCap: 2000 },
        byKind: { 'ops-initializer': 400345 },
        bySite: { member: { sites: 450000, unresolved: 90000 } },
        targetsPerSite: { median: 2, p90: 40, max: 3504 },
      },
      binding: { multiple: 25000, percentMultiple: 0.5, configDependent: 12000, noneVisible: 1500 },
      unreadable: [],
      parseErrors: [],
    } as unknown as StatsResult;
    const text = renderStatsText(stats);
    // Every run of four or more digits is grouped.
    expect(text.match(/\d{4,}/g)).toBeNull();
    expect(text).toMatch(/^functions +607,703$/m);
    expect(text).toMatch(/^edges +4,250,679$/m);
    expect(text).toMatch(/^ {2}through a member +90,000 of 450,000 \(20\.0%\)$/m);
    expect(text).toMatch(/^targets per resolved site +median 2, p90 40, max 3,504$/m);
  });
});
