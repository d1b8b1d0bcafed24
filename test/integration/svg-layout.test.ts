import { describe, expect, it } from 'vitest';
import { type DotLayout, layoutSvg } from '../../src/render/svg.js';
import { denseDot } from '../support/dense-dot.js';
import { allElements, parseXml, type XmlElement } from '../support/xml.js';

// layoutSvg runs Graphviz in a worker thread from dist/ (npm test builds it first).

/** A DOT quoted string (written here, since renderDot is another module's job). */
const q = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

const HOSTILE = ['node', 'Graph', 'STRICT', 'a\\', '<anonymous>', '"quoted"', '#hash', '</script><script>alert(1)</script>', 'café'];
const HOSTILE_FILE = 'net/"><svg onload=alert(1)>.c';

/** A small call graph whose names, files, tooltips, links and edge labels are all hostile. */
function hostileDot(layout: DotLayout): string {
  const lines = ['digraph G {', `graph [fontname="Helvetica"${layout === 'fast' ? ', splines=line, mclimit=0.1' : ''}];`, 'node [shape=box, fontname="Helvetica"];', 'edge [fontname="Helvetica"];'];
  lines.push(`subgraph cluster_c0 { id="c0"; label=${q(HOSTILE_FILE)};`);
  HOSTILE.forEach((name, i) => {
    lines.push(`n${i} [id="n${i}", label=${q(name)}, tooltip=${q(`int ${name}(void)\n${HOSTILE_FILE}:${i + 1}`)}, URL=${q(`https://example.org/${HOSTILE_FILE}#L${i + 1}`)}];`);
  });
  lines.push('}');
  HOSTILE.slice(1).forEach((name, i) => {
    lines.push(`n${i} -> n${i + 1} [id="e${i}", label=${q(name)}, tooltip=${q(`${HOSTILE_FILE}:9 .${name} = x`)}, style=dashed, color="#0072B2"];`);
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The `<g>` elements of a class, by id. */
function groups(root: XmlElement, cls: string): Map<string, XmlElement> {
  return new Map(allElements(root).filter((e) => e.name === 'g' && e.attrs.class === cls).map((e) => [e.attrs.id!, e]));
}

describe('SVG through Graphviz in WebAssembly', () => {
  it('keeps every node and edge id, and hostile names come out as inert text and attribute values', async () => {
    const result = await layoutSvg(hostileDot, { theme: 'auto' });
    expect(result.note).toBeUndefined();
    if (!('svg' in result)) throw new Error('no SVG');
    const root = parseXml(result.svg);
    expect(root.name).toBe('svg');
    const elements = allElements(root);
    expect(elements.filter((e) => e.name === 'svg')).toHaveLength(1);
    expect(elements.filter((e) => e.name === 'script')).toHaveLength(0);
    expect(elements.flatMap((e) => Object.keys(e.attrs)).filter((a) => /^on/i.test(a))).toEqual([]);
    const nodes = groups(root, 'node');
    const edges = groups(root, 'edge');
    expect([...nodes.keys()].sort()).toEqual(HOSTILE.map((_, i) => `n${i}`).sort());
    expect([...edges.keys()].sort()).toEqual(HOSTILE.slice(1).map((_, i) => `e${i}`).sort());
    HOSTILE.forEach((name, i) => {
      const g = allElements(nodes.get(`n${i}`)!);
      expect(g.filter((e) => e.name === 'text').map((e) => e.text)).toEqual([name]);
      const link = g.find((e) => e.name === 'a' && e.attrs['xlink:href'])!;
      expect(link.attrs['xlink:href']).toBe(`https://example.org/${HOSTILE_FILE}#L${i + 1}`);
      expect(link.attrs['xlink:title']).toBe(`int ${name}(void)\n${HOSTILE_FILE}:${i + 1}`);
    });
    HOSTILE.slice(1).forEach((name, i) => {
      const g = allElements(edges.get(`e${i}`)!);
      expect(g.filter((e) => e.name === 'text').map((e) => e.text)).toEqual([name]);
      expect(g.some((e) => e.attrs['xlink:title'] === `${HOSTILE_FILE}:9 .${name} = x`)).toBe(true);
    });
    const cluster = groups(root, 'cluster').get('c0')!;
    expect(cluster.children.filter((e) => e.name === 'text').map((e) => e.text)).toEqual([HOSTILE_FILE]);
  });

  it('gives the same bytes for the same DOT, with no Graphviz version or comment in them', async () => {
    const a = await layoutSvg(hostileDot, { theme: 'auto' });
    const b = await layoutSvg(hostileDot, { theme: 'auto' });
    if (!('svg' in a) || !('svg' in b)) throw new Error('no SVG');
    expect(a.svg).toBe(b.svg);
    expect(a.svg).not.toMatch(/<!--|[Gg]enerated|version="?\d+\.\d+\.\d+/);
  });

  it('draws on a transparent background with the style of the theme asked for', async () => {
    const styles: Record<string, string> = {};
    for (const theme of ['light', 'dark', 'auto'] as const) {
      const r = await layoutSvg(hostileDot, { theme });
      if (!('svg' in r)) throw new Error('no SVG');
      const root = parseXml(r.svg);
      expect(root.attrs.class).toBe('pathfind-graph');
      expect(root.children[0]!.name).toBe('style');
      styles[theme] = root.children[0]!.text;
      const graph = allElements(root).find((e) => e.attrs.class === 'graph')!;
      expect(graph.children.find((e) => e.name === 'polygon')!.attrs.fill).toBe('none');
      expect(allElements(root).some((e) => e.attrs.fill === 'white')).toBe(false);
      // Helvetica is measured by Graphviz; the SVG names fallbacks for viewers without it.
      const fonts = new Set(allElements(root).filter((e) => e.name === 'text').map((e) => e.attrs['font-family']));
      expect([...fonts]).toEqual(['Helvetica,Arial,Liberation Sans,Nimbus Sans,sans-serif']);
    }
    expect(styles.auto).toContain('@media (prefers-color-scheme: dark)');
    expect(styles.light).not.toContain('@media');
    expect(styles.dark).not.toContain('@media');
    expect(styles.light).toContain('--pf-fg:#1f2328');
    expect(styles.dark).toContain('--pf-fg:#e6edf3');
    expect(styles.auto).toContain('--pf-fg:#1f2328');
    expect(styles.auto).toContain('--pf-fg:#e6edf3');
  });

  it('falls back to fast settings, then to DOT with a note, on a dense graph; never hangs', async () => {
    // Default settings on the graph without clusters: over 5 s (2026-12-06, Graphviz 16.1 in WebAssembly, node 20 and 24), so
    // 0.3 s is never enough. Not with clusters: those it lays out in 0.3 to 0.4 s even with default settings, which made the
    // fallback depend on the machine's speed. The fast settings get the clusters, as renderDot gives a real picture both.
    const dense = (layout: DotLayout): string => denseDot(500, 1500, { seed: 7, clusters: layout === 'fast' ? 8 : 0, fast: layout === 'fast' });
    const asked: DotLayout[] = [];
    const fast = await layoutSvg((l) => (asked.push(l), dense(l)), { theme: 'auto', timeoutMs: 300, fastTimeoutMs: 55_000 });
    expect(asked).toEqual(['default', 'fast']);
    expect(fast.note).toMatch(/^default layout (took longer than 0\.3 s|crashed \(.*\)|failed \(.*\)); used fast layout settings$/);
    if (!('svg' in fast)) throw new Error(`no SVG: ${fast.note}`);
    expect(groups(parseXml(fast.svg), 'node').size).toBe(500);
    expect(groups(parseXml(fast.svg), 'edge').size).toBe(1500);

    const dot = await layoutSvg(dense, { theme: 'auto', timeoutMs: 300, fastTimeoutMs: 100 });
    expect(dot).toEqual({ dot: dense('default'), note: expect.stringMatching(/^layout (took longer than 0\.3 s|crashed \(.*\)|failed \(.*\)), and took longer than 0\.1 s with fast settings; wrote DOT instead$/) });
  }, 60_000);

  it('treats DOT that Graphviz rejects like a layout that failed: DOT back with a one-line note', async () => {
    const r = await layoutSvg(() => 'digraph { n0 -> ; }', { theme: 'light' });
    expect(r).toEqual({ dot: 'digraph { n0 -> ; }', note: expect.stringMatching(/^layout failed \(.*syntax error.*\) even with fast settings; wrote DOT instead$/) });
    expect(r.note).not.toContain('\n');
  });
});
