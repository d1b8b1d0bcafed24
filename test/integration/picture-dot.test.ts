import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_NODES, openTree, pathsPicture, type Picture, type Project, renderDot, treesPicture } from '../../src/index.js';
import { readDot } from '../support/dot-read.js';
import { copyFixture, fixturesDir } from '../support/fixtures.js';
import { skipWithout } from '../support/tools.js';
import { loadRenderer, PICTURE_FORMATS } from '../../src/render/formats.js';
import { allElements, parseXml } from '../support/xml.js';

const query = { cluster: 'file' as const, maxNodes: DEFAULT_MAX_NODES, exclude: [] as string[] };
const style = { rankdir: 'TB' as const, theme: 'auto' as const };
const ELIXIR = 'https://elixir.bootlin.com/linux/v6.1/source/{file}#L{line}';

let mini: Project;
beforeAll(async () => {
  mini = await openTree({ root: join(fixturesDir, 'minikernel'), jobs: 1, cache: false });
});

/** Minikernel pictures pinned as golden DOT files. */
const cases: [name: string, make: () => { picture: Picture; dot: string }][] = [
  ['path-ksys_write-drv_wake_tx_queue', () => {
    const picture = pathsPicture(mini, mini.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue' }), query);
    return { picture, dot: renderDot(picture, { ...style, sourceUrl: ELIXIR }) };
  }],
  ['paths-k3-ksys_write-__wake_up', () => {
    const picture = pathsPicture(mini, mini.findPaths({ start: 'ksys_write', target: '__wake_up', k: 3 }), query);
    return { picture, dot: renderDot(picture, { ...style, rankdir: 'LR' }) };
  }],
  ['callees-__dev_queue_xmit', () => {
    const picture = treesPicture(mini, mini.tree('__dev_queue_xmit', 4, 'callees'), 'callees', { ...query, depth: 3 });
    return { picture, dot: renderDot(picture, style) };
  }],
  ['callers-kfree_skb-dir', () => {
    const picture = treesPicture(mini, mini.tree('kfree_skb', 4, 'callers'), 'callers', { ...query, cluster: 'dir', depth: 3 });
    return { picture, dot: renderDot(picture, style) };
  }],
];

const noDot = skipWithout('dot') ? 'dot not found on PATH' : null;

describe('DOT of the minikernel', () => {
  for (const [name, make] of cases) {
    it(`${name} matches its golden file (UPDATE_GOLDEN=1 to accept changes)`, () => {
      const golden = join('test/golden/dot', `${name}.dot`);
      const { dot } = make();
      if (process.env.UPDATE_GOLDEN || !existsSync(golden)) writeFileSync(golden, dot);
      expect(dot).toBe(readFileSync(golden, 'utf8'));
    });

    it(`${name} parses back with graphlib-dot: every node and edge, names intact`, () => {
      const { picture, dot } = make();
      const { nodes, edges } = readDot(dot);
      expect(nodes.size).toBe(picture.nodes.length);
      for (const n of picture.nodes) expect(nodes.get(n.id)!.label).toBe(n.cut ? `${n.name} +` : n.name);
      expect([...edges.values()].map((e) => [e.id, e.from, e.to])).toEqual(picture.edges.map((e) => [e.id, e.from, e.to]));
    });

    it(`${name} is the same bytes twice`, () => {
      expect(make().dot).toBe(make().dot);
    });

    it.skipIf(noDot !== null)(`${name} is accepted by dot -Tsvg${noDot ? ` (skipped: ${noDot})` : ''}`, () => {
      const run = spawnSync('dot', ['-Tsvg'], { input: make().dot, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    });
  }

  it('pictures carry what the user needs: signatures, pointer members, -k legend', () => {
    const path = pathsPicture(mini, mini.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue' }), query);
    expect(path.nodes.find((n) => n.name === 'tcp_sendmsg')!.signature).toMatch(/^int tcp_sendmsg\(struct sock \*sk, .*\)$/);
    expect(path.edges.find((e) => e.member === 'write_iter')).toMatchObject({ kind: 'ops-initializer' });
    expect(path.edges.find((e) => e.member === 'ndo_start_xmit')).toBeDefined();
    const k3 = pathsPicture(mini, mini.findPaths({ start: 'ksys_write', target: '__wake_up', k: 3 }), query);
    expect(k3.legend.length).toBeGreaterThan(1);
    expect(k3.nodes.filter((n) => n.role === 'start').map((n) => n.name)).toEqual(['ksys_write']);
  });

  it('the Linux default excludes leave pr_warn out of trees, unless switched off; paths keep it', () => {
    const trees = mini.tree('netdev_xmit_error', 3, 'callees');
    const on = treesPicture(mini, trees, 'callees', { ...query, depth: 2 });
    const off = treesPicture(mini, trees, 'callees', { ...query, depth: 2, defaultExcludes: false });
    expect(off.nodes.map((n) => n.name)).toContain('pr_warn');
    expect(on.nodes.map((n) => n.name)).not.toContain('pr_warn');
    expect(on.caption).toMatch(/^\d+ left out by default \(--no-default-excludes keeps them\)/);
    expect(on.caption).not.toMatch(/--exclude\b/);
    const path = pathsPicture(mini, mini.findPaths({ start: 'netdev_xmit_error', target: 'printk' }), { ...query, exclude: ['printk'] });
    expect(path.nodes.map((n) => n.name)).toEqual(['netdev_xmit_error', 'pr_warn', 'printk']);
  });
});

describe('hostile names in pictures', () => {
  const EVIL = '"><svg onload=alert(1)>';
  let hostile: Project;
  beforeAll(async () => {
    const { root } = copyFixture('hostile');
    renameSync(join(root, 'evil'), join(root, EVIL));
    hostile = await openTree({ root, jobs: 1, cache: false });
  });

  const pictures = (): [string, Picture][] => [
    ['paths', pathsPicture(hostile, hostile.findPaths({ start: 'strict', target: 'STRICT', k: 2 }), query)],
    ['callers', treesPicture(hostile, hostile.tree('STRICT', 8, 'callers'), 'callers', { ...query, depth: 7, cluster: 'dir' })],
    ['callees', treesPicture(hostile, hostile.tree('strict', 8, 'callees'), 'callees', { ...query, depth: 7 })],
  ];

  it('function names like keywords, UTF-8 names and a file name holding markup come back as text', () => {
    for (const [what, picture] of pictures()) {
      const dot = renderDot(picture, { ...style, sourceUrl: 'https://x.org/{file}#L{line}' });
      const { nodes } = readDot(dot);
      const names = [...nodes.values()].map((n) => n.label!.replace(/ \+$/, ''));
      expect(names, what).toEqual(expect.arrayContaining(['STRICT', 'Graph', 'café', 'node', 'edge', 'subgraph', 'digraph', 'strict']));
      const files = picture.nodes.map((n) => n.file);
      expect(files, what).toContain(`${EVIL}/strict.c`);
      expect([...nodes.values()].some((n) => n.tooltip!.includes(`${EVIL}/strict.c:`)), what).toBe(true);
      expect(dot).toContain('https://x.org/%22%3E%3Csvg%20onload%3Dalert(1)%3E/strict.c#L');
      if (noDot === null) {
        const run = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
        expect(run.status, what).toBe(0);
        expect(run.stdout, what).not.toMatch(/<svg onload/);
        expect(run.stdout, what).toContain('café');
      }
    }
  });

  it('every picture format keeps them inert: no element, attribute or script comes from a name or a file name', async () => {
    const options = { ...style, sourceUrl: 'https://x.org/{file}#L{line}' };
    for (const [what, picture] of pictures()) {
      for (const format of PICTURE_FORMATS) {
        const out = await (await loadRenderer(format))(picture, options);
        const text = out.text;
        // The markup in the folder name never appears raw where it would be markup (in DOT it is
        // the text of a quoted string, read back above); in HTML only the page's own three scripts exist.
        if (format !== 'dot') expect(text, `${what} ${format}`).not.toContain('<svg onload');
        if (format === 'html') expect(text.match(/<script/g), `${what} html`).toHaveLength(3);
        else expect(text, `${what} ${format}`).not.toMatch(/<script/i);
        if (format === 'svg' && !out.fallback) {
          const elements = allElements(parseXml(text));
          expect(elements.filter((e) => e.name === 'script' || Object.keys(e.attrs).some((a) => /^on/i.test(a))), `${what} svg`).toEqual([]);
        }
        for (const name of ['STRICT', 'Graph', 'node', 'strict']) expect(text, `${what} ${format}: ${name}`).toContain(name);
      }
    }
  });
});

