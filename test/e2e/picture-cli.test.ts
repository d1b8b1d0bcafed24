import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDot } from '../support/dot-read.js';
import { allElements, parseXml } from '../support/xml.js';
import { bin, cliEnv, unbundledBin } from '../support/run-cli.js';

const tree = join(import.meta.dirname, '../../fixtures/minikernel');
const work = mkdtempSync(join(tmpdir(), 'pathfind-pictures-'));
const cache = join(work, 'cache');

/** The built CLI on the minikernel, with node options (e.g. an import logger) before the script (bin/pathfind.js unless given). */
function run(args: string[], nodeArgs: string[] = [], script = bin): { stdout: string; stderr: string; code: number } {
  const r = spawnSync(process.execPath, [...nodeArgs, script, '--cache', cache, '-q', '-C', tree, ...args], { encoding: 'utf8', env: cliEnv() });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

describe('picture formats on the command line', () => {
  it('--format dot draws paths, callees and callers', () => {
    for (const args of [['-s', 'ksys_write', '-t', '__wake_up', '-k', '3'], ['callees', '__dev_queue_xmit'], ['callers', 'kfree_skb', '--depth', '2']]) {
      const r = run([...args, '--format', 'dot']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^digraph "pathfind" \{\n/);
      expect(readDot(r.stdout).nodes.size).toBeGreaterThan(1);
    }
  });

  it('-o FILE takes the format from the extension, --format wins over it, an unknown extension is a usage error', () => {
    const dot = join(work, 'chain.gv');
    expect(run(['-s', 'ksys_write', '-t', 'vfs_write', '-o', dot]).code).toBe(0);
    expect(readFileSync(dot, 'utf8')).toMatch(/^digraph/);
    const json = join(work, 'tree.json');
    expect(run(['callers', 'kfree_skb', '-o', json]).code).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8')).direction).toBe('callers');
    const forced = join(work, 'forced.json');
    expect(run(['callers', 'kfree_skb', '-o', forced, '--format', 'dot']).code).toBe(0);
    expect(readFileSync(forced, 'utf8')).toMatch(/^digraph/);
    const bad = run(['callers', 'kfree_skb', '-o', join(work, 'x.png')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^pathfind: cannot tell the format of .*x\.png from its extension; give --format\n$/);
  });

  it('picture options reach the picture: --cluster, --rankdir, --source-url, --max-nodes, --exclude, --no-default-excludes', () => {
    const r = run(['callees', 'netdev_xmit_error', '--depth', '2', '--format', 'dot', '--cluster', 'dir', '--rankdir', 'LR', '--source-url', 'https://e.org/{file}#L{line}']);
    expect(r.stdout).toContain('rankdir="LR"');
    expect(r.stdout).toContain('label="net/core/"');
    expect(r.stdout).toContain('URL="https://e.org/net/core/dev.c#L');
    expect(r.stdout).not.toContain('label="pr_warn"');
    expect(run(['callees', 'netdev_xmit_error', '--depth', '2', '--format', 'dot', '--no-default-excludes']).stdout).toContain('label="pr_warn"');
    const cut = run(['callers', 'kfree_skb', '--format', 'dot', '--max-nodes', '2', '--exclude', 'nothing_*']);
    expect(cut.stdout).toMatch(/label="callers of kfree_skb, depth 3\\n2 of \d+ nodes shown/);
    expect(cut.stdout).toMatch(/shape="note"/);
  });

  it('stats, index and explain take text or JSON only: a picture format is a usage error', () => {
    for (const args of [['stats'], ['index'], ['explain', 'vfs_write', 'new_sync_write']]) {
      const r = run([...args, '--format', 'dot']);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr).toMatch(/^pathfind: --format dot is for path, callees and callers queries/);
    }
  });

  it('every picture format draws paths, callees and callers, naming every function', () => {
    const queries = [['-s', 'ksys_write', '-t', '__wake_up', '-k', '3'], ['callees', '__dev_queue_xmit'], ['callers', 'kfree_skb', '--depth', '2']];
    for (const args of queries) {
      // The DOT says which functions the picture holds; every other format must name each of them.
      const dot = readDot(run([...args, '--format', 'dot']).stdout);
      const names = [...dot.nodes.values()].map((n) => n.label!.split('\n')[0]!.replace(/ \+$/, ''));
      expect(names.length, args.join(' ')).toBeGreaterThan(1);
      for (const format of ['svg', 'mermaid', 'html']) {
        const r = run([...args, '--format', format]);
        const what = `${args.join(' ')} --format ${format}`;
        expect(r.code, what).toBe(0);
        expect(r.stderr, what).toBe('');
        if (format === 'svg') {
          const svg = parseXml(r.stdout);
          const ids = new Set(allElements(svg).map((e) => e.attrs.id));
          for (const id of dot.nodes.keys()) expect(ids.has(id), `${what}: node ${id}`).toBe(true);
        } else if (format === 'mermaid') expect(r.stdout, what).toMatch(/^---\ntitle: .*\n---\nflowchart (TB|LR)\n/);
        else expect(r.stdout, what).toMatch(/^<!DOCTYPE html>/i);
        for (const name of names) expect(r.stdout, `${what}: ${name}`).toContain(name);
      }
    }
  });

  it('text and JSON queries load no picture renderer; dot loads only its own', () => {
    const logger = ['--import', join(import.meta.dirname, '../support/log-imports.mjs')];
    // Modules told apart by address: the CLI's modules one by one, not the bundle.
    const loaded = (args: string[]) => run(args, logger, unbundledBin).stderr.split('\n').filter((l) => l.startsWith('loaded ') && l.includes('/render/'));
    for (const format of ['text', 'json']) expect(loaded(['callers', 'kfree_skb', '--format', format]).filter((l) => /render\/(dot|svg|mermaid|html)/.test(l))).toEqual([]);
    expect(loaded(['callers', 'kfree_skb', '--format', 'dot']).some((l) => l.endsWith('/render/dot.js'))).toBe(true);
  });
});
