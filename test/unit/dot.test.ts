import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { attributes, MAX_DOT_TEXT, quoted, sourceLink } from '../../src/render/dot-escape.js';
import { PATH_COLOURS, renderDot } from '../../src/render/dot.js';
import type { Picture } from '../../src/types/picture.js';
import { dotText, readDot } from '../support/dot-read.js';
import { skipWithout } from '../support/tools.js';

/** Names that break naive DOT writers, markup and scripts. */
export const HOSTILE = ['node', 'Graph', 'STRICT', 'edge', 'subgraph', 'a\\', '<anonymous>', '"quoted"', '#hash', '</script><script>alert(1)</script>', 'café', 'x\\N\\G\\l', 'two\nlines', '{braces};[x=1]'];
const HOSTILE_FILE = 'drivers/"><svg onload=alert(1)>/x.c';

/** A picture whose every name, file and evidence text is hostile. */
export function hostilePicture(): Picture {
  const nodes = HOSTILE.map((name, i) => ({ id: `n${i}`, name, file: i % 2 ? HOSTILE_FILE : `dir/${name}.c`, line: i + 1, signature: `int ${name}(void)`, cluster: i % 2 ? 'c1' : 'c0', paths: [i % 3] }));
  nodes[0] = { ...nodes[0]!, role: 'start' } as (typeof nodes)[0];
  const edges = HOSTILE.slice(1).map((name, i) => ({ id: `e${i}`, from: `n${i}`, to: `n${i + 1}`, kind: i % 2 ? 'ops-initializer' : 'direct', file: HOSTILE_FILE, line: 7, member: name, evidence: `${HOSTILE_FILE}:3 .${name} = ${name} in struct "ops"`, moreEvidence: 2, paths: [i % 3] }));
  return {
    title: 'node -> "quoted" </script>',
    kind: 'paths',
    nodes,
    edges,
    clusters: [{ id: 'c0', label: 'dir/' }, { id: 'c1', label: 'drivers/"><svg onload=alert(1)>/' }],
    legend: [{ path: 0, calls: 3 }, { path: 1, calls: 4 }, { path: 2, calls: 5 }],
    caption: 'a\\ "b" <c>',
  };
}

const options = { rankdir: 'LR' as const, theme: 'auto' as const };

