import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { openTree, type Project } from '../../src/index.js';
import { renderExplainText, renderPathsText, renderTreeText } from '../../src/render/text.js';

/** fixtures/evidence: proto_send (proto/stream.c) is bound to msg_ops.send by four tables in three files. */
const root = join(import.meta.dirname, '../../fixtures/evidence');

let project: Project;
beforeAll(async () => {
  project = await openTree({ root, jobs: 1, cache: false });
});

const where = (e: { file: string; line: number }): string => `${e.file}:${e.line}`;

describe('every binding behind an edge', () => {
  it('explain lists every table that binds the target, its own file first, then its directory, then the rest', () => {
    const x = explainEdge(project, 'sock_send', 'proto_send');
    expect(x.edges).toHaveLength(1);
    const evidence = x.edges[0]!.evidence!;
    expect(evidence.map(where)).toEqual(['proto/stream.c:14', 'proto/stream.c:19', 'proto/dgram.c:4', 'compat/compat.c:4']);
    expect(evidence.map((e) => e.text)).toEqual([
      '.send = proto_send in struct msg_ops stream_ops',
      '.send = proto_send in struct msg_ops seqpacket_ops',
      '.send = proto_send in struct msg_ops dgram_ops',
      '.send = proto_send in struct msg_ops compat_ops',
    ]);
    const text = renderExplainText(x, { color: false });
    for (const e of evidence) expect(text).toContain(`bound at ${where(e)} ${e.text}`);
  });

  it('paths and trees show the first binding and how many more there are', () => {
    const paths = renderPathsText(project.findPaths({ start: 'sys_send', target: 'proto_send' }), { color: false });
    expect(paths).toContain('proto_send  core/sock.c:5  [ops-initializer: proto/stream.c:14 .send = proto_send in struct msg_ops stream_ops, +3 more bindings]');
    const tree = renderTreeText(project.tree('sock_send', 1, 'callees'), { color: false });
    expect(tree).toContain('[ops-initializer: proto/stream.c:14 .send = proto_send in struct msg_ops stream_ops, +3 more bindings]');
  });

  it('keeps each way a callback reaches the function that calls it', () => {
    const x = explainEdge(project, 'start', 'finish');
    expect(x.edges).toHaveLength(1);
    expect(x.edges[0]!.kind).toBe('callback-arg');
    expect(x.edges[0]!.evidence!.map((e) => e.text)).toEqual([
      'finish passed to run_done, which calls it (lib/done.c:11)',
      'finish passed to run_done, which passes it on to call_later, which calls it (lib/done.c:6)',
    ]);
  });

  it('makes one edge per call site of a function in several dispatch-table entries, each entry a binding', async () => {
    const tree = join(mkdtempSync(join(tmpdir(), 'pathfind-evidence-')), 'tree');
    cpSync(join(import.meta.dirname, '../../fixtures/minikernel'), tree, { recursive: true });
    appendFileSync(join(tree, 'arch/x86/entry/syscalls/syscall_64.tbl'), '439\tcommon\tgetpid_again\t\tsys_getpid\n');
    const x = explainEdge(await openTree({ root: tree, jobs: 1, cache: false }), 'do_syscall_x64', 'sys_getpid');
    expect(x.edges.map((e) => [e.kind, e.evidence!.map(where)])).toEqual([['dispatch-table', ['arch/x86/entry/syscalls/syscall_64.tbl:10', 'arch/x86/entry/syscalls/syscall_64.tbl:13']]]);
  });

  it('binds a registration that stores its parameter in two members, when reached through a wrapper', () => {
    for (const [caller, member, line] of [['fire_open', 'on_open', 13], ['fire_close', 'on_close', 14]] as const) {
      const x = explainEdge(project, caller, 'log_status');
      expect(x.edges.map((e) => e.kind)).toEqual(['param-to-field']);
      expect(x.edges[0]!.evidence!.map((e) => e.text)).toEqual([`log_status passed by hooks_init to register_hooks, stored in struct handlers.${member} by set_both (lib/handlers.c:${line})`]);
    }
  });
});

/**
 * Users' findings: an indirect-hint step showed only an assignment as its evidence
 * (`ip_output [indirect-hint: ... rt->dst.output = ip_output ...]`), so explain never said the
 * wrapper named the target; and with the wrapper's naming first, a step's evidence only repeated
 * its call site. The member's bindings of the target come first, then the wrapper's naming at the
 * call site (fixtures/minikernel: INDIRECT_CALL_INET in dst_output).
 */
describe('the evidence of an indirect-hint edge', () => {
  it('lists the bindings of the member, then the wrapper naming the target at the call site', async () => {
    const mini = await openTree({ root: join(import.meta.dirname, '../../fixtures/minikernel'), jobs: 1, cache: false });
    const [path] = mini.findPaths({ start: 'ip_local_out', target: 'ip_output' }).paths;
    const step = path!.edges.at(-1)!;
    expect(step.kind).toBe('indirect-hint');
    expect(step.evidence!.map((e) => `${where(e)} ${e.text}`)).toEqual([
      'net/ipv4/route.c:38 rt->dst.output = ip_output in rt_dst_alloc (struct dst_entry)',
      'include/net/dst.h:51 ip_output named as a likely target by the indirect-call wrapper',
    ]);
    // A hint the member binds nowhere has the naming alone, once.
    for (const p of mini.findPaths({ start: 'ip_local_out', target: 'ip_output', k: 3 }).paths)
      for (const e of p.edges.filter((x) => x.kind === 'indirect-hint')) expect(e.evidence!.filter((b) => b.text.endsWith('indirect-call wrapper'))).toHaveLength(1);
  });
});
