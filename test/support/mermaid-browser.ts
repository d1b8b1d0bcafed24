import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** What mermaid made of one diagram in the browser: an error, or counts and texts from its SVG. */
export interface MermaidResult {
  error?: string;
  nodes: number;
  edges: number;
  clusters: number;
  /** Text of every node label, in document order. */
  nodeTexts: string[];
  /** Text of every edge label that has text. */
  edgeTexts: string[];
  clusterTexts: string[];
  /** Elements and attributes in the SVG that could run script: `script`, `foreignObject > svg`, `on*` attributes. */
  active: string[];
  /** Every href in the SVG. */
  hrefs: string[];
  /** The diagram's title as drawn (from the front matter). */
  title: string;
}

/**
 * Headless Debian chromium (through playwright-core) with a page that loads mermaid's own
 * bundle from node_modules by file URL; every request that is not `file:` is aborted, so the
 * rendering is offline. `render` runs `mermaid.render` on a diagram and reads the SVG back.
 */
export async function openMermaidPage(executablePath: string): Promise<{ browser: Browser; render: (text: string) => Promise<MermaidResult> }> {
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const context = await browser.newContext();
  await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  const page: Page = await context.newPage();
  const bundle = pathToFileURL(join(import.meta.dirname, '../../node_modules/mermaid/dist/mermaid.min.js')).href;
  const html = join(mkdtempSync(join(tmpdir(), 'pathfind-mermaid-')), 'index.html');
  writeFileSync(html, `<!doctype html><meta charset="utf-8"><body><div id="out"></div><script src="${bundle}"></script></body>`);
  await page.goto(pathToFileURL(html).href);
  await page.evaluate(() => (globalThis as any).mermaid.initialize({ startOnLoad: false }));
  let n = 0;
  const render = (text: string): Promise<MermaidResult> =>
    page.evaluate(
      async ({ text, id }) => {
        const out = document.getElementById('out')!;
        out.innerHTML = '';
        const empty = { title: '', nodes: 0, edges: 0, clusters: 0, nodeTexts: [], edgeTexts: [], clusterTexts: [], active: [], hrefs: [] };
        try {
          const { svg, bindFunctions } = await (globalThis as any).mermaid.render(id, text);
          out.innerHTML = svg;
          bindFunctions?.(out);
        } catch (e) {
          return { ...empty, error: String((e as Error)?.message ?? e) };
        }
        const root = out.querySelector('svg')!;
        const texts = (sel: string): string[] => [...root.querySelectorAll(sel)].map((el) => (el.textContent ?? '').trim());
        const active: string[] = [];
        for (const el of root.querySelectorAll('*')) {
          if (el.localName === 'script') active.push('script');
          for (const a of el.getAttributeNames()) if (/^on/i.test(a)) active.push(`${el.localName}@${a}`);
        }
        // Elements made from text that should have stayed text (a raw <b>, <svg> or <script> from a label).
        for (const el of root.querySelectorAll('.label b, .label svg, .label script, .label img')) active.push(`label ${el.localName}`);
        return {
          title: root.querySelector('.flowchartTitleText')?.textContent ?? '',
          nodes: root.querySelectorAll('g.node').length,
          edges: root.querySelectorAll('path.flowchart-link').length,
          clusters: root.querySelectorAll('g.cluster').length,
          nodeTexts: texts('g.node .nodeLabel'),
          edgeTexts: texts('g.edgeLabel .edgeLabel').filter((t) => t !== ''),
          clusterTexts: texts('g.cluster .nodeLabel, g.cluster-label .nodeLabel'),
          active,
          hrefs: [...root.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? a.getAttribute('xlink:href') ?? ''),
        };
      },
      { text, id: `d${n++}` },
    );
  return { browser, render };
}
