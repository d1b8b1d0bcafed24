import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTree, type Project } from '../../src/index.js';
import { calleeKinds, edgeEvidence } from '../support/callees.js';

/**
 * fixtures/compound: operations given as compound literals, `&(struct chan_ops){ .open = f }`,
 * assigned to a member, returned, passed as arguments and nested in a file-scope initializer.
 * Their designated members bind like a named object's initializer.
 */
const fixture = join(import.meta.dirname, '../../fixtures/compound');

const open = (extractor?: 'tree-sitter'): Promise<Project> => openTree({ root: fixture, jobs: 1, cache: false, ...(extractor ? { extractor } : {}) });

describe('compound-literal initializers', () => {
  it('binds the members a compound literal initialises, wherever it is written', async () => {
    const p = await open();
    expect(calleeKinds(p, 'chan_open')).toEqual(['def_open ops-initializer', 'loop_open ops-initializer']);
    expect(calleeKinds(p, 'chan_close')).toEqual(['loop_close ops-initializer']);
    expect(calleeKinds(p, 'chan_xmit')).toEqual(['fast_xmit ops-initializer', 'loop_xmit ops-initializer']);
    expect(calleeKinds(p, 'chan_arm')).toEqual(['loop_fire ops-initializer']);
  });

  it('names the compound literal and the function holding it as the evidence', async () => {
    const p = await open();
    expect(edgeEvidence(p, 'chan_open', 'loop_open')).toEqual(['loop-drv.c:14 .open = loop_open in a compound literal (struct chan_ops) in loop_setup']);
    expect(edgeEvidence(p, 'chan_xmit', 'fast_xmit')).toEqual(['loop-drv.c:22 .xmit = fast_xmit in a compound literal (chan_ops_t) in loop_fast_ops']);
    expect(edgeEvidence(p, 'chan_open', 'def_open')).toEqual(['loop-drv.c:36 .open = def_open in a compound literal (struct chan_ops) at file scope']);
  });

  it('gives the same graph with the tree-sitter extractor', async () => {
    const text = (q: Project): string[] => ['chan_open', 'chan_close', 'chan_xmit', 'chan_arm'].flatMap((f) => calleeKinds(q, f).map((c) => `${f} ${c}`));
    expect(text(await open('tree-sitter'))).toEqual(text(await open()));
  });
});
