import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { copyFixture } from '../support/fixtures.js';
import { putFile } from '../support/edit-files.js';
import { canonicalGraph } from '../support/tree-edits.js';
import { readFileSync, rmSync } from 'node:fs';

/**
 * A patch checks that the facts file holds for the cached graph (its manifest against the graph's:
 * 43,000 entries on a kernel) only when no record kept beside the graph says so (cache/cached-facts.ts
 * keepFactsHeld): the patch that checked it keeps that record for the graph it makes, so the next
 * edit's patch, in a new process, decodes no facts manifest, and still equals a fresh index.
 */

/** pathfind's modules loaded afresh, as a new process loads them (nothing decoded by an earlier open is remembered), with a count of facts manifests decoded. */
async function freshProcess(): Promise<{ open: typeof import('../../src/index.js').openTreeReport; manifests: () => number }> {
  vi.resetModules();
  const { FrameFile } = await import('../../src/cache/frame-file.js');
  const { openTreeReport } = await import('../../src/index.js');
  let manifests = 0;
  const value = FrameFile.prototype.value;
  vi.spyOn(FrameFile.prototype, 'value').mockImplementation(function <T>(this: typeof FrameFile.prototype, i: number): T {
    // Frame 0 of a compressed (facts) file is its manifest.
    if (i === 0 && (this as unknown as { compressed: boolean }).compressed) manifests++;
    return value.call(this, i) as T;
  });
  return { open: openTreeReport, manifests: () => manifests };
}

describe('the record that the facts file holds for a patched graph', () => {
  it('spares the next patch decoding the facts manifest, and the patch still equals a fresh index', async () => {
    const { dir, root } = copyFixture('incr/assign', 'pathfind-facts-held-');
    const cache = join(dir, 'cache');
    await (await freshProcess()).open({ root, cache });
    const text = readFileSync(join(root, 'tcp.c'), 'utf8');
    // Body edits, then a file added and deleted (the facts file stays as it is, its layout moved): each patch keeps the record for the next.
    const edits: [string, string | null][] = [['tcp.c', text.replace('{\n', '{\n\t/* one */\n')], ['tcp.c', text], ['extra.c', 'void extra(void)\n{\n}\n'], ['tcp.c', text.replace('{\n', '{\n\n\n')], ['extra.c', null], ['tcp.c', text]];
    for (const [step, [path, edited]] of edits.entries()) {
      if (edited === null) rmSync(join(root, path));
      else putFile(root, path, edited);
      const run = await freshProcess();
      const cached = await run.open({ root, cache });
      expect(cached.report.incremental, `step ${step}`).toBe(true);
      // The first patch follows the cold index, which kept no record: it checks the manifest.
      if (step === 0) expect(run.manifests()).toBeGreaterThan(0);
      else expect(run.manifests(), `step ${step}`).toBe(0);
      const scratch = await run.open({ root, cache: false });
      expect(canonicalGraph(cached.project), `step ${step}`).toEqual(canonicalGraph(scratch.project));
      vi.restoreAllMocks();
    }
  });
});
