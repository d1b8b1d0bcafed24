import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's gc(), had at run time by collectLikeColdIndex in a process started without `--expose-gc`. */
let gcHadLater: (() => void) | undefined;

/**
 * Runs a full garbage collection now, when the process was started with node's `--expose-gc`
 * (a cold index's second process is: cli/young-generation.ts) or collectLikeColdIndex ran;
 * otherwise does nothing.
 *
 * Why: V8 collects the old generation when it has grown by a share of what survived the last
 * full collection. Between two phases of a cold index, a phase's working tables have just
 * become garbage; collected only later, they would set both the next collection's threshold and
 * the peak while the next phase allocates. Collecting here costs one full mark (1-2 s for a
 * kernel's heap of some 2 GB) and lowers the peak by about what was dropped.
 */
export function collectGarbage(): void {
  ((globalThis as { gc?: () => void }).gc ?? gcHadLater)?.();
}

/**
 * Gives this process, from now on, the collector's policy of a cold index's second process
 * (cli/young-generation.ts HEAP_GROWING_FLAG and EXPOSE_GC_FLAG): the old generation grown by 30%
 * of what survived the last full collection before the next one (V8's dynamic factor lets a heap
 * this size grow up to 4x), and collectGarbage's forced collections between phases. For a process
 * started without those flags that resolves a whole graph (a query whose cache holds facts but no
 * usable graph): a young generation and malloc's tunables cannot be changed once a process runs,
 * these can (V8 reads the growing factor after each full collection). Idempotent.
 */
export function collectLikeColdIndex(): void {
  if (!(globalThis as { gc?: () => void }).gc && !gcHadLater) {
    setFlagsFromString('--expose-gc');
    gcHadLater = runInNewContext('gc') as () => void;
  }
  setFlagsFromString('--heap-growing-percent=30');
}
