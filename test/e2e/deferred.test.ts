import { describe, expect, it } from 'vitest';
import { cliOn } from '../support/run-cli.js';

const pathfind = cliOn('deferred');

describe('pathfind CLI and deferred hops', () => {
  it('answers with the synchronous path, unmarked, when one exists', () => {
    const r = pathfind('-s', 'sock_sendmsg', '-t', 'drv_wake_queue');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wifi_start_xmit');
    expect(r.stdout).not.toContain('deferred');
    expect(r.stdout).not.toContain('__do_softirq');
  });

  it('marks each deferred step in text and says that no synchronous path exists', () => {
    const r = pathfind('-s', 'release_sock', '-t', 'drv_wake_queue');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('# no synchronous path: shown through deferred hops (marked [deferred]: work handed to another context)');
    // The mark follows the call site, before the evidence, so that a long line cut at any width keeps it.
    const marked = lines.filter((l) => /^\s*└─ \S+  \S+:\d+  \[deferred\]  \[/.test(l)).map((l) => l.trim().split(/\s+/)[1]);
    expect(marked).toEqual(['tasklet_action', 'wifi_wake_txqs']);
    expect(lines.filter((l) => l.includes('[deferred]'))).toHaveLength(3);
  });

  it('carries deferred: true on those edges in JSON, and nowhere else', () => {
    const r = pathfind('-s', 'release_sock', '-t', 'drv_wake_queue', '--format', 'json');
    expect(r.code).toBe(0);
    const edges = (JSON.parse(r.stdout) as { paths: { edges: { from: { name: string }; to: { name: string }; deferred?: boolean }[] }[] }).paths[0]!.edges;
    expect(edges.filter((e) => 'deferred' in e).map((e) => [e.to.name, e.deferred])).toEqual([
      ['tasklet_action', true],
      ['wifi_wake_txqs', true],
    ]);
  });

  it('--deferred lets the shorter path through the softirq win', () => {
    const r = pathfind('-s', 'sock_sendmsg', '-t', 'drv_wake_queue', '--deferred');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/__do_softirq  kernel\/softirq\.c:\d+\n\s+└─ tasklet_action  kernel\/softirq\.c:\d+  \[deferred\]  \[param-to-field: [^\]]+\]\n/);
    expect(r.stdout).not.toContain('# no synchronous path');
  });

  it('marks deferred edges in callees trees, not a hard interrupt handler called on the interrupt\'s stack', () => {
    const r = pathfind('callees', 'tasklet_action_common', '--depth', '1');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/└─ wifi_wake_txqs  kernel\/softirq\.c:\d+  \[deferred\]  \[param-to-field: [^\]]+\]\n$/);
    const irq = pathfind('callees', 'handle_irq_event', '--depth', '1');
    expect(irq.stdout).toMatch(/└─ wifi_interrupt  kernel\/irq\/handle\.c:\d+  \[param-to-field: [^\]]+\]\n$/);
  });

  it('marks a deferred edge in explain', () => {
    const r = pathfind('explain', 'tasklet_action_common', 'wifi_wake_txqs');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^  kernel\/softirq\.c:\d+  param-to-field  through t->callback  \[deferred\]$/m);
  });

  it('documents --deferred in --help', () => {
    const r = pathfind('--help');
    expect(r.stdout).toMatch(/--deferred\s+let paths cross deferred hops/);
  });
});
