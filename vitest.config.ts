import { defineConfig } from 'vitest/config';

/**
 * The tests that open a cached graph, patch it and read what was written, run twice: as they are,
 * and with the graph cache storing small values as columns (PATHFIND_SMALL_COLUMNS, cache/column-format.ts
 * smallColumns). A miniature tree's cache otherwise keeps most of its values in the frame's skeleton,
 * so the code that reads, patches and writes a kernel's columns (string tables with names appended,
 * 16-bit lines, packed build records, texts in blocks) would not run in them at all.
 */
const PATCHED = [
  'test/integration/{incremental,incremental-*,ahead-after-patch,facts-overlay,fieldcopy-incremental,graph-cache-roundtrip,graph-rows-cache,lazy-facts,kept-*,facts-held,patch-facts-reads,patched-path-only,resume-facts,stored-seeds,unresolved-ahead,write-behind,cache,cache-prepare,unbuilt-costs-cached}.test.ts',
  'test/e2e/{write-behind,explain-cache,cache-folder}.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/support/temp-root.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'all', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'small columns', include: PATCHED, env: { PATHFIND_SMALL_COLUMNS: '1' } } },
    ],
  },
});
