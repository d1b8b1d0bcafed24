import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_NODES, loadRenderer, openTree, PICTURE_FORMATS, pathsPicture, type Project, treesPicture } from '../../src/index.js';
import { readDocument } from '../../src/check/read-document.js';
import { verifyClaims } from '../../src/check/verify.js';
import { type Chain, missingEdges, readChains } from '../support/chains.js';
import { chain as chainClaims, claim } from '../support/claims.js';

/**
 * The real-kernel tier: runs when PATHFIND_LINUX names an unpacked Linux 6.1 tree
 * (`npm run fetch:linux` prints one). Indexes the parts the chains cross and checks
 * every hand-verified chain of ../shared/chains/linux-6.1.json edge by edge.
 */
const tree = process.env.PATHFIND_LINUX;
const chainsFile = process.env.PATHFIND_CHAINS ?? join(import.meta.dirname, '../../../shared/chains/linux-6.1.json');
const parts = ['net', 'fs', 'include', 'kernel', 'mm', 'block', 'drivers/net', 'arch/x86'];

describe.skipIf(!tree)('Linux 6.1 chains', () => {
  let project: Project;
  const chains: Chain[] = tree && existsSync(chainsFile) ? readChains(chainsFile) : [];

  it('has the hand-verified chains to check (../shared beside the repo, or PATHFIND_CHAINS)', () => {
    expect(existsSync(chainsFile), `no chains file at ${chainsFile}; set PATHFIND_CHAINS`).toBe(true);
  });

  beforeAll(async () => {
    project = await openTree({ root: tree!, paths: parts, jobs: 2 });
  }, 900_000);

  for (const chain of chains) {
    it(`${chain.id}: every edge is found`, () => {
      const missing = missingEdges(project, chain);
      expect(missing, missing.join('; ')).toEqual([]);
    });
  }

  it('finds no hand-verified chain edge deferred: each is a call made in the caller\'s own context', () => {
    const { index, edges } = project;
    const deferred: string[] = [];
    for (const chain of chains) {
      for (const e of chain.edges) {
        const from = new Set(index.nodesNamed(e.from));
        const to = new Set(index.nodesNamed(e.to));
        for (let i = 0; i < edges.length; i++) if (edges.isDeferred(i) && from.has(edges.from.get(i)) && to.has(edges.to.get(i))) deferred.push(`${chain.id}: ${e.from} -> ${e.to}`);
      }
    }
    expect(deferred).toEqual([]);
  });

  it('leaves tcp_sendmsg synchronously, not through the softirq dispatch, unless deferred hops are allowed', () => {
    const query = { start: 'ksys_write', target: 'drv_wake_tx_queue', via: ['tcp_sendmsg'] };
    const [sync] = project.findPaths(query).paths;
    expect(sync?.edges.filter((e) => e.deferred)).toEqual([]);
    expect(sync?.nodes.map((n) => n.name)).not.toContain('handle_softirqs');
    // Allowed, a deferred hop is an edge like any other: the softirq loop reaches the action net_dev_init registered.
    const [hop] = project.findPaths({ start: 'handle_softirqs', target: 'net_rx_action', deferred: true }).paths;
    expect(hop?.edges.map((e) => `${e.from.name}>${e.to.name}${e.deferred ? ' deferred' : ''}`)).toEqual(['handle_softirqs>net_rx_action deferred']);
  });

  it('draws every picture format for a path, a callees tree and a dense callers tree, or falls back to DOT with a note', async () => {
    const queries = [
      () => pathsPicture(project, project.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue', k: 3 }), { cluster: 'file', maxNodes: DEFAULT_MAX_NODES, exclude: [] }),
      () => treesPicture(project, project.tree('tcp_sendmsg', 3, 'callees'), 'callees', { cluster: 'file', maxNodes: DEFAULT_MAX_NODES, exclude: [], depth: 2 }),
      // A hub: thousands of callers within three levels, cut to the default node budget.
      () => treesPicture(project, project.tree('kfree_skb_reason', 4, 'callers'), 'callers', { cluster: 'dir', maxNodes: DEFAULT_MAX_NODES, exclude: [], depth: 3 }),
    ];
    for (const build of queries) {
      const picture = build();
      expect(picture.nodes.length).toBeGreaterThan(2);
      expect(picture.nodes.length).toBeLessThanOrEqual(DEFAULT_MAX_NODES * 2);
      for (const format of PICTURE_FORMATS) {
        const out = await (await loadRenderer(format))(picture, { rankdir: 'LR', theme: 'auto' });
        const what = `${picture.title} as ${format}`;
        if (out.fallback) {
          expect(out.note, what).toMatch(/wrote DOT instead/);
          expect(out.text, what).toMatch(/^digraph /);
        } else {
          const start = { dot: /^digraph /, svg: /^<\?xml/, mermaid: /^---\n/, html: /^<!DOCTYPE html>/i }[format];
          expect(out.text, what).toMatch(start);
        }
        for (const n of picture.nodes.filter((x) => !x.summary).slice(0, 20)) expect(out.text, `${what}: ${n.name}`).toContain(n.name);
      }
    }
  }, 600_000);

  it('check: every hand-verified chain, with its call sites as file:line, holds with no finding; the issue\'s stale 4.19 steps are errors with what 6.1 has now', () => {
    const claims = chains.flatMap((c, i) =>
      chainClaims(c.path, { doc: 'chains.md', line: i + 1 }).map((step, j) => ({ ...step, to: { ...step.to, site: { file: c.edges[j]!.file, line: c.edges[j]!.line } } })),
    );
    expect(claims.length).toBeGreaterThan(0);
    expect(verifyClaims(project, claims, ['chains.md']).findings.map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual([]);
    const stale = verifyClaims(project, [claim('tcp_connect', '__tcp_transmit_skb', { line: 1 }), claim('sock_write_iter', 'sock_sendmsg', { line: 2 })], ['old.md']).findings;
    expect(stale.map((f) => f.message)).toEqual([
      'tcp_connect does not call __tcp_transmit_skb; now tcp_connect -> tcp_transmit_skb -> __tcp_transmit_skb (tcp_transmit_skb is static: if the document leaves it out on purpose, write tcp_connect -> ... -> __tcp_transmit_skb or pass --max-gap 1)',
      expect.stringMatching(/^sock_write_iter does not call sock_sendmsg; now sock_write_iter calls __sock_sendmsg, a name close to sock_sendmsg; /),
    ]);
  });

  it('check: every hand-verified chain holds when written in each document form (arrows, tree, cflow, ftrace stack, function_graph, DOT)', () => {
    // Where a name with one definition is defined; null for several (cflow then prints the name alone, as for one it does not see).
    const definedAt = (name: string): string | null => {
      const defs = project.index.nodesNamed(name).filter((x) => !project.index.isExternal(x));
      return defs.length === 1 ? `${project.index.file(defs[0]!)}:${project.index.nodeLine[defs[0]!]}` : null;
    };
    const forms: Record<string, (path: string[]) => string> = {
      'arrows.md': (p) => `Transmit path:\n\n\`\`\`\n${p.map((n) => `${n}()`).join(' -> ')}\n\`\`\`\n`,
      'tree.md': (p) => `\`\`\`\n${p.map((n, i) => `${'    '.repeat(i)}${i ? '\\_ ' : ''}${n}()`).join('\n')}\n\`\`\`\n`,
      // cflow places each name where it is defined: a place where none of its definitions is would be a warning.
      'cflow.txt': (p) => `${p.map((n, i) => `${'    '.repeat(i)}${n}()${definedAt(n) ? ` <int ${n} (void) at ${definedAt(n)}>` : ''}${i < p.length - 1 ? ':' : ''}`).join('\n')}\n`,
      'stack.txt': (p) => `<stack trace>\n${[...p].reverse().map((n) => ` => ${n}`).join('\n')}\n`,
      'graph.txt': (p) => `${p.map((n, i) => ` 0)               |  ${'  '.repeat(i)}${n}()${i < p.length - 1 ? ' {' : ';'}`).join('\n')}\n${p.slice(0, -1).map((_, i) => ` 0)   1.000 us    |  ${'  '.repeat(p.length - 2 - i)}}`).join('\n')}\n`,
      'chain.dot': (p) => `digraph g {\n${p.slice(1).map((n, i) => `  ${p[i]} -> ${n};`).join('\n')}\n}\n`,
    };
    for (const [doc, write] of Object.entries(forms)) {
      for (const chain of chains) {
        const claims = readDocument(doc, write(chain.path));
        expect(claims.length, `${doc} ${chain.id}: steps read`).toBe(chain.path.length - 1);
        const { findings } = verifyClaims(project, claims, [doc]);
        expect(findings.filter((f) => f.severity !== 'note').map((f) => `${doc} ${chain.id} ${f.line}:${f.column} ${f.message}`)).toEqual([]);
      }
    }
  });
});
