import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MERMAID_LIMITS } from '../../src/render/mermaid-fit.js';
import { renderMermaid } from '../../src/render/mermaid.js';
import type { Picture, PictureOptions } from '../../src/types/picture.js';
import { openMermaidPage, type MermaidResult } from '../support/mermaid-browser.js';
import { callersTreePicture, clusteredPicture, emptyPicture, oddPicture, HOSTILE_FILE, HOSTILE_NAMES, hostilePicture, kPathsPicture, largePicture, pathPicture } from '../support/pictures.js';
import { needTool, skipWithout } from '../support/tools.js';

// Mermaid itself (its bundle from node_modules, in headless chromium, offline) parses every
// picture renderMermaid writes, and draws exactly the nodes, edges and texts the picture holds.
const options: PictureOptions = { rankdir: 'LR', theme: 'auto', sourceUrl: 'https://elixir.bootlin.com/linux/v6.1/source/{file}#L{line}' };

describe.skipIf(skipWithout('chromium'))('Mermaid renders our flowcharts (headless chromium)', () => {
  let browser: Browser;
  let render: (text: string) => Promise<MermaidResult>;
  beforeAll(async () => {
    ({ browser, render } = await openMermaidPage(needTool('chromium')));
  });
  afterAll(async () => browser?.close());

  /** Nodes Mermaid should draw: the picture's, a legend row per path, a note per caption. */
  const expectedNodes = (p: Picture): number => p.nodes.length + p.legend.length + (p.caption ? 1 : 0);

  const cases: [string, () => Picture][] = [
    ['a path', pathPicture],
    ['-k 3 merged paths', kPathsPicture],
    ['a callers tree with summary, cut, external and macro nodes', callersTreePicture],
    ['clusters', clusteredPicture],
    ['a self-loop, a nameless node and two edges between one pair', oddPicture],
    ['an empty picture', emptyPicture],
  ];
  for (const [name, make] of cases) {
    it(`draws ${name} with every node and edge`, async () => {
      const picture = make();
      for (const rankdir of ['LR', 'TB'] as const) {
        const r = await render(renderMermaid(picture, { ...options, rankdir }));
        expect(r.error).toBeUndefined();
        expect(r.nodes).toBe(expectedNodes(picture));
        expect(r.edges).toBe(picture.edges.length);
        expect(r.title).toBe(picture.title.replaceAll('->', '→'));
        expect(r.clusters).toBe(picture.clusters.length + (picture.legend.length ? 1 : 0));
        for (const n of picture.nodes) expect(r.nodeTexts).toContain(n.summary ? n.summary.text : `${n.name}${n.cut ? ' +' : ''}${n.file ? `${n.file}:${n.line}` : n.external ? 'external' : ''}`.replace(/^(\w+)(include)/, '$1macro · $2'));
        for (const e of picture.edges) if (e.member) expect(r.edgeTexts.join('\n')).toContain(e.member);
        expect(r.active).toEqual([]);
      }
    });
  }

  it('shows hostile names, files and members as plain text, with nothing active in the SVG', async () => {
    const picture = hostilePicture();
    const r = await render(renderMermaid(picture, options));
    expect(r.error).toBeUndefined();
    expect(r.nodes).toBe(expectedNodes(picture));
    expect(r.edges).toBe(picture.edges.length);
    picture.nodes.forEach((n) => expect(r.nodeTexts).toContain(`${n.name}${n.file}:${n.line}`));
    for (const e of picture.edges) if (e.member) expect(r.edgeTexts).toContain(e.member);
    expect(r.clusterTexts.sort()).toEqual([HOSTILE_FILE, 'fs/café.c'].sort());
    expect(r.nodeTexts).toContain(picture.caption);
    // Mermaid draws a title as sanitised HTML shown as text: arrows and angle brackets become look-alikes.
    expect(r.title).toBe(picture.title.replaceAll('->', '→').replaceAll('<', '‹').replaceAll('>', '›'));
    expect(r.active).toEqual([]);
    // Links stay on the template's host, with the hostile file name encoded in the path.
    expect(r.hrefs.length).toBe(HOSTILE_NAMES.length);
    for (const href of r.hrefs) expect(new URL(href).host).toBe('elixir.bootlin.com');
  });

  it('draws a 2,000-edge picture cut to Mermaid limits without error', async () => {
    const text = renderMermaid(largePicture(700, 2000), options);
    const r = await render(text);
    expect(r.error).toBeUndefined();
    expect(r.edges).toBeGreaterThan(100);
    expect(r.edges).toBeLessThan(MERMAID_LIMITS.maxEdges);
    expect(r.nodeTexts.some((t) => / of 700 nodes and [\d,]+ of 2,000 edges shown/.test(t))).toBe(true);
  });

  it('refuses what is over its limits (so the limits the cut keeps to are real)', async () => {
    const { drawMermaid } = await import('../../src/render/mermaid.js');
    const r = await render(drawMermaid(largePicture(700, 2000), options).text);
    // Mermaid throws, or draws its "maximum text size exceeded" message in place of the graph.
    expect(r.error !== undefined || r.edges === 0).toBe(true);
  });
});
