import { describe, expect, it } from 'vitest';
import { cliOn } from '../support/run-cli.js';

/**
 * --exclude on text and JSON trees (fixtures/minikernel): a function matching a pattern is left
 * out with what is below it, as in pictures, and a note says how many calls went and which
 * patterns matched nothing.
 */
describe('--exclude on callees and callers trees in text and JSON', () => {
  it('leaves out the functions matching a pattern, with their subtrees, and says how many calls it left out', () => {
    const cli = cliOn('minikernel');
    const all = cli('-q', 'callees', '__dev_queue_xmit', '--depth', '3');
    expect(all.stdout).toContain('kfree_skb');
    expect(all.stdout).toContain('├─ rcu_read_lock');
    const r = cli('-q', 'callees', '__dev_queue_xmit', '--depth', '3', '--exclude', 'kfree*', '--exclude', 'rcu_*');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/kfree|rcu_read/);
    expect(r.stdout).toContain('dev_hard_start_xmit');
    // spin_lock's barrier is now the first one shown: no `(see above)` on it.
    expect(r.stdout).toContain('│  └─ barrier (macro)  include/linux/spinlock.h:19  [macro]\n');
    expect(r.stderr).toBe('pathfind: note: --exclude left out 3 calls\n');
    const json = JSON.parse(cli('-q', '--json', 'callees', '__dev_queue_xmit', '--depth', '1', '--exclude', 'kfree*').stdout) as { trees: { edges: { to: { name: string } }[] }[] };
    expect(json.trees[0]!.edges.map((e) => e.to.name)).not.toContain('kfree_skb');
    expect(json.trees[0]!.edges.length).toBeGreaterThan(3);
    const callers = cli('-q', 'callers', 'kfree', '--exclude', 'kfree_skb');
    expect(callers.stdout).not.toContain('kfree_skb');
  });

  it('says which patterns matched nothing, and never leaves out the root', () => {
    const cli = cliOn('minikernel');
    const r = cli('-q', 'callees', '__dev_queue_xmit', '--depth', '1', '--exclude', 'nothing_*', '--exclude', '__dev_*');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^__dev_queue_xmit {2}defined at/);
    expect(r.stderr).toBe("pathfind: note: --exclude 'nothing_*', '__dev_*' matched no function in the tree\n");
  });
});
