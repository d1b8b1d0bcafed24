import { describe, expect, it } from 'vitest';
import { formatCount } from '../../src/render/count.js';
import { loadRenderer } from '../../src/render/formats.js';
import { pictureTrees, summaryText } from '../../src/render/picture/build-tree.js';
import type { NodeRef, TreeResult } from '../../src/types/results.js';
import type { PictureOptions } from '../../src/types/picture.js';
import { largePicture } from '../support/pictures.js';

const LR: PictureOptions = { rankdir: 'LR', theme: 'auto' };
const ref = (name: string, file = `fs/${name}.c`): NodeRef => ({ name, file, line: 1 });

/** A callees tree: `top` calling `width` functions directly. */
function wideTree(width: number): TreeResult {
  const top = ref('top');
  const children = Array.from({ length: width }, (_, i) => ({ node: ref(`f${i}`), children: [], edge: { from: top, to: ref(`f${i}`), kind: 'direct', file: top.file, line: 2 } }));
  return { direction: 'callees', function: top, root: { node: top, children } };
}

describe('counts in captions and notes', () => {
  it('are written with comma thousands separators, the same in every locale', () => {
    expect([0, 7, 999, 1000, 12345, 1234567].map(formatCount)).toEqual(['0', '7', '999', '1,000', '12,345', '1,234,567']);
  });

  it('a tree caption and its summary nodes use them', () => {
    const p = pictureTrees([wideTree(1200)], 'callees', { cluster: 'none', maxNodes: 3, exclude: [] });
    expect(p.caption).toBe('3 of 1,201 nodes shown; + marks a node with callees not drawn');
    expect(summaryText('callees', Array.from({ length: 1500 }, (_, i) => ref(`g${i}`, `fs/f${i}.c`)))).toBe('+1,500 callees in fs/ (1,500 files)');
  });

  it("Mermaid's cut is a note of the renderer's output (for stderr), worded and counted as in the picture", async () => {
    const render = await loadRenderer('mermaid');
    const out = await render(largePicture(700, 2000), LR);
    expect(out.note).toMatch(/^Mermaid's limits: \d{1,3}(,\d{3})? of 700 nodes and \d{1,3}(,\d{3})? of 2,000 edges shown \(at most 500 edges, 50,000 characters\)$/);
    expect(out.text).toContain(`  %% ${out.note!}\n`);
    const whole = await render(largePicture(10, 20), LR);
    expect(whole.note).toBeUndefined();
  });
});
