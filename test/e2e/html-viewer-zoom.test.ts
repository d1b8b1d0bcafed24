import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDot } from '../../src/render/dot.js';
import { renderHtml } from '../../src/render/html/index.js';
import { finishSvg } from '../../src/render/svg-finish.js';
import type { Picture, PictureOptions } from '../../src/types/picture.js';
import { needTool, skipWithout } from '../support/tools.js';

// A user's finding: a 36-call kernel path opened fit to the window, its labels about 3 px high.
// The viewer now opens such a picture at a readable size at its start (a tree: at its root), says
// so, and Fit still shows the whole picture.

/** A chain of `calls` calls, three functions a file: a path (start to target) or a tree (root at one end). */
function chain(calls: number, kind: Picture['kind']): Picture {
  const nodes = Array.from({ length: calls + 1 }, (_, i) => ({ id: `n${i}`, name: `long_function_name_${i}`, file: `drivers/net/f${Math.floor(i / 3)}.c`, line: 10 + i, cluster: `c${Math.floor(i / 3)}` }));
  const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, from: `n${i}`, to: n.id, kind: 'direct', file: nodes[i]!.file, line: 20 + i }));
  if (kind === 'paths') Object.assign(nodes[0]!, { role: 'start' }), Object.assign(nodes[calls]!, { role: 'target' });
  // callees: the root calls down the chain; callers: the chain calls down to the root.
  else Object.assign(nodes[kind === 'callees' ? 0 : calls]!, { role: 'root' });
  const clusters = [...new Set(nodes.map((n) => n.cluster))].map((id) => ({ id, label: `drivers/net/f${id.slice(1)}.c` }));
  return { title: `${kind} of a long chain`, kind, nodes, edges, clusters, legend: [] };
}

/** The start (or root) node's label height and box, the graph area's box, the status line, and whether the whole drawing is inside the area. */
type Seen = { label: number; node: DOMRect; area: DOMRect; status: string; fits: boolean };

describe.skipIf(skipWithout('chromium'))('HTML viewer: a long picture opens readable', () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'pathfind-zoom-'));
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: needTool('chromium'), args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(name: string, picture: Picture, options: PictureOptions): Promise<{ page: Page; seen: () => Promise<Seen>; id: string }> {
    const svg = finishSvg((await Graphviz.load()).layout(renderDot(picture, options), 'svg', 'dot'), options.theme);
    const file = join(dir, name);
    writeFileSync(file, renderHtml(picture, svg, options));
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 800 } })).newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('#pf-graph svg .svg-pan-zoom_viewport', { state: 'attached' });
    const id = picture.nodes.find((n) => n.role === 'start' || n.role === 'root')!.id;
    const seen = () =>
      page.evaluate((id): Seen => {
        const node = document.getElementById(id)!;
        const area = document.getElementById('pf-graph')!.getBoundingClientRect();
        const d = document.querySelector('#pf-graph .svg-pan-zoom_viewport')!.getBoundingClientRect();
        const fits = d.left >= area.left - 1 && d.right <= area.right + 1 && d.top >= area.top - 1 && d.bottom <= area.bottom + 1;
        return { label: node.querySelector('text')!.getBoundingClientRect().height, node: node.getBoundingClientRect().toJSON(), area: area.toJSON(), status: document.getElementById('pf-status')!.textContent ?? '', fits };
      }, id);
    expect(problems).toEqual([]);
    return { page, seen, id };
  }

  /** What the page shows once its opening zoom is drawn (the label readable), and the page. */
  async function openReadable(name: string, picture: Picture, options: PictureOptions): Promise<{ page: Page; seen: () => Promise<Seen>; s: Seen }> {
    const { page, seen } = await open(name, picture, options);
    await expect.poll(async () => (await seen()).label).toBeGreaterThanOrEqual(12);
    const s = await seen();
    expect(inside(s)).toBe(true);
    return { page, seen, s };
  }

  const inside = (s: Seen): boolean => s.node.left >= s.area.left && s.node.right <= s.area.right && s.node.top >= s.area.top && s.node.bottom <= s.area.bottom;

  it('a 36-call path drawn top to bottom: its start at the top, labels readable; Fit shows it whole', async () => {
    const { page, seen, s } = await openReadable('long-tb.html', chain(36, 'paths'), { rankdir: 'TB', theme: 'light' });
    expect(s.node.top - s.area.top).toBeLessThan(s.area.height / 4);
    expect(s.fits).toBe(false);
    expect(s.status).toBe('At a readable size from the start of the path; Fit shows the whole picture');
    await page.click('#pf-fit');
    await expect.poll(async () => (await seen()).fits).toBe(true);
    // Fitting the whole is what made the labels unreadable.
    expect((await seen()).label).toBeLessThan(12);
    expect((await seen()).status).toBe('');
  });

  it('a 36-call path drawn left to right: its start at the left', async () => {
    const { s } = await openReadable('long-lr.html', chain(36, 'paths'), { rankdir: 'LR', theme: 'light' });
    expect(s.node.left - s.area.left).toBeLessThan(s.area.width / 4);
  });

  it('a deep callers tree: its root, drawn at the bottom, is where it opens', async () => {
    const { s } = await openReadable('callers.html', chain(36, 'callers'), { rankdir: 'TB', theme: 'light' });
    expect(s.area.bottom - s.node.bottom).toBeLessThan(s.area.height / 4);
    expect(s.status).toBe('At a readable size from the root; Fit shows the whole picture');
  });

  it('a picture that is readable fitted opens fitted, with nothing said', async () => {
    const { seen } = await open('short.html', chain(4, 'callees'), { rankdir: 'TB', theme: 'light' });
    const s = await seen();
    expect(s.fits).toBe(true);
    expect(s.label).toBeGreaterThanOrEqual(12);
    expect(s.status).toBe('');
  });
});
