/**
 * Runs a full garbage collection now, when the process was started with node's `--expose-gc`
 * (a cold index's second process is: cli/young-generation.ts); otherwise does nothing.
 *
 * Why: V8 collects the old generation when it has grown by a share of what survived the last
 * full collection. Between two phases of a cold index, a phase's working tables have just
 * become garbage; collected only later, they would set both the next collection's threshold and
 * the peak while the next phase allocates. Collecting here costs one full mark (1-2 s for a
 * kernel's heap of some 2 GB) and lowers the peak by about what was dropped.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
