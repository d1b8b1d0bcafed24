import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDotDiagram } from '../../src/check/read-dot.js';
import { readTraceBlock, readTraceFile } from '../../src/check/read-traces.js';
import type { Claim } from '../../src/types/claims.js';
import { UsageError } from '../../src/util/errors.js';

const docs = new URL('../../fixtures/docs/', import.meta.url).pathname;
const text = (name: string): string => readFileSync(docs + name, 'utf8');
const traces = (name: string): Claim[] => readTraceFile(name, text(name));
const diagram = (name: string): Claim[] => readDotDiagram(name, text(name));
/** Claims as `caller>callee` steps, in the reader's order. */
const steps = (claims: Claim[]): string[] => claims.map((c) => `${c.from.name}>${c.to.name}`);
/** The claim's callee and caller positions as `line:column`. */
const at = (c: Claim): string => `${c.from.line}:${c.from.column} ${c.to.line}:${c.to.column}`;

/** Every name of every claim stands at its line and column in the text (1-based), so reports point at it. */
function expectNamesInPlace(doc: string, claims: Claim[], offset = 0): void {
  const lines = doc.split(/\r\n|\r|\n/);
  for (const c of claims) {
    for (const n of [c.from, c.to]) {
      expect(lines[n.line - 1]!.slice(n.column - 1 - offset).startsWith(n.name), `${n.name} at ${n.line}:${n.column}`).toBe(true);
    }
  }
}

