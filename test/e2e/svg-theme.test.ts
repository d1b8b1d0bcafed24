import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutSvg } from '../../src/render/svg.js';
import type { SvgTheme } from '../../src/render/svg-theme.js';
import { needTool, skipWithout } from '../support/tools.js';

// A graph drawn the way renderDot draws one: ink #000000, grey clusters, Okabe-Ito path colours,
// no background; plus a node filled with a light tint and one left in Graphviz's default black.
const DOT = `digraph "pathfind" {
  graph [id="graph", label="title", bgcolor="transparent", fontcolor="#000000", fontname="Helvetica"];
  node [shape=box, color="#000000", fontcolor="#000000", fontname="Helvetica"];
  edge [color="#000000", fontcolor="#000000", fontname="Helvetica"];
  subgraph "cluster_c0" { id="c0"; label="net/socket.c"; color="#999999"; fontcolor="#777777"; "n0" [id="n0", label="sock_sendmsg"]; }
  "n1" [id="n1", label="inet_sendmsg", style=filled, fillcolor="#fff3c4"];
  "n2" [id="n2", label="tcp_sendmsg", color="black", fontcolor="black"];
  "n0" -> "n1" [id="e0"];
  "n1" -> "n2" [id="e1", color="#0072B2", label="sendmsg", fontcolor="#0072B2"];
}`;

const FG = { light: 'rgb(31, 35, 40)', dark: 'rgb(230, 237, 243)' };
const BLUE = 'rgb(0, 114, 178)';

describe.skipIf(skipWithout('chromium'))('SVG themes in a browser', () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'pathfind-svg-'));
  const files: Partial<Record<SvgTheme, string>> = {};

  beforeAll(async () => {
    for (const theme of ['light', 'dark', 'auto'] as const) {
      const r = await layoutSvg(() => DOT, { theme });
      if (!('svg' in r)) throw new Error(r.note);
      files[theme] = join(dir, `${theme}.svg`);
      writeFileSync(files[theme]!, r.svg);
    }
    browser = await chromium.launch({ executablePath: needTool('chromium'), args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Computed colours of the drawn shapes, the SVG opened on its own (offline: any request but file: is aborted). */
  async function colours(theme: SvgTheme, colorScheme: 'light' | 'dark'): Promise<Record<string, string>> {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    await page.goto(pathToFileURL(files[theme]!).href);
    const got = await page.evaluate(() => {
      const style = (sel: string, prop: 'stroke' | 'fill'): string => getComputedStyle(document.querySelector(sel)!)[prop];
      return {
        title: style('#graph > text', 'fill'),
        nodeLine: style('#n0 polygon', 'stroke'),
        nodeText: style('#n0 text', 'fill'),
        blackLine: style('#n2 polygon', 'stroke'),
        blackText: style('#n2 text', 'fill'),
        tintText: style('#n1 text', 'fill'),
        tintFill: style('#n1 polygon', 'fill'),
        edgeLine: style('#e0 path', 'stroke'),
        arrow: style('#e0 polygon', 'fill'),
        pathLine: style('#e1 path', 'stroke'),
        pathLabel: style('#e1 text', 'fill'),
        clusterFrame: style('#c0 polygon, #c0 path', 'stroke'),
      };
    });
    await context.close();
    return got;
  }

  it('follows prefers-color-scheme with --theme auto, and keeps path colours and tints as drawn', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const c = await colours('auto', scheme);
      for (const k of ['title', 'nodeLine', 'nodeText', 'blackLine', 'blackText', 'edgeLine', 'arrow'] as const) expect([k, c[k]]).toEqual([k, FG[scheme]]);
      expect(c.pathLine).toBe(BLUE);
      expect(c.pathLabel).toBe(BLUE);
      expect(c.tintFill).toBe('rgb(255, 243, 196)');
      expect(c.tintText).toBe(FG.light);
      expect(c.clusterFrame).toBe('rgb(153, 153, 153)');
    }
  });

  it('draws labels at the width Graphviz measured them (Helvetica, or a metric-compatible fallback such as Liberation Sans)', async () => {
    const names = ['sock_sendmsg', 'WWWWWWWWWW', 'iiiiiiiiiiiiiiii', '__dev_queue_xmit', 'café </script>', '"quoted" #hash a\\'];
    const dot = `digraph { node [shape=box, fontname="Helvetica", fontsize=11]; ${names.map((n, i) => `n${i} [id="n${i}", label=${JSON.stringify(n)}];`).join(' ')} }`;
    const r = await layoutSvg(() => dot, { theme: 'auto' });
    if (!('svg' in r)) throw new Error(r.note);
    writeFileSync(join(dir, 'fonts.svg'), r.svg);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(dir, 'fonts.svg')).href);
    // Graphviz sizes a box as the label's measured width plus the default margin, 0.11 in each side.
    const widths = await page.evaluate(() =>
      [...document.querySelectorAll('g.node')].map((g) => ({ label: g.querySelector('text')!.textContent, drawn: g.querySelector('text')!.getBBox().width, measured: g.querySelector('polygon')!.getBBox().width - 2 * 0.11 * 72 })),
    );
    await context.close();
    expect(widths.map((w) => w.label)).toEqual(names);
    for (const w of widths) expect([w.label, Math.abs(w.drawn - w.measured) <= Math.max(2, 0.03 * w.measured)]).toEqual([w.label, true]);
  });

  it('keeps a fixed theme whatever the page prefers', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      expect((await colours('light', scheme)).nodeText).toBe(FG.light);
      expect((await colours('dark', scheme)).nodeText).toBe(FG.dark);
      expect((await colours('dark', scheme)).edgeLine).toBe(FG.dark);
    }
  });
});
