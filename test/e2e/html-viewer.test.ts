import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/html/index.js';
import { PATH_COLOURS } from '../../src/render/palette.js';
import type { Picture, PictureOptions } from '../../src/types/picture.js';
import { HOSTILE, hostilePicture, testDot } from '../support/hostile-picture.js';
import { needTool, skipWithout } from '../support/tools.js';


/** The page opened from a file: URL, every other request aborted and counted, errors and dialogs recorded. */
interface Opened {
  page: Page;
  blocked: string[];
  problems: string[];
}

describe.skipIf(skipWithout('chromium'))('HTML viewer in headless Chromium', () => {
  let browser: Browser;
  let svg: string;
  const dir = mkdtempSync(join(tmpdir(), 'pathfind-html-'));
  const picture = hostilePicture();

  beforeAll(async () => {
    const gv = await Graphviz.load();
    svg = gv.layout(testDot(picture), 'svg', 'dot');
    browser = await chromium.launch({
      executablePath: needTool('chromium'),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(name: string, options: PictureOptions, colorScheme: 'light' | 'dark' = 'light', shown: Picture = picture): Promise<Opened> {
    const file = join(dir, name);
    writeFileSync(file, renderHtml(shown, shown === picture ? svg : (await Graphviz.load()).layout(testDot(shown), 'svg', 'dot'), options));
    const context = await browser.newContext({ colorScheme, viewport: { width: 1400, height: 800 } });
    const page = await context.newPage();
    const blocked: string[] = [];
    const problems: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console: ${m.text()}`);
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('#pf-graph svg .svg-pan-zoom_viewport', { state: 'attached' });
    return { page, blocked, problems };
  }

  it('searches, selects, shows the panel, clears, toggles paths and copies a chain, all offline', async () => {
    const { page, blocked, problems } = await open('paths.html', { rankdir: 'LR', theme: 'auto', sourceUrl: 'https://example.org/src/{file}#L{line}' });

    // Search: one match for "caf", Enter selects it.
    await page.fill('#pf-search', 'caf');
    await expect.poll(() => page.textContent('#pf-status')).toBe('1 match');
    expect(await page.getAttribute('#n3', 'class')).toContain('pf-match');
    await page.press('#pf-search', 'Enter');
    expect(await page.isVisible('#pf-side')).toBe(true);
    expect(await page.textContent('#pf-side h2')).toBe('café');

    // Click a node: its edges and neighbours highlighted, the panel filled, nothing navigated.
    await page.locator('#n1').click();
    expect(await page.textContent('#pf-side h2')).toBe('Graph');
    expect(await page.textContent('#pf-def')).toBe(`Defined at ${HOSTILE.file}:20`);
    expect(await page.getAttribute('#pf-def a', 'href')).toBe('https://example.org/src/fs/%22%3E%3Csvg%20onload%3Dalert(1)%3E.c#L20');
    for (const id of ['n0', 'n2', 'e0', 'e1']) expect(await page.getAttribute(`#${id}`, 'class')).toContain('pf-hl');
    expect(await page.getAttribute('#n1', 'class')).toContain('pf-selected');
    expect(await page.getAttribute('#e3', 'class')).not.toContain('pf-hl');
    const calls = await page.textContent('#pf-side li[data-edge="e1"]');
    expect(calls).toContain(HOSTILE.script);
    expect(calls).toContain('ops-initializer .sendmsg');
    expect(await page.textContent('#pf-side li[data-edge="e1"] .pf-evidence')).toBe(`${picture.edges[1]!.evidence} (+2 more)`);
    expect(await page.getAttribute('#pf-side li[data-edge="e1"] a', 'href')).toBe('https://example.org/src/fs/%22%3E%3Csvg%20onload%3Dalert(1)%3E.c#L22');
    expect(await page.textContent('#pf-side li[data-edge="e0"]')).toContain('node');

    // Hostile names are text: no element made from them, no handler ran.
    expect(await page.locator('svg[onload], #pf-side script, #pf-side svg').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(3);

    // Every hostile name, found by search and selected, is shown as text.
    for (const n of picture.nodes) {
      await page.fill('#pf-search', n.name);
      await page.press('#pf-search', 'Enter');
      expect(await page.textContent('#pf-side h2')).toBe(n.name);
      expect(await page.locator('#pf-side h2 *').count()).toBe(0);
    }

    // Esc clears the selection and the search.
    await page.keyboard.press('Escape');
    expect(await page.isVisible('#pf-side')).toBe(false);
    expect(await page.locator('#pf-graph .pf-selected, #pf-graph .pf-hl, #pf-graph .pf-match').count()).toBe(0);

    // Tab goes through the nodes in the picture's order, rank by rank (this one is drawn left to
    // right: by x, then top to bottom within a rank), not in id order.
    const tabOrder = await page.$$eval('#pf-graph [tabindex="0"]', (xs) => xs.map((x) => { const r = x.getBoundingClientRect(); return { id: x.id, y: r.top + r.height / 2, x: r.left + r.width / 2 }; }));
    expect(tabOrder.map((n) => n.id).sort()).toEqual(picture.nodes.map((n) => n.id).sort());
    const drawn = [...tabOrder].sort((a, b) => Math.round(a.x) - Math.round(b.x) || a.y - b.y);
    expect(tabOrder.map((n) => n.id)).toEqual(drawn.map((n) => n.id));
    expect(tabOrder.map((n) => n.id)).not.toEqual(picture.nodes.map((n) => n.id));

    // The search box shows its whole placeholder.
    const placeholderFits = await page.$eval('#pf-search', (input) => {
      const box = input as HTMLInputElement, style = getComputedStyle(box);
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = `${style.fontSize} ${style.fontFamily}`;
      const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return box.placeholder.length > 0 && ctx.measureText(box.placeholder).width <= room;
    });
    expect(placeholderFits).toBe(true);

    // Each path's swatch has that path's palette colour (not the colour of an edge all paths share).
    const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    const swatches = await page.$$eval('#pf-paths .pf-swatch', (xs) => xs.map((x) => getComputedStyle(x).backgroundColor));
    expect(swatches).toEqual([rgb(PATH_COLOURS[0]), rgb(PATH_COLOURS[1])]);

    // Toggle path 2 off and on: its own nodes and edges hide, shared ones stay.
    await page.uncheck('#pf-path-1');
    expect(await page.isVisible('#n3')).toBe(false);
    expect(await page.isVisible('#e3')).toBe(false);
    expect(await page.isVisible('#n0')).toBe(true);
    expect(await page.isVisible('#n1')).toBe(true);
    await page.check('#pf-path-1');
    expect(await page.isVisible('#n3')).toBe(true);

    // Copy as chain, for path 1 by default and for path 2 picked from the keyboard.
    await page.click('#pf-copy');
    expect(await page.inputValue('#pf-chain')).toBe(`node -> Graph -> ${HOSTILE.script} -> STRICT`);
    await page.focus('#pf-pick-1');
    await page.keyboard.press(' ');
    expect(await page.getAttribute('#pf-pick-1', 'aria-pressed')).toBe('true');
    await page.focus('#pf-copy');
    await page.keyboard.press('Enter');
    expect(await page.inputValue('#pf-chain')).toBe('node -> café -> a\\ -> <anonymous> -> "quoted" -> #hash -> STRICT');

    // With path 1 picked, a node only path 2 goes through gives path 2's chain.
    await page.click('#pf-pick-0');
    await page.click('#pf-fit');
    await page.locator('#n3').click();
    await page.click('#pf-copy');
    expect(await page.inputValue('#pf-chain')).toBe('node -> café -> a\\ -> <anonymous> -> "quoted" -> #hash -> STRICT');
    await page.keyboard.press('Escape');

    // Zoom from the keyboard, and back to the whole picture.
    const view = () => page.getAttribute('#pf-graph .svg-pan-zoom_viewport', 'transform');
    const before = await view();
    await page.focus('#pf-zoom-in');
    await page.keyboard.press('Enter');
    await expect.poll(view).not.toBe(before);
    const fits = () =>
      page.evaluate(() => {
        const d = document.querySelector('#pf-graph .svg-pan-zoom_viewport')!.getBoundingClientRect();
        const g = document.getElementById('pf-graph')!.getBoundingClientRect();
        return d.left >= g.left - 1 && d.right <= g.right + 1 && d.top >= g.top - 1 && d.bottom <= g.bottom + 1;
      });
    await expect.poll(fits).toBe(false);
    await page.click('#pf-fit');
    await expect.poll(fits).toBe(true);

    // A node reached with Tab-order focus opens with Enter.
    await page.focus('#n6');
    await page.keyboard.press('Enter');
    expect(await page.textContent('#pf-side h2')).toBe('"quoted"');

    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('shows a callers tree: a hub with more callers than the panel lists, a summary node, the chain to the root', async () => {
    // The first caller is left out by the build, the second calls through a pointer bound only in such files.
    const callers = Array.from({ length: 25 }, (_, i) => ({ id: `n${i + 1}`, name: `caller_${String(i).padStart(2, '0')}`, file: 'fs/a.c', line: i + 1, ...(i === 0 ? { notBuilt: 'not built with arch/x86/configs/x86_64_defconfig' } : {}) }));
    const tree: Picture = {
      title: 'callers of hub',
      kind: 'callers',
      nodes: [
        { id: 'n0', name: 'hub', file: 'kernel/hub.c', line: 5, role: 'root' },
        ...callers,
        { id: 'n26', name: '+37 callers in fs/ (12 files)', summary: { count: 37, text: '+37 callers in fs/ (12 files)' } },
      ],
      edges: [
        ...callers.map((c, i) => ({ id: `e${i}`, from: c.id, to: 'n0', kind: i === 1 ? 'ops-initializer' : 'direct', file: 'fs/a.c', line: 100 + i, ...(i === 1 ? { unbuiltBinding: 'bound only in files not built with arch/x86/configs/x86_64_defconfig' } : {}) })),
        { id: 'e25', from: 'n26', to: 'n1', kind: 'summary' },
      ],
      clusters: [],
      legend: [],
      caption: '27 of 63 nodes shown',
    };
    const { page, blocked, problems } = await open('tree.html', { rankdir: 'TB', theme: 'auto' }, 'light', tree);
    await page.locator('#n0').click();
    expect(await page.textContent('#pf-side')).toContain('Called by (25)');
    expect(await page.locator('#pf-side li[data-edge]').count()).toBe(20);
    expect(await page.textContent('#pf-side li:last-child')).toBe('+5 more');
    expect(await page.locator('#pf-def a').count()).toBe(0);
    expect(await page.textContent('#pf-def')).toBe('Defined at kernel/hub.c:5');
    expect(await page.textContent('#pf-side li[data-edge="e1"]')).toContain('ops-initializer (bound only in files not built with arch/x86/configs/x86_64_defconfig)');
    expect(await page.locator('#pf-side .pf-not-built').count()).toBe(0);
    await page.locator('#n1').click();
    expect(await page.textContent('#pf-side .pf-not-built')).toBe('Not built with arch/x86/configs/x86_64_defconfig.');
    await page.locator('#n26').click();
    expect(await page.textContent('#pf-side h2')).toBe('+37 callers in fs/ (12 files)');
    // Copy as chain with nothing selected says what to do, and copies nothing.
    await page.keyboard.press('Escape');
    await page.click('#pf-copy');
    expect(await page.textContent('#pf-status')).toBe('Select a function first: the chain runs from it to hub');
    expect(await page.isVisible('#pf-chain')).toBe(false);
    await page.fill('#pf-search', 'caller_03');
    await page.press('#pf-search', 'Enter');
    await page.click('#pf-copy');
    expect(await page.inputValue('#pf-chain')).toBe('caller_03 -> hub');
    expect(await page.textContent('#pf-caption')).toBe('27 of 63 nodes shown');
    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('follows the forced theme and the reader’s colour scheme', async () => {
    const background = (p: Page) => p.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const dark = await open('dark.html', { rankdir: 'LR', theme: 'dark' }, 'light');
    expect(await background(dark.page)).toBe('rgb(21, 23, 26)');
    const auto = await open('auto.html', { rankdir: 'LR', theme: 'auto' }, 'dark');
    expect(await background(auto.page)).toBe('rgb(21, 23, 26)');
    const stroke = () => auto.page.evaluate(() => getComputedStyle(document.querySelector('#n0 polygon')!).stroke);
    expect(await stroke()).toBe('rgb(230, 230, 230)');
    await auto.page.locator('#n0').click();
    expect(await stroke()).toBe('rgb(255, 138, 76)');
    const light = await open('light.html', { rankdir: 'LR', theme: 'light' }, 'dark');
    expect(await background(light.page)).toBe('rgb(255, 255, 255)');
    for (const o of [dark, auto, light]) {
      expect(o.blocked).toEqual([]);
      expect(o.problems).toEqual([]);
    }
  });
});
