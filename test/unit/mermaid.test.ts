import { describe, expect, it } from 'vitest';
import { mermaidComment, mermaidLabel, mermaidText, mermaidTitle, mermaidUrl, sourceLink } from '../../src/render/mermaid-escape.js';
import { MERMAID_LIMITS } from '../../src/render/mermaid-fit.js';
import { PATH_COLOURS, renderMermaid } from '../../src/render/mermaid.js';
import type { PictureOptions } from '../../src/types/picture.js';
import { callersTreePicture, clusteredPicture, HOSTILE_FILE, HOSTILE_NAMES, hostilePicture, kPathsPicture, largePicture, pathPicture } from '../support/pictures.js';

const LR: PictureOptions = { rankdir: 'LR', theme: 'auto' };
const linked: PictureOptions = { ...LR, sourceUrl: 'https://elixir.bootlin.com/linux/v6.1/source/{file}#L{line}' };

describe('Mermaid escaping', () => {
  it('entity-codes every character Mermaid reads specially in a quoted label', () => {
    expect(mermaidText('a"b#c&d<e>f%g`h|i')).toBe('a#34;b#35;c#38;d#60;e#62;f#37;g#96;h#124;i');
    expect(mermaidText('café\\ x;y')).toBe('café\\ x;y');
    expect(mermaidText('a\nb\u2028c\u0000d')).toBe('a b c d');
    expect(mermaidLabel('"quoted"')).toBe('"#34;quoted#34;"');
    expect(mermaidLabel('')).toBe('"#160;"'); // Mermaid refuses [""]
  });
  it('keeps comments on one line with no % (no directive can start)', () => {
    expect(mermaidComment('50% %%{init}%%\nflowchart')).toBe('50#37; #37;#37;{init}#37;#37; flowchart');
  });
  it('writes titles Mermaid can draw: arrows and angle brackets as look-alikes, JSON-quoted, no %', () => {
    expect(mermaidTitle('a -> <anonymous> & "b" 5%')).toBe('"a → ‹anonymous› ＆ \\"b\\" 5\\u0025"');
  });
  it('percent-encodes URLs so they stay one inert string', () => {
    expect(mermaidUrl('https://x/a b"c<d>;e%zz%2F')).toBe('https://x/a%20b%22c%3Cd%3E%3Be%25zz%2F');
    expect(sourceLink('https://h/{file}#L{line}', HOSTILE_FILE, 7)).toBe('https://h/drivers/%22%3E%3Csvg%20onload%3Dalert(1)%3E/x.c#L7');
    expect(sourceLink('https://h/{file}', 'fs/café.c', undefined)).toBe('https://h/fs/caf%C3%A9.c');
  });
});

