import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { computeStats, openTree, type Project } from '../../src/index.js';
import { calleeKinds, edgeEvidence } from '../support/callees.js';

/**
 * fixtures/macromember: calls through a member written in a function-like macro's body
 * (`#define call_sendmsg(sock, msg, len) (sock)->ops->sendmsg(sock, msg, len)`), bound where the
 * macro is expanded, the receiver typed from the argument the expanding function passes.
 */
const fixture = join(import.meta.dirname, '../../fixtures/macromember');

const open = (extractor?: 'tree-sitter'): Promise<Project> => openTree({ root: fixture, jobs: 1, cache: false, facts: true, ...(extractor ? { extractor } : {}) });

describe('calls through a member in a macro body', () => {
  it('binds the member at each expansion, typed from a parameter, a member, a member address, a global or a cast', async () => {
    const p = await open();
    expect(calleeKinds(p, 'sock_sendmsg')).toEqual(['call_sendmsg macro', 'inet_sendmsg ops-initializer']);
    expect(calleeKinds(p, 'sock_close')).toEqual(['inet_release ops-initializer', 'sock_release_all macro']);
    expect(calleeKinds(p, 'dev_run')).toEqual(['blk_op ops-initializer', 'do_op macro']);
    // w->dev (a member read) and &w->embedded (a member's address): one edge per expansion.
    expect(calleeKinds(p, 'worker_run')).toEqual(['blk_op ops-initializer', 'blk_op ops-initializer', 'do_op macro', 'do_op macro']);
    expect(calleeKinds(p, 'root_run')).toEqual(['blk_op ops-initializer', 'do_op macro']);
    expect(calleeKinds(p, 'cast_run')).toEqual(['blk_op ops-initializer', 'do_op_cast macro']);
  });

  it('follows a macro passing its parameter on to a macro that calls through a member of it', async () => {
    const p = await open();
    expect(calleeKinds(p, 'sock_poke')).toEqual(['inet_sendmsg ops-initializer', 'sock_send_empty macro']);
    const x = explainEdge(p, 'sock_poke', 'inet_sendmsg');
    expect(x.edges.map((e) => e.evidence?.at(-1)?.text)).toEqual(['->sendmsg(...) called in the body of call_sendmsg (include/net.h:34), through sock_send_empty (include/net.h:41), expanded here: the receiver typed from s in sock_poke']);
  });

  it('binds nothing when the argument is a local, whose type the facts do not keep', async () => {
    expect(calleeKinds(await open(), 'local_run')).toEqual(['do_op macro']);
  });

  it('keeps the binding as evidence, and explain names the macro and the argument', async () => {
    const p = await open();
    expect(edgeEvidence(p, 'sock_sendmsg', 'inet_sendmsg')).toEqual(['ops.c:9 .sendmsg = inet_sendmsg in struct proto_ops inet_ops']);
    const x = explainEdge(p, 'sock_sendmsg', 'inet_sendmsg');
    expect(x.edges.map((e) => e.evidence?.map((b) => `${b.file}:${b.line} ${b.text}`))).toEqual([
      ['ops.c:9 .sendmsg = inet_sendmsg in struct proto_ops inet_ops', 'users.c:8 ->sendmsg(...) called in the body of call_sendmsg (include/net.h:34), expanded here: the receiver typed from s in sock_sendmsg'],
    ]);
  });

  it('counts no call site for the member call in the macro body, and none unresolved', async () => {
    const stats = computeStats(await open());
    expect(stats.callSites).toEqual({ total: 10, direct: 10, indirect: 0, throughParameter: 0 });
    expect(stats.indirect.unresolved).toBe(0);
  });

  it('gives the same graph with the tree-sitter extractor', async () => {
    const text = (q: Project): string[] => ['sock_sendmsg', 'sock_close', 'dev_run', 'worker_run', 'root_run', 'cast_run', 'local_run', 'sock_poke'].flatMap((f) => calleeKinds(q, f).map((c) => `${f} ${c}`));
    expect(text(await open('tree-sitter'))).toEqual(text(await open()));
  });
});
