/**
 * The young generation of the worker threads a cold index runs (parse workers, frame encoders, the
 * graph's writer), in MB: V8's resourceLimits.maxYoungGenerationSizeMb.
 *
 * Why: node's flags are the whole process's, and a cold index runs with 32 MB semi-spaces
 * (cli/young-generation.ts: the main thread keeps nearly all it allocates). A worker would grow
 * that young generation too, while what it allocates dies with the batch or frame it works on (a
 * file's text and facts, their JSON: texts of several MB go to the large-object space, not the
 * young generation), so it would only touch more pages, resident until the thread ends.
 */
export const WORKER_YOUNG_MB = 16;