describe('renderMermaid', () => {
  it('draws a path: front matter, synthetic ids, file:line, pointer and macro edges, start and target', () => {
    expect(renderMermaid(pathPicture(), LR)).toBe(
      [
        '---',
        'title: "ksys_write → tcp_sendmsg"',
        '---',
        'flowchart LR',
        '  %% ksys_write -> tcp_sendmsg',
        '  n0["ksys_write<br/>fs/read_write.c:10"]',
        '  n1["vfs_write<br/>fs/read_write.c:40"]',
        '  n2["sock_write_iter<br/>net/socket.c:120"]',
        '  n3["inet_sendmsg<br/>net/ipv4/af_inet.c:80"]',
        '  n4["tcp_sendmsg<br/>net/ipv4/tcp.c:300"]',
        '  n0 --> n1',
        '  n1 -.->|"write_iter"| n2',
        '  n2 -.->|"sendmsg"| n3',
        '  n3 -->|"macro"| n4',
        '  classDef pfStart stroke-width:4px',
        '  class n0 pfStart',
        '  classDef pfTarget stroke-width:4px',
        '  class n4 pfTarget',
        '',
      ].join('\n'),
    );
  });

  it('takes the direction and the theme from the options', () => {
    const tb = renderMermaid(pathPicture(), { rankdir: 'TB', theme: 'dark' });
    expect(tb).toContain('\nflowchart TB\n');
    expect(tb.split('---')[1]).toContain('config:\n  theme: dark\n');
    expect(renderMermaid(pathPicture(), { rankdir: 'LR', theme: 'light' })).toContain('  theme: default\n');
    expect(renderMermaid(pathPicture(), LR)).not.toContain('theme');
  });

  it('colours -k paths with linkStyle from the Okabe-Ito palette and writes a legend', () => {
    const text = renderMermaid(kPathsPicture(), LR);
    // Edges in order e0..e5; e4 lies on paths 0 and 1: the theme's line colour, its paths in its label.
    expect(text).toContain(`  linkStyle 0,3 stroke:${PATH_COLOURS[0]},stroke-width:3px\n`);
    expect(text).toContain('  linkStyle 4 stroke-width:3px\n');
    expect(text).toContain('  n2 -.->|"ndo_start_xmit: paths 1, 2"| n4\n');
    expect(text).toContain(`  linkStyle 1 stroke:${PATH_COLOURS[1]},stroke-width:3px\n`);
    expect(text).toContain(`  linkStyle 2,5 stroke:${PATH_COLOURS[2]},stroke-width:3px\n`);
    expect(text).toContain('  subgraph legend ["paths"]\n    p0["path 1: 3 calls"]\n    p1["path 2: 2 calls"]\n    p2["path 3: 2 calls"]\n  end\n');
    expect(text).toContain(`  style p2 stroke:${PATH_COLOURS[2]},stroke-width:4px\n`);
  });

  it('marks cut, summary, external and macro nodes, deferred hops and the caption', () => {
    const text = renderMermaid(callersTreePicture(), LR);
    expect(text).toContain('  %% 6 of 43 nodes shown\n');
    expect(text).toContain('  note0["6 of 43 nodes shown"]\n');
    expect(text).toContain('  n5(["+37 callers in fs/ (12 files)"])\n');
    expect(text).toContain('  n5 -.- n1\n');
    expect(text).toContain('  n2 -.-o|"deferred: poll"| n0\n');
    expect(text).toContain('  n3["ext_helper<br/>external"]\n');
    expect(text).toContain('  n4["KFREE<br/>macro · include/linux/skbuff.h:12"]\n');
    // A cut node's name ends with ` +`, as in DOT and SVG: it has calls the picture does not show.
    expect(text).toContain('  n1["tcp_drop +<br/>net/ipv4/tcp_input.c:40"]\n');
    for (const line of ['class n0 pfRoot', 'class n1 pfCut', 'class n5 pfSummary', 'class n3 pfExternal', 'class n4 pfMacro', 'class note0 pfNote'])
      expect(text).toContain(`  ${line}\n`);
  });

  it('draws clusters as subgraphs with synthetic ids and escaped labels', () => {
    const text = renderMermaid(clusteredPicture(), LR);
    expect(text).toContain('  subgraph c1 ["net/"]\n    n0["sys_sendto<br/>net/socket.c:2000"]\n    n1["sock_sendmsg<br/>net/socket.c:700"]\n  end\n');
    expect(text).toContain('  subgraph c3 ["security/"]\n');
  });

  it('adds click links only with a source URL template', () => {
    expect(renderMermaid(pathPicture(), LR)).not.toContain('click');
    const text = renderMermaid(callersTreePicture(), linked);
    expect(text).toContain('  click n0 href "https://elixir.bootlin.com/linux/v6.1/source/net/core/skbuff.c#L700"\n');
    expect(text).not.toMatch(/click n[35] /); // external and summary nodes have no file
  });

  it('keeps hostile names, files and captions inside their quotes, as entity codes', () => {
    const text = renderMermaid(hostilePicture(), linked);
    // Outside the title line, no raw character Mermaid reads specially is left in any label or comment.
    // Comment lines are never drawn; their only trap (a %%{ directive) is checked below.
    const body = text.split('\n---\n')[1].split('\n').filter((l) => !l.startsWith('  %%')).join('\n');
    const labels = body.split('\n').filter((l) => !l.startsWith('  click ')).join('\n').replaceAll('<br/>', ' ');
    for (const label of labels.match(/"[^"\n]*"/g) ?? []) expect(label.slice(1, -1)).not.toMatch(/["<>&`%|]|#(?!\d+;)/);
    // Links: percent-encoded, no quote, space, angle bracket or semicolon.
    for (const url of body.match(/^ {2}click n\d+ href "([^"]*)"$/gm)!) expect(url.split('"')[1]).not.toMatch(/[\s<>;`]/);
    expect(body).not.toContain('%%{');
    expect(body).not.toContain('<script');
    expect(body).not.toContain('<svg');
    const comments = text.match(/^ {2}%%.*/gm)!;
    expect(comments[0]).toBe(`  %% ${hostilePicture().title.replaceAll('%', '#37;')}`);
    expect(comments.every((l) => !l.slice(4).includes('%'))).toBe(true);
    for (const name of HOSTILE_NAMES) expect(body).toContain(`["${mermaidText(name)}<br/>`);
    // Every statement is one line with a synthetic id; the title keeps the names as a JSON string.
    const title = hostilePicture().title.replaceAll('->', '→').replaceAll('<', '‹').replaceAll('>', '›');
    expect(text.split('\n')[1]).toBe(`title: ${JSON.stringify(title).replaceAll('%', '\\u0025')}`);
    expect(body.match(/^ {2,4}(n\d+)\[/gm)!.length).toBe(HOSTILE_NAMES.length);
  });

  it('is deterministic', () => {
    for (const p of [pathPicture, kPathsPicture, callersTreePicture, clusteredPicture, hostilePicture, () => largePicture(700, 2000)])
      expect(renderMermaid(p(), linked)).toBe(renderMermaid(p(), linked));
  });
});

