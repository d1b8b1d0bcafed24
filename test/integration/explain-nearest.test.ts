import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainEdge, NEAREST_DEPTH } from '../../src/api/explain.js';
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

  // A fresh user's finding: `explain tcp_sendmsg e1000_xmit_frame` said nothing of a path, though a longer one exists.
  it('says how many calls the shortest path takes when it is longer than the nearest path explain offers', () => {
    const x = explainEdge(tree, 'ksys_write', 'drv_wake_tx_queue');
    expect(x.nearestPath).toBeUndefined();
    const calls = tree.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue' }).paths[0]!.edges.length;
    expect(calls).toBeGreaterThan(NEAREST_DEPTH);
    expect(x.fartherPath).toEqual({ calls, beyond: NEAREST_DEPTH });
    expect(renderExplainText(x, { color: false })).toContain(`ksys_write reaches drv_wake_tx_queue only in more than ${NEAREST_DEPTH} calls (${calls} on the shortest path)\n  pathfind -s ksys_write -t drv_wake_tx_queue shows each step's call site\n`);
    expect(JSON.parse(renderExplainJson(x)).fartherPath).toEqual({ calls, beyond: NEAREST_DEPTH });
    // Out of reach: neither.
    expect(explainEdge(tree, 'ip_queue_xmit', 'tcp_sendmsg').fartherPath).toBeUndefined();
    expect(explainEdge(tree, 'tcp_sendmsg', 'ip_queue_xmit').fartherPath).toBeUndefined();
  });

  it('gives none when the callee is out of reach, or when an edge or a folded chain answers', () => {
    expect(explainEdge(tree, 'ip_queue_xmit', 'tcp_sendmsg').nearestPath).toBeUndefined();
    expect(explainEdge(tree, 'tcp_sendmsg', 'tcp_sendmsg_locked').nearestPath).toBeUndefined();
    // vfs_write's static new_sync_write folds; vfs_write itself does not (its unbound `file->f_op->write(...)` stands on another line: tail-calls.test.ts).
    expect(explainEdge(tree, 'vfs_write', 'call_write_iter').throughInlined.length).toBeGreaterThan(0);
    expect(explainEdge(tree, 'vfs_write', 'call_write_iter').nearestPath).toBeUndefined();
  });
});

describe("explain's chains mark their deferred steps", () => {
  // A user's finding: `explain __do_softirq run_timer_softirq` listed the folded chain's softirq step without `[deferred]`.
  it('marks a step of a folded chain that hands work to another context, as path output does', async () => {
    const deferred = await openTree({ root: join(import.meta.dirname, '../../fixtures/deferred'), jobs: 1, cache: false });
    const x = explainEdge(deferred, 'do_softirq', 'tasklet_action');
    const last = x.throughInlined.at(-1)!;
    expect(last.deferred).toBe(true);
    expect(renderExplainText(x, { color: false })).toContain(`  ${last.file}:${last.line}  __do_softirq -> tasklet_action  ${last.kind}  [deferred]\n`);
  });
});

describe("explain's list of a caller's definitions agrees with the chains above it", () => {
  // A user's finding: `explain e1000_clean_rx_irq memcpy` showed e1000e's chain through a static
  // helper, then said that very definition "does not call memcpy"; and with a nearest path, both
  // definitions "do not call" it, without saying which one the path starts from.
  it('says a definition calls the callee through a folded chain, and which one the nearest path starts from', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-defs-'));
    const put = (path: string, text: string): void => {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    put('drivers/foo/foo.c', 'void copy_bytes(void);\nstatic void foo_helper(void)\n{\n\tcopy_bytes();\n}\nstatic int setup_hw(void)\n{\n\tfoo_helper();\n\treturn 0;\n}\nint foo_probe(void)\n{\n\treturn setup_hw();\n}\n');
    put('drivers/bar/bar.c', 'void far_helper(void);\nstatic int setup_hw(void)\n{\n\tfar_helper();\n\treturn 0;\n}\nint bar_probe(void)\n{\n\treturn setup_hw();\n}\n');
    put('lib/far.c', 'void far_target(void);\nvoid copy_bytes(void)\n{\n}\nvoid far_helper(void)\n{\n\tint i;\n\tfor (i = 0; i < 4; i++)\n\t\ti++;\n\tif (i)\n\t\ti--;\n\tfar_target();\n\tcopy_bytes();\n\ti = 0;\n}\nvoid far_target(void)\n{\n}\n');
    const p = await openTree({ root: dir, jobs: 1, cache: false });
    const folded = explainEdge(p, 'setup_hw', 'copy_bytes');
    expect(folded.throughInlined[0]!.from.file).toBe('drivers/foo/foo.c');
    expect(folded.callerDefinitions).toEqual([
      { file: 'drivers/bar/bar.c', line: 2, calls: false },
      { file: 'drivers/foo/foo.c', line: 6, calls: true, through: 'folded' },
    ]);
    // A fresh user's finding: "calls" alone read as a call in the body; the chain is said.
    expect(renderExplainText(folded, { color: false })).toContain('  drivers/foo/foo.c:6  calls copy_bytes through a chain a stack trace folds (above)\n');
    const far = explainEdge(p, 'setup_hw', 'far_target');
    expect(far.nearestPath!.map((e) => e.to.name)).toEqual(['far_helper', 'far_target']);
    expect(far.callerDefinitions).toEqual([
      { file: 'drivers/bar/bar.c', line: 2, calls: false, nearest: true },
      { file: 'drivers/foo/foo.c', line: 6, calls: false },
    ]);
    expect(renderExplainText(far, { color: false })).toContain('  drivers/bar/bar.c:2  does not call far_target; the nearest path above starts here\n');
  });
});