describe('leaf-first stacks in trace files', () => {
  it('ftrace stack traces: bottom-up, offsets, module tags and suffixes stripped, split pieces merged, user addresses break', () => {
    const claims = traces('ftrace-stack.txt');
    expect(steps(claims)).toEqual([
      'schedule_and_wake_txq>drv_wake_tx_queue',
      'ieee80211_queue_skb>schedule_and_wake_txq',
      'ieee80211_xmit_fast>ieee80211_queue_skb',
      '__ieee80211_subif_start_xmit>ieee80211_xmit_fast',
      'ieee80211_subif_start_xmit>__ieee80211_subif_start_xmit',
      '__dev_queue_xmit>dev_hard_start_xmit',
      'tcp_transmit_skb>__tcp_transmit_skb',
      'tcp_write_xmit>tcp_transmit_skb',
    ]);
    expect(at(claims[0]!)).toBe('9:5 8:5');
    // ieee80211_xmit_fast.isra.0.cold (line 11) and ieee80211_xmit_fast.isra.0 (line 12) are one frame: the upper one stays.
    expect(at(claims[2]!)).toBe('11:5 10:5');
    expect(claims.every((c) => c.form === 'stack' && c.mayInline === true && c.doc === 'ftrace-stack.txt')).toBe(true);
    expectNamesInPlace(text('ftrace-stack.txt'), claims);
  });

  it('oops Call Trace: timestamps and syslog prefixes, `?` entries skipped, <IRQ>/<TASK> break the chain, build ids', () => {
    const claims = traces('oops-call-trace.log');
    expect(steps(claims)).toEqual([
      'ip_protocol_deliver_rcu>tcp_v4_rcv',
      'ip_local_deliver_finish>ip_protocol_deliver_rcu',
      'ip_local_deliver>ip_local_deliver_finish',
      'ip_rcv>ip_local_deliver',
      '__netif_receive_skb_one_core>ip_rcv',
      '__netif_receive_skb>__netif_receive_skb_one_core',
      'napi_skb_finish>__netif_receive_skb',
      'napi_gro_receive>napi_skb_finish',
      'igb_clean_rx_irq>napi_gro_receive',
      'igb_poll>igb_clean_rx_irq',
      '__napi_poll>igb_poll',
      'net_rx_action>__napi_poll',
      'tcp_sendmsg>tcp_sendmsg_locked',
      'ksys_write>vfs_write',
    ]);
    // `? ip_local_deliver_finish` on line 10 is no frame: ip_rcv (line 11) calls ip_local_deliver (line 9).
    expect(at(claims[3]!)).toBe('11:17 9:17');
    expect(at(claims[13]!)).toBe('28:52 27:52');
    // The RIP function is called by the first frame of the trace (line 7), `? __warn` skipped; its name is placed on the RIP line (3).
    expect(at(claims[0]!)).toBe('7:17 3:26');
    // Nothing links the interrupted task to the interrupt.
    expect(steps(claims).filter((s) => /tcp_sendmsg_locked>net_rx_action|__warn/.test(s))).toEqual([]);
    expectNamesInPlace(text('oops-call-trace.log'), claims);
  });

  it('bpftrace kstack keys, with decimal offsets and kstack(perf) addresses', () => {
    const claims = traces('bpftrace-kstack.txt');
    expect(steps(claims)).toEqual([
      'tcp_transmit_skb>__tcp_transmit_skb',
      'tcp_write_xmit>tcp_transmit_skb',
      '__tcp_push_pending_frames>tcp_write_xmit',
      'tcp_push>__tcp_push_pending_frames',
      'tcp_sendmsg_locked>tcp_push',
      'tcp_sendmsg>tcp_sendmsg_locked',
      'inet_sendmsg>tcp_sendmsg',
      '__inet_stream_connect>tcp_v4_connect',
      'inet_stream_connect>__inet_stream_connect',
    ]);
    expect(at(claims[7]!)).toBe('16:26 15:26');
    expectNamesInPlace(text('bpftrace-kstack.txt'), claims);
  });

  it('perf script callchains: kernel and module frames chain, [unknown] and user-space frames break', () => {
    const claims = traces('perf-script.txt');
    expect(steps(claims)).toEqual([
      '__ip_finish_output>ip_finish_output2',
      'ip_finish_output>__ip_finish_output',
      'ip_output>ip_finish_output',
      'ip_local_out>ip_output',
      '__ip_queue_xmit>ip_local_out',
      '__tcp_transmit_skb>__ip_queue_xmit',
      '__tcp_push_pending_frames>tcp_write_xmit',
      'schedule_and_wake_txq>drv_wake_tx_queue',
      'ieee80211_queue_skb>schedule_and_wake_txq',
      'ieee80211_xmit_fast>ieee80211_queue_skb',
      '__ieee80211_subif_start_xmit>ieee80211_xmit_fast',
      'ieee80211_subif_start_xmit>__ieee80211_subif_start_xmit',
      'dev_hard_start_xmit>ieee80211_subif_start_xmit',
    ]);
    expectNamesInPlace(text('perf-script.txt'), claims);
  });

  it('the ftrace stack tracer file', () => {
    const claims = traces('stack-tracer.txt');
    expect(steps(claims)).toEqual(['dev_queue_xmit>__dev_queue_xmit', 'neigh_hh_output>dev_queue_xmit', 'ip_finish_output2>neigh_hh_output', '__ip_finish_output>ip_finish_output2']);
    expectNamesInPlace(text('stack-tracer.txt'), claims);
  });

  it('stale stacks read as written, for the verifier to reject', () => {
    expect(steps(traces('stale-stacks.txt'))).toEqual([
      'sock_sendmsg>sock_sendmsg_nosec',
      'sock_write_iter>sock_sendmsg',
      'new_sync_write>sock_write_iter',
      'tcp_connect>__tcp_transmit_skb',
      'tcp_v4_connect>tcp_connect',
      '__inet_stream_connect>tcp_v4_connect',
    ]);
  });

  it('every compiler suffix combination and offset form comes off the name', () => {
    const lines = [
      'Call Trace:',
      ' a_leaf.constprop.0.isra.0+0x1/0x2',
      ' b_mid.part.0.cold+0x10/0x20 [mod]',
      ' b_mid+0x5/0x9',
      ' c_top.llvm.1234567+0x3/0x4 [mod 00112233]',
      ' d_root.lto_priv.0+0x1/0x2',
    ];
    const claims = readTraceBlock('x.txt', { lines, line: 1 });
    expect(steps(claims)).toEqual(['b_mid>a_leaf', 'c_top>b_mid', 'd_root>c_top']);
    // The merged b_mid frame is the upper one, where the stack first shows it.
    expect(at(claims[0]!)).toBe('3:2 2:2');
  });

  it('positions follow the block: its first line and the prefix stripped from each line', () => {
    const quoted = ['> <stack trace>', '>  => tcp_write_xmit', '>  => __tcp_push_pending_frames+0x32/0x80'];
    const lines = quoted.map((l) => l.slice(2));
    const one = readTraceBlock('mail.txt', { lines, line: 40, column: 2 });
    expect(one.map(at)).toEqual(['42:7 41:7']);
    const perLine = readTraceBlock('mail.txt', { lines, line: 40, column: [2, 2, 6] });
    expect(perLine.map(at)).toEqual(['42:11 41:7']);
    expectNamesInPlace(quoted.join('\n'), readTraceBlock('mail.txt', { lines, line: 1, column: 2 }));
  });

  it('a stack taken in an interrupt or a system call: no step to or from an entry frame, and notes after frames are read past', () => {
    const lines = [
      '  timerlat/6-79756   [006] ....1..   426.271265: <stack trace>',
      ' => handler_leaf',
      ' => __hrtimer_entry',
      ' => asm_sysvec_apic_timer_interrupt',
      ' => spin_unlock_with_irqs  <---- interrupts came back on here',
      ' => wake_up_helper   # and here',
      '[  1.000000] Call Trace:',
      '[  1.000001]  do_page_fault_work+0x1/0x2',
      '[  1.000002]  el1h_64_sync+0x1/0x2',
      '[  1.000003]  copy_from_user_loop+0x1/0x2 // faulted',
      'Call Trace:',
      ' <TASK>',
      ' ksys_write+0x1/0x2',
      ' do_syscall_64+0x3b/0x90',
      ' entry_SYSCALL_64_after_hwframe+0x63/0xcd',
      ' </TASK>',
    ];
    const claims = readTraceBlock('irq.txt', { lines, line: 1 });
    // The entry frames' own steps are assembly's: no claim either way.
    expect(steps(claims)).toEqual(['__hrtimer_entry>handler_leaf', 'wake_up_helper>spin_unlock_with_irqs', 'do_syscall_64>ksys_write']);
  });

  // A user's finding: a real x86 oops prints the registers between the interrupt's frames and the
  // interrupted task's, and everything after them was dropped; the idle task's boot entry was an unknown name.
  it('a register dump breaks the chain and the frames after it are read, the first calling its RIP function; the boot entry claims nothing', () => {
    const lines = [
      '[  100.000000] Call Trace:',
      '[  100.000001]  <IRQ>',
      '[  100.000002]  __wake_up_common+0x7a/0x140',
      '[  100.000003]  __wake_up_common_lock+0x7c/0xc0',
      '[  100.000004]  </IRQ>',
      '[  100.000005]  <TASK>',
      '[  100.000006] RIP: 0010:default_idle+0xb/0x10',
      '[  100.000007] Code: 00 00 00 eb 07 0f 00 2d 42 8a 4c 00 fb f4 <c3> cc cc cc cc 66 66 2e 0f 1f 84 00',
      '[  100.000008] RSP: 0018:ffffb6c2000c7ef8 EFLAGS: 00000206',
      '[  100.000009] RAX: ffffffff9a3c0e70 RBX: 0000000000000003 RCX: 0000000000000001',
      '[  100.000010] R13: 0000000000000000 R14: 0000000000000000 R15: 0000000000000000',
      '[  100.000011]  ? default_idle+0x5/0x10',
      '[  100.000012]  default_idle_call+0x33/0xe0',
      '[  100.000013]  do_idle+0x1f6/0x270',
      '[  100.000014]  cpu_startup_entry+0x19/0x20',
      '[  100.000015]  start_secondary+0x116/0x140',
      '[  100.000016]  secondary_startup_64_no_verify+0xe5/0xeb',
      '[  100.000017]  </TASK>',
    ];
    expect(steps(readTraceBlock('oops.txt', { lines, line: 1 }))).toEqual([
      '__wake_up_common_lock>__wake_up_common',
      'default_idle_call>default_idle',
      'do_idle>default_idle_call',
      'cpu_startup_entry>do_idle',
      'start_secondary>cpu_startup_entry',
    ]);
  });

  it("the RIP function of an oops is called by the trace's first frame, markers and `?` entries between; a user-space RIP or another stack's claims nothing", () => {
    const oops = (rip: string, first = ' e1000_clean+0x1/0x2') => ['BUG: kernel NULL pointer dereference', rip, 'Code: 48 89 e5', 'RSP: 0018:ffffb6c2000c7ef8 EFLAGS: 00000206', 'Call Trace:', ' <IRQ>', ' ? __die+0x1/0x2', first, ' __napi_poll+0x2b/0x1c0', ' </IRQ>'];
    expect(steps(readTraceBlock('o.txt', { lines: oops('RIP: 0010:tcp_sendmsg+0x28/0x40'), line: 1 }))).toEqual(['e1000_clean>tcp_sendmsg', '__napi_poll>e1000_clean']);
    expect(steps(readTraceBlock('o.txt', { lines: oops('RIP: 0010:tcp_sendmsg.cold+0x28/0x40 [tcp]'), line: 1 }))).toEqual(['e1000_clean>tcp_sendmsg', '__napi_poll>e1000_clean']);
    // A RIP in user space (a system call's registers) names no function.
    expect(steps(readTraceBlock('o.txt', { lines: oops('RIP: 0033:0x7f3a2b1c4d5e'), line: 1 }))).toEqual(['__napi_poll>e1000_clean']);
    // The RIP function is called by no entry stub, and an ftrace stack after it is another stack.
    expect(steps(readTraceBlock('o.txt', { lines: oops('RIP: 0010:tcp_sendmsg+0x28/0x40', ' asm_common_interrupt+0x1/0x2'), line: 1 }))).toEqual([]);
    expect(steps(readTraceBlock('o.txt', { lines: ['RIP: 0010:tcp_sendmsg+0x28/0x40', 'some text', ' => handler_leaf', ' => __hrtimer_entry'], line: 1 }))).toEqual(['__hrtimer_entry>handler_leaf']);
    // Only register lines may stand between a RIP line and its Call Trace: text between ends it.
    const apart = oops('RIP: 0010:tcp_sendmsg+0x28/0x40');
    apart.splice(4, 0, 'Later, another oops:');
    expect(steps(readTraceBlock('o.txt', { lines: apart, line: 1 }))).toEqual(['__napi_poll>e1000_clean']);
  });

  it('an oops stack whose `Call Trace:` line was cut off: frames with offset and size start it', () => {
    const cut = ['[   12.345678]  tcp_sendmsg_locked+0x6c5/0xb90', '[   12.345679]  ? sk_stream_wait_memory+0x1a/0x330', '[   12.345680]  tcp_sendmsg+0x28/0x40', '[   12.345681]  inet_sendmsg+0x3c/0x70', 'sock_sendmsg+0x58/0x70', 'The socket was closed.'];
    const claims = readTraceBlock('report.md', { lines: cut, line: 1 });
    expect(steps(claims)).toEqual(['tcp_sendmsg>tcp_sendmsg_locked', 'inet_sendmsg>tcp_sendmsg', 'sock_sendmsg>inet_sendmsg']);
    expectNamesInPlace(cut.join('\n'), claims);
    // One frame alone is no stack; an unreliable `?` entry or a name without offset and size starts none.
    expect(readTraceBlock('one.md', { lines: ['see tcp_sendmsg+0x28/0x40 below', 'tcp_sendmsg+0x28/0x40'], line: 1 })).toEqual([]);
    expect(readTraceBlock('q.md', { lines: [' ? tcp_sendmsg+0x28/0x40', 'tcp_push', 'tcp_write_xmit'], line: 1 })).toEqual([]);
  });

  it('CRLF line ends read the same', () => {
    const lf = text('oops-call-trace.log');
    expect(readTraceFile('a.log', lf.replace(/\n/g, '\r\n'))).toEqual(readTraceFile('a.log', lf));
  });

  it('prose and wrapped arrow chains are no stacks', () => {
    const prose = [
      'The Call Trace: section of an oops lists callers below callees.',
      'When the dump says Call Trace:',
      'it is followed by frames such as foo+0x1/0x2, but this line is prose.',
      'A => B is how some people write a call, and',
      '=> starting a line in prose is rare',
      'tcp_sendmsg',
      '  => tcp_push',
      '  => tcp_write_xmit',
      'a => tcp_push()',
      '  => tcp_write_xmit',
      '  => __tcp_push_pending_frames',
      '@ mentions [the list] in prose',
      '    not_a_frame',
    ];
    expect(readTraceBlock('prose.md', { lines: prose, line: 1 })).toEqual([]);
  });
});