describe('DOT escaping', () => {
  it('quotes and escapes backslashes, quotes and line breaks', () => {
    expect(quoted('node')).toBe('"node"');
    expect(quoted('a\\')).toBe('"a\\\\"');
    expect(quoted('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoted('a\nb\r\nc')).toBe('"a\\nb\\nc"');
    expect(quoted('tab\there\u0007')).toBe('"tab here "');
    expect(quoted('<anonymous>')).toBe('"<anonymous>"');
  });

  it('cuts long strings below the Graphviz limit of 16,384 characters, even when escaping doubles them', () => {
    const long = quoted('\\'.repeat(100_000));
    expect(long.length).toBeLessThan(16_384);
    expect(long.endsWith('...\"')).toBe(true);
    expect(quoted('x'.repeat(MAX_DOT_TEXT))).toBe(`"${'x'.repeat(MAX_DOT_TEXT)}"`);
    // A surrogate pair is never split.
    const emoji = quoted(`${'x'.repeat(MAX_DOT_TEXT - 4)}😀😀`);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('attribute lists quote every value', () => {
    expect(attributes({ label: 'graph', id: 'n1', skip: undefined, size: 3 })).toBe('label="graph", id="n1", size="3"');
  });

  it('source links percent-encode the file name', () => {
    expect(sourceLink('https://x.org/src/{file}#L{line}', 'net/a.c', 12)).toBe('https://x.org/src/net/a.c#L12');
    expect(sourceLink('https://x.org/{file}#L{line}', HOSTILE_FILE, 3)).toBe('https://x.org/drivers/%22%3E%3Csvg%20onload%3Dalert(1)%3E/x.c#L3');
  });
});

describe('renderDot', () => {
  const picture = hostilePicture();
  const text = renderDot(picture, { ...options, sourceUrl: 'https://x.org/{file}#L{line}' });

  it('parses back with graphlib-dot with every node and edge, names intact', () => {
    const { nodes, edges } = readDot(text);
    expect([...nodes.keys()].sort()).toEqual(picture.nodes.map((n) => n.id).sort());
    for (const n of picture.nodes) {
      expect(nodes.get(n.id)!.label).toBe(n.name);
      expect(nodes.get(n.id)!.id).toBe(n.id);
      expect(nodes.get(n.id)!.tooltip).toContain(`${n.file}:${n.line}`);
    }
    expect(edges.size).toBe(picture.edges.length);
    for (const e of picture.edges) {
      const got = edges.get(e.id)!;
      expect([got.from, got.to]).toEqual([e.from, e.to]);
      if (e.kind !== 'direct') expect(got.label).toBe(e.member);
      if (e.kind !== 'direct') expect(got.tooltip).toContain(`${e.evidence}, +2 more bindings`);
    }
  });

  it('writes names only inside quoted strings: outside them only DOT syntax and our own keywords', () => {
    const outside = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    expect(outside.match(/[^\s"[\]{};=,\->\w]/g) ?? []).toEqual([]);
    const words = new Set(outside.match(/[A-Za-z_]\w*/g));
    const keys = ['id', 'label', 'labelloc', 'newrank', 'fontname', 'rankdir', 'bgcolor', 'fontcolor', 'fontsize', 'color', 'tooltip', 'labeltooltip', 'style', 'shape', 'peripheries', 'penwidth', 'URL', 'target', 'class', 'arrowhead'];
    expect([...words].filter((w) => !['digraph', 'subgraph', 'graph', 'node', 'edge', ...keys].includes(w))).toEqual([]);
    expect(outside.match(/^ {2}node \[/gm)).toHaveLength(1);
    expect(outside.match(/^ {2}edge \[/gm)).toHaveLength(1);
    expect(outside.match(/^ {2}graph \[/gm)).toHaveLength(1);
    expect(outside.match(/subgraph/g)).toHaveLength(picture.clusters.length + 1);
  });

  it('ids are the synthetic picture ids; clusters are subgraphs named cluster_cN', () => {
    expect(text).toContain('subgraph "cluster_c0" {');
    expect(text).toContain('subgraph "cluster_c1" {');
    expect(text).not.toMatch(/^\s*"(?!n\d|cluster_|legend)[^"]*" *(\[|->)/m);
  });

  it('colours -k paths from the Okabe-Ito palette, with a legend row per path and its length', () => {
    expect(text).toContain(`color="${PATH_COLOURS[1]}"`);
    expect(text).toContain('label="path 3: 5 calls"');
  });

  it('styles edges by kind, highlights the start, links nodes and edges', () => {
    const { nodes, edges } = readDot(text);
    expect(edges.get('e1')!.style).toBe('dashed');
    expect(edges.get('e0')!.style).toBeUndefined();
    expect(nodes.get('n0')!.peripheries).toBe('2');
    expect(nodes.get('n1')!.URL).toBe('https://x.org/drivers/%22%3E%3Csvg%20onload%3Dalert(1)%3E/x.c#L2');
    expect(edges.get('e0')!.URL).toContain('#L7');
  });

  it('is deterministic and carries no date or version', () => {
    expect(renderDot(hostilePicture(), { ...options, sourceUrl: 'https://x.org/{file}#L{line}' })).toBe(text);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\d|version|pathfind \d/i);
  });

  it('fast layout adds the settings that bound dot', () => {
    const fast = renderDot(picture, { ...options, layout: 'fast' });
    for (const attr of ['mclimit="0.1"', 'nslimit="2"', 'nslimit1="2"', 'searchsize="10"', 'remincross="false"', 'splines="line"']) expect(fast).toContain(attr);
    expect(text).not.toContain('mclimit');
  });

  const noDot = skipWithout('dot') ? 'dot not found on PATH' : null;
  it.skipIf(noDot !== null)(`is accepted by system Graphviz (dot -Tsvg)${noDot ? `: skipped, ${noDot}` : ''}`, () => {
    const run = spawnSync('dot', ['-Tsvg'], { input: text, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/<script|<svg onload/);
    expect(run.stdout).toContain('&lt;/script&gt;');
  });

  it('graphlib-dot decoding helper undoes our escapes', () => {
    expect(dotText('a\\\\ \\" \\n')).toBe('a\\ " \n');
  });
});
