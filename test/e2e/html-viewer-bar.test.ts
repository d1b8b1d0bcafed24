import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDot } from '../../src/render/dot.js';
import { renderHtml } from '../../src/render/html/index.js';
import { PATH_COLOURS } from '../../src/render/palette.js';
import { finishSvg } from '../../src/render/svg-finish.js';
import type { Picture } from '../../src/types/picture.js';
import { needTool, skipWithout } from '../support/tools.js';

// A user's finding: with paths hidden in the viewer, a call shared by several paths still said
// "paths 1-3" in the ink colour. It now names the shown paths only, and a call left on one shown
// path takes that path's colour, as a picture of that path alone would draw it.

/**
 * Three paths from `start` to `target`: all three share the first call (start -> hub), paths 1
 * and 2 share hub -> a, path 3 goes hub -> b.
 */
function threePaths(): Picture {
  const names = ['start', 'hub', 'a', 'b', 'target'];
  const nodes = names.map((name, i) => ({ id: `n${i}`, name, file: 'net/x.c', line: 10 + i, ...(i === 0 ? { role: 'start' as const } : i === 4 ? { role: 'target' as const } : {}) }));
  const link = (id: string, from: number, to: number, paths: number[]) => ({ id, from: `n${from}`, to: `n${to}`, kind: 'direct', file: 'net/x.c', line: 20 + from, paths });
  const edges = [link('e0', 0, 1, [0, 1, 2]), link('e1', 1, 2, [0, 1]), link('e2', 1, 3, [2]), link('e3', 2, 4, [0, 1]), link('e4', 3, 4, [2])];
  return { title: 'start -> target', kind: 'paths', nodes, edges, clusters: [], legend: [0, 1, 2].map((path) => ({ path, calls: 3 })) };
}

describe.skipIf(skipWithout('chromium'))('HTML viewer: the path toggles and the bar', () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'pathfind-shared-'));
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: needTool('chromium'), args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** The picture drawn by the real DOT writer and Graphviz, opened in a page; page errors collected. */
  async function open(name: string, picture: Picture) {
    const options = { rankdir: 'LR' as const, theme: 'light' as const };
    const file = join(dir, name);
    writeFileSync(file, renderHtml(picture, finishSvg((await Graphviz.load()).layout(renderDot(picture, options), 'svg', 'dot'), options.theme), options));
    const page = await (await browser.newContext({ viewport: { width: 1000, height: 800 } })).newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('#pf-graph svg .svg-pan-zoom_viewport', { state: 'attached' });
    return { page, problems };
  }

  it('names the shown paths beside a shared call and colours a call left on one path', async () => {
    const { page, problems } = await open('shared.html', threePaths());
    /** An edge's label lines and the stroke its line is drawn with, as the reader sees them. */
    const edge = (id: string) =>
      page.$eval(`#${id}`, (g) => ({
        text: [...g.querySelectorAll('text')].map((t) => t.textContent),
        stroke: getComputedStyle(g.querySelector('path')!).stroke,
        head: getComputedStyle(g.querySelector('polygon')!).fill,
      }));
    const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    const ink = (await edge('e0')).stroke;
    expect((await edge('e0')).text).toEqual(['paths 1-3']);
    expect((await edge('e1')).text).toEqual(['paths 1, 2']);

    await page.uncheck('#pf-path-2');
    expect((await edge('e0')).text).toEqual(['paths 1, 2']);
    expect((await edge('e0')).stroke).toBe(ink);

    await page.uncheck('#pf-path-0');
    const left = await edge('e0');
    expect(left.text).toEqual(['path 2']);
    expect(left.stroke).toBe(rgb(PATH_COLOURS[1]));
    expect(left.head).toBe(rgb(PATH_COLOURS[1]));
    expect((await edge('e1')).text).toEqual(['path 2']);

    // Shown again: as drawn at first.
    await page.check('#pf-path-0');
    await page.check('#pf-path-2');
    expect((await edge('e0')).text).toEqual(['paths 1-3']);
    expect((await edge('e0')).stroke).toBe(ink);
    expect((await edge('e1')).text).toEqual(['paths 1, 2']);
    expect(problems).toEqual([]);
  });

  // A user's finding: a long title (deep kernel names) wrapped the bar onto several lines and
  // pushed the graph down. The title now keeps one line, cut with an ellipsis, whole in its tooltip.
  it('keeps a long title on one line of the bar, whole in its tooltip', async () => {
    const picture = threePaths();
    picture.title = Array.from({ length: 12 }, (_, i) => `a_rather_long_kernel_function_name_${i}`).join(' -> ');
    const { page, problems } = await open('title.html', picture);
    const bar = await page.$eval('#pf-bar', (b) => {
      const h1 = b.querySelector('h1')!;
      const line = parseFloat(getComputedStyle(h1).lineHeight) || h1.getBoundingClientRect().height;
      return { h1: h1.getBoundingClientRect().height, line, bar: b.getBoundingClientRect().height, title: h1.title, cut: h1.scrollWidth > h1.clientWidth, fit: document.getElementById('pf-fit')!.getBoundingClientRect().top - b.getBoundingClientRect().top };
    });
    expect(bar.h1).toBeLessThan(bar.line * 1.5);
    expect(bar.cut).toBe(true);
    expect(bar.title).toBe(picture.title);
    // The controls stay on the bar's first line.
    expect(bar.fit).toBeLessThan(bar.line * 2);
    expect(problems).toEqual([]);
  });
});
