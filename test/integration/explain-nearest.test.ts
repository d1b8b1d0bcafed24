import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { renderExplainText } from '../../src/render/text.js';
import { renderExplainJson } from '../../src/render/json.js';
import { openTree, type Project } from '../../src/index.js';

/** explain on fixtures/minikernel when the caller reaches the callee only through functions that keep their frames. */
const root = join(import.meta.dirname, '../../fixtures/minikernel');
const chain: string[] = (JSON.parse(readFileSync(join(root, '../minikernel.chains.json'), 'utf8')) as { id: string; path: string[] }[]).find((c) => c.id === 'write-to-wake-tx-queue')!.path;
let tree: Project;
beforeAll(async () => {
  tree = await openTree({ root, jobs: 1, cache: false });
});

describe('explain with no edge and no chain a stack trace folds', () => {
  // A user's finding: `explain e1000_watchdog e1000_check_for_link` said only "no edge", though
  // e1000_has_link (global, so it keeps its frame) calls it: nothing pointed at the two-step chain.
  it('gives the nearest path from the caller to the callee, with its pointer steps counted', () => {
    const x = explainEdge(tree, 'tcp_sendmsg', 'ip_queue_xmit');
    expect(x.edges).toEqual([]);
    expect(x.throughInlined).toEqual([]);
    // The hand-verified chain's stretch between the two is the fewest-calls path here.
    const stretch = chain.slice(chain.indexOf('tcp_sendmsg'), chain.indexOf('ip_queue_xmit') + 1);
    expect(x.nearestPath!.map((e) => e.from.name).concat(x.nearestPath!.at(-1)!.to.name)).toEqual(stretch);
    const pointers = x.nearestPath!.filter((e) => e.kind !== 'direct' && e.kind !== 'macro').length;
    expect(pointers).toBeGreaterThan(0);
    const text = renderExplainText(x, { color: false });
    expect(text).toContain(`tcp_sendmsg reaches ip_queue_xmit in ${stretch.length - 1} calls, ${pointers} of them through pointers: ${stretch.join(' -> ')}`);
    expect(text).toContain('pathfind -s tcp_sendmsg -t ip_queue_xmit');
    expect(JSON.parse(renderExplainJson(x)).nearestPath.map((e: { to: { name: string } }) => e.to.name)).toEqual(stretch.slice(1));
  });

  it('gives none when the callee is out of reach, or when an edge or a folded chain answers', () => {
    expect(explainEdge(tree, 'ip_queue_xmit', 'tcp_sendmsg').nearestPath).toBeUndefined();
    expect(explainEdge(tree, 'tcp_sendmsg', 'tcp_sendmsg_locked').nearestPath).toBeUndefined();
    expect(explainEdge(tree, 'ksys_write', 'call_write_iter').nearestPath).toBeUndefined();
  });
});