describe('ftrace function_graph', () => {
  const claims = traces('function-graph.txt');

  it('rebuilds nesting per CPU from braces, leaves call the innermost open function', () => {
    expect(steps(claims)).toEqual([
      'ksys_write>vfs_write',
      'vfs_write>new_sync_write',
      'new_sync_write>sock_write_iter',
      'sock_write_iter>__sock_sendmsg',
      '__sock_sendmsg>sock_sendmsg_nosec',
      'net_rx_action>__napi_poll',
      '__sys_connect>__sys_connect_file',
      '__sys_connect_file>inet_stream_connect',
      'ip_queue_xmit>__ip_queue_xmit',
    ]);
    expect(at(claims[7]!)).toBe('19:24 22:26');
    expect(at(claims[8]!)).toBe('33:55 34:57');
    expect(claims.every((c) => c.form === 'function-graph' && c.mayInline === true)).toBe(true);
    expectNamesInPlace(text('function-graph.txt'), claims);
  });

  it('an interrupt handler is called by no function of the interrupted task', () => {
    expect(steps(claims).filter((s) => s.endsWith('>net_rx_action'))).toEqual([]);
  });

  it('a task switch resets its CPU, and a blank line ends the excerpt', () => {
    // Without the resets, __sys_connect (still open on CPU 0) would call tcp_v4_connect, and vfs_write ip_output.
    expect(steps(claims).filter((s) => s.endsWith('>tcp_v4_connect') || s.endsWith('>ip_output'))).toEqual([]);
  });

  it('indentation cross-checks the braces: an open call whose closing line was cut calls nothing after it', () => {
    const lines = [
      ' 0)               |  a_outer() {',
      ' 0)               |    b_cut() {',
      ' 0)   0.1 us      |      c_inner();',
      ' 0)   0.1 us      |    d_next();',
      ' 0)   2.0 us      |  }',
    ];
    expect(steps(readTraceBlock('g.txt', { lines, line: 1 }))).toEqual(['a_outer>b_cut', 'b_cut>c_inner', 'a_outer>d_next']);
  });

  it('the closing brace that names its function still closes one call', () => {
    const lines = [' 0)               |  a_outer() {', ' 0)               |    b_mid() {', ' 0)   1.0 us      |    } /* b_mid */', ' 0)   0.1 us      |    c_leaf();', ' 0)   2.0 us      |  }'];
    expect(steps(readTraceBlock('g.txt', { lines, line: 1 }))).toEqual(['a_outer>b_mid', 'a_outer>c_leaf']);
  });
});

