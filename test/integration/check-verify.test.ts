import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { SHORT_PATH, verifyClaims, type VerifyOptions } from '../../src/check/verify.js';
import { openTree, type Project } from '../../src/index.js';
import type { Claim } from '../../src/types/claims.js';
import { chain, claim } from '../support/claims.js';

/** The verifier on fixture trees, with claims built by hand (no reader involved). */
const fixtures = join(import.meta.dirname, '../../fixtures');
let mini: Project;
let golden: Project;
beforeAll(async () => {
  mini = await openTree({ root: join(fixtures, 'minikernel'), jobs: 1, cache: false });
  golden = await openTree({ root: join(fixtures, 'golden'), jobs: 1, cache: false });
});

const check = (claims: Claim[], options: VerifyOptions = {}, project = mini) => verifyClaims(project, claims, ['doc.md'], options);
const lines = (claims: Claim[], options: VerifyOptions = {}, project = mini) =>
  check(claims, options, project).findings.map((f) => `${f.doc}:${f.line}:${f.column}: ${f.severity}: ${f.message}`);

describe('verifyClaims on the minikernel', () => {
  it('a step through macros only holds with no finding (release_sock calls the macro wake_up, which expands to __wake_up)', () => {
    expect(check([claim('release_sock', '__wake_up')]).findings).toEqual([]);
    expect(check([claim('release_sock', '__wake_up', { mayInline: true })]).findings).toEqual([]);
    expect(check(chain(['release_sock', 'wake_up', '__wake_up'])).findings).toEqual([]);
  });

  it('explain shows the chain through macros only that such a step holds by (no edge of its own)', () => {
    const x = explainEdge(mini, 'pipe_write', '__wake_up');
    expect(x.edges).toEqual([]);
    expect(x.throughMacros.map((e) => `${e.file}:${e.line} ${e.from.name} -> ${e.to.name} ${e.kind}`)).toEqual([
      'fs/pipe.c:29 pipe_write -> wake_up_interruptible macro',
      'include/linux/wait.h:29 wake_up_interruptible -> __wake_up macro',
    ]);
    expect(check([claim('pipe_write', '__wake_up')]).findings).toEqual([]);
    // A step check does not accept has no such chain.
    expect(explainEdge(mini, 'sk_wait_relock', '__wake_up').throughMacros).toEqual([]);
    expect(check([claim('sk_wait_relock', '__wake_up')]).findings).toHaveLength(1);
  });

  it('a step through a macro may name the line of the macro call as its call site', () => {
    expect(lines([claim('release_sock', '__wake_up', { site: { file: 'net/core/sock.c', line: 26 } })])).toEqual([]);
    expect(lines([claim('release_sock', '__wake_up', { site: { file: 'net/core/sock.c', line: 27 } })])).toEqual([
      'doc.md:1:17: warning: release_sock -> __wake_up: net/core/sock.c:27 does not match; the call is at net/core/sock.c:26',
    ]);
    // A user's finding: a file the tree does not have said only "does not match".
    expect(lines([claim('release_sock', '__wake_up', { site: { file: 'net/core/nosuch.c', line: 26 } })])).toEqual([
      'doc.md:1:17: warning: release_sock -> __wake_up: net/core/nosuch.c is no file of the indexed tree; the call is at net/core/sock.c:26',
    ]);
  });

  it('--max-gap counts the functions skipped, not the macros on the way', () => {
    expect(lines([claim('sk_wait_relock', '__wake_up')])[0]).toMatch(/^doc\.md:1:19: error: sk_wait_relock does not call __wake_up; now sk_wait_relock -> release_sock -> wake_up -> __wake_up$/);
    const f = check([claim('sk_wait_relock', '__wake_up')], { maxGap: 1 }).findings;
    expect(f.map((x) => x.message)).toEqual(['sk_wait_relock -> __wake_up skips 1 call: sk_wait_relock -> release_sock -> wake_up -> __wake_up']);
    expect(f[0]!.now.skipped).toEqual(['release_sock']);
  });

  // A user's finding: a chain that leaves out static helpers on purpose got only "does not call", no word of `...` or --max-gap.
  it('a broken step whose current path skips only static functions says how a document leaves them out on purpose', () => {
    // new_sync_write is static in fs/read_write.c, call_write_iter a static inline of include/linux/fs.h.
    expect(lines([claim('vfs_write', 'sock_write_iter')])).toEqual([
      'doc.md:1:14: error: vfs_write does not call sock_write_iter; now vfs_write -> new_sync_write -> call_write_iter -> sock_write_iter (new_sync_write and call_write_iter are static: if the document leaves them out on purpose, write vfs_write -> ... -> sock_write_iter or pass --max-gap 2)',
    ]);
    // A diagram (or a tree, cflow output) has no `...`: only the option.
    expect(lines([{ ...claim('vfs_write', 'sock_write_iter'), form: 'dot' }])[0]).toMatch(/ \(new_sync_write and call_write_iter are static: if the document leaves them out on purpose, pass --max-gap 2\)$/);
    // Not when a global function is skipped: the document may be wrong.

    expect(lines([claim('ksys_write', 'new_sync_write')])).toEqual(['doc.md:1:15: error: ksys_write does not call new_sync_write; now ksys_write -> vfs_write -> new_sync_write']);
  });

  it('a chain of direct calls and calls through resolved dispatch holds: no finding', () => {
    const claims = chain(['ksys_write', 'vfs_write', 'new_sync_write', 'call_write_iter', 'sock_write_iter', '__sock_sendmsg', 'sock_sendmsg_nosec', 'inet_sendmsg']);
    const result = check(claims);
    expect(result.findings).toEqual([]);
    expect(result.steps).toBe(7);
  });

  it('a broken step is an error at the callee, with the nearest current path', () => {
    const result = check([claim('tcp_write_xmit', '__tcp_transmit_skb', { line: 12 })]);
    expect(result.findings.map((f) => `${f.doc}:${f.line}:${f.column}: ${f.severity}: ${f.message}`)).toEqual([
      'doc.md:12:19: error: tcp_write_xmit does not call __tcp_transmit_skb; now tcp_write_xmit -> tcp_transmit_skb -> __tcp_transmit_skb (tcp_transmit_skb is static: if the document leaves it out on purpose, write tcp_write_xmit -> ... -> __tcp_transmit_skb or pass --max-gap 1)',
    ]);
    expect(result.findings[0]!.rule).toBe('broken-call');
    expect(result.findings[0]!.now.path).toEqual(['tcp_write_xmit', 'tcp_transmit_skb', '__tcp_transmit_skb']);
  });

  // A user's finding: the nearest path of e1000_intr -> napi_schedule went through the NET_RX softirq unmarked.
  it("marks the deferred hops of a broken step's nearest path", async () => {
    const deferredTree = await openTree({ root: join(fixtures, 'deferred'), jobs: 1, cache: false });
    expect(lines([claim('wifi_interrupt', 'wifi_poll')], {}, deferredTree)).toEqual([
      'doc.md:1:19: error: wifi_interrupt does not call wifi_poll; now wifi_interrupt -> napi_schedule -> net_rx_action [deferred] -> wifi_poll',
    ]);
  });

  // A user's finding: a long path through pointer guesses read as what the tree does "now".
  it('a broken step whose nearest path is long gives it as how far the callee is, with how many steps go through pointers', () => {
    const [f] = check([claim('ksys_write', 'inet_sendmsg')]).findings;
    expect(f!.message).toBe('ksys_write does not call inet_sendmsg; inet_sendmsg is 7 calls away, 2 of them through pointers: ksys_write -> vfs_write -> new_sync_write -> call_write_iter -> sock_write_iter -> __sock_sendmsg -> sock_sendmsg_nosec -> inet_sendmsg');
    expect(f!.now.path).toHaveLength(8);
  });

  it('a broken step whose path now is long offers a callee with a close name first (a renamed call), then the path', () => {
    const [f] = check([claim('ksys_write', 'tty_write')]).findings;
    expect(f!.message).toBe(`ksys_write does not call tty_write; now ksys_write calls vfs_write, a name close to tty_write; tty_write is ${f!.now.path!.length - 1} calls away, 1 of them through pointers: ${f!.now.path!.join(' -> ')}`);
    expect(f!.now.path!.length - 1).toBeGreaterThan(3);
    expect(f!.now.suggestions).toEqual(['vfs_write']);
  });

  it('a step through dispatch breaks when indirect calls are not counted (the query filter applies)', () => {
    expect(check([claim('call_write_iter', 'sock_write_iter')]).findings).toEqual([]);
    const [f] = check([claim('call_write_iter', 'sock_write_iter')], { filter: { noIndirect: true } }).findings;
    expect(f?.message).toMatch(/^call_write_iter does not call sock_write_iter; no call path from call_write_iter to sock_write_iter within \d+ calls$/);
  });

  it('a renamed callee is an error with did-you-mean, the caller\'s close callee first, and what the call is now', () => {
    const [f, ...rest] = check([claim('sock_write_iter', 'sock_sendmsg', { line: 3 })]).findings;
    expect(rest).toEqual([]);
    expect(f!.rule).toBe('unknown-function');
    expect(f!.now.suggestions![0]).toBe('__sock_sendmsg');
    expect(f!.message).toBe(`sock_sendmsg is not in the tree (did you mean ${f!.now.suggestions!.join(', ')}?); now sock_write_iter -> __sock_sendmsg`);
    expect([f!.line, f!.column]).toEqual([3, 20]);
  });

  it('an unknown name inside a chain is one finding, its neighbours on both sides giving the rename', () => {
    const findings = check(chain(['sock_write_iter', 'sock_sendmsg', 'sock_sendmsg_nosec'])).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]!.now.path).toEqual(['sock_write_iter', '__sock_sendmsg', 'sock_sendmsg_nosec']);
    expect(findings[0]!.message).toMatch(/; now sock_write_iter -> __sock_sendmsg -> sock_sendmsg_nosec$/);
  });

  it('what the tree does now around a renamed name follows calls through functions in between, not one call only', () => {
    // The tree: sock_write_iter -> __sock_sendmsg -> sock_sendmsg_nosec -> inet_sendmsg (through .sendmsg).
    const [f, ...rest] = check(chain(['sock_write_iter', 'sock_sendmsg', 'inet_sendmsg'])).findings;
    expect(rest).toEqual([]);
    expect(f!.now.suggestions![0]).toBe('__sock_sendmsg');
    expect(f!.now.path).toEqual(['sock_write_iter', '__sock_sendmsg', 'sock_sendmsg_nosec', 'inet_sendmsg']);
    expect(f!.message).toMatch(/; now sock_write_iter -> __sock_sendmsg -> sock_sendmsg_nosec -> inet_sendmsg$/);
    // A neighbour the close name reaches only past SHORT_PATH calls is left out of the path.
    const [far] = check(chain(['sock_write_iter', 'sock_sendmsg', 'tcp_sendmsg_locked'])).findings;
    expect(far!.now.path![0]).toBe('sock_write_iter');
    expect(far!.now.path!.length - 1).toBeLessThanOrEqual(1 + SHORT_PATH);
    // Two unknown names side by side: each is its own finding, and neither is a path end for the other.
    const both = check(chain(['sock_write_iter', 'sock_sendmsg', 'qqq_unknown_fn'])).findings;
    expect(both.map((x) => x.rule)).toEqual(['unknown-function', 'unknown-function']);
    expect(both[0]!.now.path).toEqual(['sock_write_iter', '__sock_sendmsg']);
  });

  it('an unknown name with no close name says so', () => {
    expect(lines([claim('ksys_write', 'qqqxyzzy')])).toEqual(['doc.md:1:15: error: qqqxyzzy is not in the tree: no indexed function has a close name; ksys_write calls fdget_pos, fdput_pos, file_ppos (+1 more)']);
  });

  it('a gap step holds on any call path, and is broken when there is none', () => {
    expect(check([claim('ksys_write', 'drv_wake_tx_queue', { gap: true })]).findings).toEqual([]);
    expect(lines([claim('drv_wake_tx_queue', 'ksys_write', { gap: true })])).toEqual([
      'doc.md:1:22: error: drv_wake_tx_queue does not reach ksys_write (the document skips calls there): no call path from drv_wake_tx_queue to ksys_write',
    ]);
    // Without the gap, the same long step is broken.
    expect(check([claim('ksys_write', 'drv_wake_tx_queue')]).findings[0]?.rule).toBe('broken-call');
  });

  it('--max-gap N lets a step skip up to N calls, in a note saying which', () => {
    const step = [claim('tcp_push', 'tcp_transmit_skb')];
    expect(check(step, { maxGap: 1 }).findings.map((f) => f.severity)).toEqual(['error']);
    const [note] = check(step, { maxGap: 2 }).findings;
    expect(note).toMatchObject({ severity: 'note', rule: 'skipped-calls', now: { skipped: ['__tcp_push_pending_frames', 'tcp_write_xmit'] } });
    expect(note!.message).toBe('tcp_push -> tcp_transmit_skb skips 2 calls: tcp_push -> __tcp_push_pending_frames -> tcp_write_xmit -> tcp_transmit_skb');
  });

  it('a stack step (mayInline) may skip static functions only', () => {
    // __sock_sendmsg and tcp_transmit_skb are static; tcp_sendmsg_locked is not.
    expect(check([claim('sock_write_iter', 'sock_sendmsg_nosec', { mayInline: true })]).findings).toEqual([]);
    expect(check([claim('tcp_write_xmit', '__tcp_transmit_skb', { mayInline: true })]).findings).toEqual([]);
    expect(check([claim('sock_write_iter', 'sock_sendmsg_nosec')]).findings.map((f) => f.rule)).toEqual(['broken-call']);
    expect(check([claim('tcp_sendmsg', 'tcp_push', { mayInline: true })]).findings.map((f) => f.rule)).toEqual(['broken-call']);
  });

  it('explain shows the chain through static functions that a stack step holds by (no edge, no macro chain)', () => {
    const x = explainEdge(mini, 'sock_write_iter', 'sock_sendmsg_nosec');
    expect(x.edges).toEqual([]);
    expect(x.throughMacros).toEqual([]);
    expect(x.throughInlined.map((e) => `${e.from.name} -> ${e.to.name} ${e.kind}`)).toEqual(['sock_write_iter -> __sock_sendmsg direct', '__sock_sendmsg -> sock_sendmsg_nosec direct']);
    // tcp_sendmsg_locked is not static: a compiler keeps its frame, so no such chain.
    expect(explainEdge(mini, 'tcp_sendmsg', 'tcp_push').throughInlined).toEqual([]);
  });

  it('a stack step may skip a wrapper whose calls are all in one statement (a tail call leaves no frame), not a function calling on other lines', () => {
    // ip_queue_xmit is global; its body is `return __ip_queue_xmit(sk, skb, fl, inet_sk(sk)->tos);`.
    expect(check([claim('__tcp_transmit_skb', '__ip_queue_xmit', { mayInline: true })]).findings).toEqual([]);
    expect(check([claim('__tcp_transmit_skb', '__ip_queue_xmit')]).findings.map((f) => f.rule)).toEqual(['broken-call']);
    expect(explainEdge(mini, '__tcp_transmit_skb', '__ip_queue_xmit').throughInlined.map((e) => `${e.from.name} -> ${e.to.name}`)).toEqual(['__tcp_transmit_skb -> ip_queue_xmit', 'ip_queue_xmit -> __ip_queue_xmit']);
  });

  it('a file:line matching the call site or the callee\'s definition holds; another is a warning, an error with strict', () => {
    const at = (line: number) => [claim('tcp_write_xmit', 'tcp_transmit_skb', { site: { file: 'net/ipv4/tcp_output.c', line } })];
    expect(check(at(73)).findings).toEqual([]);
    expect(check(at(40)).findings).toEqual([]);
    expect(check([claim('tcp_write_xmit', 'tcp_transmit_skb', { site: { file: 'tcp_output.c', line: 73 } })]).findings).toEqual([]);
    expect(lines(at(70))).toEqual(['doc.md:1:19: warning: tcp_write_xmit -> tcp_transmit_skb: net/ipv4/tcp_output.c:70 does not match; the call is at net/ipv4/tcp_output.c:73']);
    expect(check(at(70)).findings[0]!.now.sites).toEqual([{ file: 'net/ipv4/tcp_output.c', line: 73 }, { file: 'net/ipv4/tcp_output.c', line: 40 }]);
    expect(check(at(70), { strict: true }).findings.map((f) => f.severity)).toEqual(['error']);
    expect(check([claim('tcp_write_xmit', 'tcp_transmit_skb', { site: { file: 'net/ipv4/tcp.c', line: 73 } })]).findings.map((f) => f.rule)).toEqual(['site-mismatch']);
  });

  it('findings come sorted by document, line and column whatever the claims\' order', () => {
    const claims = [
      claim('tcp_write_xmit', '__tcp_transmit_skb', { doc: 'b.md', line: 2 }),
      claim('ksys_write', 'nope_nope_nope', { doc: 'b.md', line: 1 }),
      claim('tcp_write_xmit', '__tcp_transmit_skb', { doc: 'a.md', line: 9 }),
    ];
    const order = (cs: Claim[]) => check(cs).findings.map((f) => `${f.doc}:${f.line}`);
    expect(order(claims)).toEqual(['a.md:9', 'b.md:1', 'b.md:2']);
    expect(order([...claims].reverse())).toEqual(order(claims));
  });
});

describe('verifyClaims: weak kinds and external callers', () => {
  it('a step that holds only through a field-name binding is a note naming the kind', () => {
    const [f, ...rest] = check([claim('unknown_receiver', 'raw_close')], {}, golden).findings;
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'note', rule: 'weak-binding', now: { kind: 'field-name' } });
    expect(f!.message).toBe('unknown_receiver -> raw_close holds only through a field-name binding (a guess from the member name alone)');
  });

  it('a step from a function defined in no indexed file cannot be checked: a warning', () => {
    expect(lines([claim('conn_of', 'plain_open')], {}, golden)).toEqual(['doc.md:1:12: warning: conn_of is defined in no indexed file, so conn_of -> plain_open cannot be checked']);
  });
});
