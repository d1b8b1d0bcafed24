import { describe, expect, it } from 'vitest';
import { renderDot } from '../../src/render/dot.js';
import { viewerData } from '../../src/render/html/render-html.js';
import { renderMermaid } from '../../src/render/mermaid.js';
import { PATH_COLOURS } from '../../src/render/palette.js';
import type { PictureOptions } from '../../src/types/picture.js';
import { kPathsPicture, pathPicture } from '../support/pictures.js';

const LR: PictureOptions = { rankdir: 'LR', theme: 'auto' };

describe('one palette for every picture format', () => {
  it('is the Okabe-Ito order DOT uses: blue, vermillion, bluish green first', () => {
    expect(PATH_COLOURS.slice(0, 3)).toEqual(['#0072B2', '#D55E00', '#009E73']);
    expect(new Set(PATH_COLOURS).size).toBe(PATH_COLOURS.length);
  });

  it('gives path N the same colour in DOT, Mermaid and the HTML viewer data', () => {
    const picture = kPathsPicture();
    const dot = renderDot(picture, LR);
    const mermaid = renderMermaid(picture, LR);
    const data = viewerData(picture, LR);
    for (const row of picture.legend) {
      const colour = PATH_COLOURS[row.path]!;
      expect(dot).toMatch(new RegExp(`"legend${row.path}" \\[[^\\]]*fontcolor="${colour}"`));
      expect(mermaid).toContain(`  style p${row.path} stroke:${colour},stroke-width:4px\n`);
      expect(data.legend.find((r) => r.path === row.path)?.colour).toBe(colour);
    }
  });

  it('never uses a path colour for the start, target, root or --via emphasis', () => {
    const picture = pathPicture();
    picture.nodes[1] = { ...picture.nodes[1]!, role: 'via' };
    const mermaid = renderMermaid(picture, LR);
    const classDefs = mermaid.split('\n').filter((l) => /classDef pf(Start|Target|Root|Via)/.test(l));
    expect(classDefs.length).toBeGreaterThanOrEqual(3);
    for (const line of classDefs) for (const c of PATH_COLOURS) expect(line.toUpperCase()).not.toContain(c);
  });

  it('DOT outlines --via functions too (a bold border, single, unlike the double border of start and target)', () => {
    const picture = pathPicture();
    picture.nodes[2] = { ...picture.nodes[2]!, role: 'via' };
    const line = renderDot(picture, LR).split('\n').find((l) => l.includes(`"${picture.nodes[2]!.id}" [`))!;
    expect(line).toContain('penwidth="2"');
    expect(line).toMatch(/style="[^"]*bold/);
    expect(line).not.toContain('peripheries');
    expect(line).toContain('class="via"');
  });
});