describe('Graphviz diagrams', () => {
  it('cflow2dot output: every edge, at the line and column it is written', () => {
    const claims = diagram('cflow2dot.dot');
    expect(steps(claims)).toEqual([
      '__sys_connect>__sys_connect_file',
      '__sys_connect_file>inet_stream_connect',
      'inet_stream_connect>__inet_stream_connect',
      '__inet_stream_connect>tcp_v4_connect',
      'tcp_v4_connect>tcp_connect',
    ]);
    expect(at(claims[0]!)).toBe('6:1 6:16');
    expect(claims.every((c) => c.form === 'dot' && c.mayInline === undefined)).toBe(true);
    expectNamesInPlace(text('cflow2dot.dot'), claims);
  });

  it('pycflow2dot labels: the location after the name, and `()`, come off', () => {
    const claims = diagram('pycflow2dot.dot');
    expect(steps(claims)).toEqual(['ksys_write>vfs_write', 'vfs_write>new_sync_write', 'new_sync_write>call_write_iter', 'call_write_iter>sock_write_iter']);
    expectNamesInPlace(text('pycflow2dot.dot'), claims);
  });

  it('keywords, quoted ids, labels, ports, groups, comments and repeated edges', () => {
    const claims = diagram('keywords.dot');
    expect(steps(claims)).toEqual([
      'net_rx_action>__napi_poll',
      '__napi_poll>igb_poll',
      'igb_poll>igb_clean_rx_irq',
      'igb_poll>napi_complete_done',
      'igb_clean_rx_irq>napi_gro_receive',
      'napi_gro_receive>napi_skb_finish',
      'ip_rcv>ip_rcv_finish',
      'ip_rcv_finish>dst_input',
    ]);
    // Labelled nodes sit where the edge writes their ids: `n1 -> "n2"` on line 9 (a quoted id's column is inside its quotes).
    expect(claims.map(at)).toEqual(['9:3 9:10', '12:6 12:15', '12:15 12:32', '14:3 14:36', '15:3 15:23', '15:23 15:43', '17:3 17:13', '17:13 17:43']);
  });

  it('an undirected edge reads as written, and every graph of a file is read', () => {
    const claims = readDotDiagram('u.gv', 'graph { b_caller -- a_callee }\ndigraph { "c_x" -> d_y }\n');
    expect(steps(claims)).toEqual(['b_caller>a_callee', 'c_x>d_y']);
    expect(claims.map(at)).toEqual(['1:9 1:21', '2:12 2:20']);
  });

  it('separators graphlib-dot lacks but Graphviz takes: commas between statements, semicolons between attributes', () => {
    const text = 'digraph {\n  edge [style=dashed;dir=back];\n  a_top -> {b_left, "c_right"};\n}\n';
    const claims = readDotDiagram('s.dot', text);
    expect(steps(claims)).toEqual(['a_top>b_left', 'a_top>c_right']);
    expect(claims.map(at)).toEqual(['3:3 3:13', '3:3 3:22']);
  });

  it('text that is no DOT is a one-line input error at its position', () => {
    expect(() => diagram('broken.dot')).toThrow(UsageError);
    expect(() => diagram('broken.dot')).toThrow(/^broken\.dot:3:16: not a DOT graph: [^\n]+$/);
  });

  it('a stale diagram reads as written', () => {
    expect(steps(diagram('stale.dot'))).toEqual(['sock_write_iter>sock_sendmsg', 'sock_sendmsg>sock_sendmsg_nosec', 'tcp_connect>__tcp_transmit_skb']);
  });
});
