import { describe, expect, it } from 'vitest';
import { renderDot } from '../../src/render/dot.js';
import { renderMermaid } from '../../src/render/mermaid.js';
import { pathColour } from '../../src/render/palette.js';
import { pathList } from '../../src/render/path-list.js';
import { layoutSvg } from '../../src/render/svg.js';
import type { Picture } from '../../src/types/picture.js';
import { readDot } from '../support/dot-read.js';
import { allElements, parseXml, type XmlElement } from '../support/xml.js';

// A user's finding: in the SVG of `-k N` paths, a call on several paths was one edge with a colour
// list (`color="#0072B2:#009E73"`), which Graphviz draws as parallel lines a pen's width apart;
// dotted (macro) and dashed (pointer) ones fell on each other and no path could be read.
// layoutSvg runs Graphviz in a worker thread from dist/ (npm test builds it first).

/**
 * Three paths that share a direct call (all three), a macro call (paths 1 and 3) and a pointer
 * call (paths 2 and 3):
 * path 1: start -> hub -> MACRO -> left -> target; path 2: start -> hub -> right -> target;
 * path 3: start -> hub -> MACRO -> right -> target.
 */
function sharedPicture(): Picture {
  const node = (i: number, name: string, paths: number[], extra = {}) => ({ id: `n${i}`, name, file: 'fs/a.c', line: 10 * (i + 1), paths, ...extra });
  const edge = (i: number, from: number, to: number, kind: string, paths: number[], extra = {}) => ({ id: `e${i}`, from: `n${from}`, to: `n${to}`, kind, file: 'fs/a.c', line: 100 + i, paths, ...extra });
  return {
    title: 'start -> target, 3 paths',
    kind: 'paths',
    nodes: [
      node(0, 'start', [0, 1, 2], { role: 'start' }),
      node(1, 'hub', [0, 1, 2]),
      node(2, 'MACRO', [0, 2], { macro: true }),
      node(3, 'right', [1, 2]),
      node(4, 'left', [0]),
      node(5, 'target', [0, 1, 2], { role: 'target' }),
    ],
    edges: [
      edge(0, 0, 1, 'direct', [0, 1, 2]),
      edge(1, 1, 2, 'macro', [0, 2]),
      edge(2, 1, 3, 'direct', [1]),
      edge(3, 2, 4, 'macro', [0]),
      edge(4, 2, 3, 'macro', [2]),
      edge(5, 4, 5, 'direct', [0]),
      edge(6, 3, 5, 'ops-initializer', [1, 2], { member: 'sendmsg', evidence: 'fs/a.c:1 .sendmsg = right in struct ops x' }),
    ],
    clusters: [],
    legend: [
      { path: 0, calls: 4 },
      { path: 1, calls: 3 },
      { path: 2, calls: 4 },
    ],
  };
}

const options = { rankdir: 'TB' as const, theme: 'light' as const };
const SHARED = { e0: 'paths 1-3', e1: 'paths 1, 3', e6: 'paths 2, 3' } as const;
const ALONE = { e2: 1, e3: 0, e4: 2, e5: 0 } as const;

describe('edges shared by several paths of a -k picture', () => {
  it('names path lists shortly: runs of three or more as ranges, in order', () => {
    expect(pathList([2, 0, 1])).toBe('paths 1-3');
    expect(pathList([0, 2])).toBe('paths 1, 3');
    expect(pathList([6, 0, 1, 2, 4, 5])).toBe('paths 1-3, 5-7');
    expect(pathList([3])).toBe('path 4');
  });

  it('DOT: one edge per call, in the ink colour and labelled with its paths; an edge of one path keeps its colour', () => {
    const text = renderDot(sharedPicture(), options);
    const { edges } = readDot(text);
    for (const [id, paths] of Object.entries(SHARED)) {
      const e = edges.get(id)!;
      expect(e.color, id).toBe('#000000'); // the ink: the graph's edge default
      expect(e.label!.split('\n'), id).toContain(paths);
      expect(e.tooltip, id).toContain(`on ${paths}`);
    }
    expect(edges.get('e1')!.style).toBe('dotted');
    expect(edges.get('e6')!.label).toBe('sendmsg\npaths 2, 3');
    for (const [id, path] of Object.entries(ALONE)) {
      expect(edges.get(id)!.color, id).toBe(pathColour(path));
      expect(edges.get(id)!.label ?? '', id).not.toContain('path');
    }
    // No colour lists anywhere: Graphviz draws them as lines on top of each other.
    expect(text).not.toMatch(/color="[^"]*:/);
    expect(renderDot(sharedPicture(), options)).toBe(text);
  });

  it('SVG: every edge is one line, a shared one drawn in the ink with its paths written beside it', async () => {
    const result = await layoutSvg((layout) => renderDot(sharedPicture(), { ...options, layout }), { theme: 'light' });
    if (!('svg' in result)) throw new Error(result.note);
    const root = parseXml(result.svg);
    const groups = new Map(allElements(root).filter((e) => e.name === 'g' && e.attrs.class?.startsWith('edge')).map((e) => [e.attrs.id!, e]));
    const inside = (g: XmlElement, name: string) => allElements(g).filter((e) => e.name === name);
    for (const id of ['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6']) expect(inside(groups.get(id)!, 'path').length, id).toBe(1);
    for (const [id, paths] of Object.entries(SHARED)) {
      const g = groups.get(id)!;
      expect(inside(g, 'path')[0]!.attrs.stroke, id).toBe('#000000');
      expect(inside(g, 'text').map((t) => t.text), id).toContain(paths);
    }
    for (const [id, path] of Object.entries(ALONE)) expect(inside(groups.get(id)!, 'path')[0]!.attrs.stroke!.toUpperCase(), id).toBe(pathColour(path));
  });

  it('Mermaid: the same, a shared link labelled with its paths and not in one path’s colour', () => {
    const text = renderMermaid(sharedPicture(), options);
    const links = text.split('\n').filter((l) => /^ {2}n\d+ \S+ n\d+$/.test(l) || /^ {2}n\d+ \S+\|.*\| n\d+$/.test(l));
    expect(links).toEqual([
      '  n0 -->|"paths 1-3"| n1',
      '  n1 -->|"macro: paths 1, 3"| n2',
      '  n1 --> n3',
      '  n2 -->|"macro"| n4',
      '  n2 -->|"macro"| n3',
      '  n4 --> n5',
      '  n3 -.->|"sendmsg: paths 2, 3"| n5',
    ]);
    const styles = text.split('\n').filter((l) => l.startsWith('  linkStyle '));
    expect(styles).toEqual([
      '  linkStyle 0,1,6 stroke-width:3px',
      `  linkStyle 2 stroke:${pathColour(1)},stroke-width:3px`,
      `  linkStyle 3,5 stroke:${pathColour(0)},stroke-width:3px`,
      `  linkStyle 4 stroke:${pathColour(2)},stroke-width:3px`,
    ]);
  });
});