describe('renderMermaid within Mermaid limits', () => {
  const links = (text: string): number => (text.match(/^ {2}\w+ (-->|-\.->|-\.-o|--o|-\.-)(\|[^|]*\|)? \w+$/gm) ?? []).length;

  it('leaves a picture that fits whole', () => {
    const text = renderMermaid(largePicture(100, 300), linked);
    expect(links(text)).toBe(300);
    expect(text).not.toContain('shown');
  });

  it('cuts a 2,000-edge picture under 500 edges and 50,000 characters, nearest the root first, and says so', () => {
    const picture = largePicture(700, 2000);
    const text = renderMermaid(picture, linked);
    expect(links(text)).toBeLessThan(MERMAID_LIMITS.maxEdges);
    expect(text.length).toBeLessThan(MERMAID_LIMITS.maxTextSize);
    const caption = text.match(/^ {2}%% Mermaid's limits: (\d+) of 700 nodes and (\d+) of 2,000 edges shown \(at most 500 edges, 50,000 characters\)$/m);
    expect(caption).not.toBeNull();
    expect(text).toContain(`  note0["${caption![0].slice(5)}"]`);
    const kept = Number(caption![1]);
    expect(kept).toBeGreaterThan(50);
    // The root is kept, and every kept node with neighbours left out is marked and summarised.
    expect(text).toContain('  n0["function_number_0<br/>dir0/file0.c:1"]');
    const summaries = text.match(/^ {2}s\d+\(\["\+\d+ (callers?|callees?)(, \+\d+ callees?)? not shown"\]\)$/gm) ?? [];
    expect(summaries.length).toBeGreaterThan(0);
    expect(text.match(/^ {2}class (\S+) pfCut$/m)![1].split(',').length).toBe(summaries.length);
    // Nearest first: no node left out is closer to the root (in edges, either way) than a kept one.
    const dist = new Map([['n0', 0]]);
    const queue = ['n0'];
    for (let i = 0; i < queue.length; i++)
      for (const e of picture.edges)
        for (const [a, b] of [[e.from, e.to], [e.to, e.from]])
          if (a === queue[i] && !dist.has(b)) dist.set(b, dist.get(a)! + 1), queue.push(b);
    const keptIds = new Set([...text.matchAll(/^ {2}(n\d+)\[/gm)].map((m) => m[1]));
    expect(keptIds.size).toBe(kept);
    const far = Math.max(...[...keptIds].map((id) => dist.get(id)!));
    const near = Math.min(...picture.nodes.filter((n) => !keptIds.has(n.id)).map((n) => dist.get(n.id)!));
    expect(far).toBeLessThanOrEqual(near);
    // Every edge between kept nodes is drawn.
    const keptEdges = picture.edges.filter((e) => keptIds.has(e.from) && keptIds.has(e.to)).length;
    expect(caption![2]).toBe(String(keptEdges));
  });

  it('cuts under smaller limits too, and to the note alone when nothing fits', () => {
    const small = renderMermaid(largePicture(100, 300), LR, { maxEdges: 50, maxTextSize: 100_000 });
    expect(links(small)).toBeLessThan(50);
    const tiny = renderMermaid(largePicture(100, 300), LR, { maxEdges: 500, maxTextSize: 400 });
    expect(tiny).toContain('0 of 100 nodes');
  });
});
