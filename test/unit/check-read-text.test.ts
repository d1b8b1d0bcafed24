import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentKind, readDocument } from '../../src/check/read-document.js';
import type { Claim } from '../../src/types/claims.js';

/**
 * The readers for hand-written documents: every claim of every fixture under fixtures/docs,
 * with the exact line and column of each name, written out by hand from the documents.
 */
const docs = join(import.meta.dirname, '../../fixtures/docs');

/** One claim as `form from@line:col -> to@line:col [gap] [site=file:line] [unsure]`. */
function show(c: Claim): string {
  const at = (n: Claim['from']) => `${n.name}@${n.line}:${n.column}`;
  return `${c.form} ${at(c.from)} -> ${at(c.to)}${c.gap ? ' gap' : ''}${c.to.site ? ` site=${c.to.site.file}:${c.to.site.line}` : ''}${c.unsure ? ' unsure' : ''}`;
}

function read(file: string): string[] {
  return readDocument(`fixtures/docs/${file}`, readFileSync(join(docs, file), 'utf8')).map(show);
}

function readText(doc: string, text: string): string[] {
  return readDocument(doc, text).map(show);
}

describe('readDocument on the fixture documents', () => {
  it('arrows.md', () => {
    expect(read('arrows.md')).toEqual([
      'arrows ksys_write@6:1 -> vfs_write@6:15',
      'arrows vfs_write@6:15 -> new_sync_write@6:28',
      'arrows sock_write_iter@7:1 -> __sock_sendmsg@7:23',
      'arrows __sock_sendmsg@7:23 -> sock_sendmsg_nosec@7:44',
      'arrows inet_sendmsg@8:1 -> tcp_sendmsg@8:16',
      'arrows tcp_sendmsg@9:1 -> tcp_sendmsg_locked@9:16',
      'arrows tcp_push@15:1 -> __tcp_push_pending_frames@15:13',
      'arrows __tcp_push_pending_frames@15:13 -> tcp_write_xmit@16:5',
      'arrows tcp_write_xmit@16:5 -> ip_queue_xmit@16:30 gap',
      'arrows dev_queue_xmit@17:1 -> __dev_queue_xmit@18:6',
      'arrows __dev_queue_xmit@18:6 -> xmit_one@20:6 gap',
      'arrows sys_write@23:25 -> ksys_write@23:38',
    ]);
  });

  it('broken.md', () => {
    expect(read('broken.md')).toEqual([
      'arrows sock_write_iter@4:1 -> sock_sendmsg@4:22',
      'arrows sock_sendmsg@4:22 -> sock_sendmsg_nosec@4:40',
      'arrows tcp_connect@5:1 -> __tcp_transmit_skb@5:16',
      'tree vfs_write@9:1 -> do_sync_write@10:5 site=fs/read_write.c:400',
      'arrows ip_rcv_finish@16:1 -> dst_input@16:20 site=net/ipv4/ip_input.c:50',
    ]);
  });

  it('cflow-gnu.txt', () => {
    expect(read('cflow-gnu.txt')).toEqual([
      'cflow __sys_connect@3:1 -> __sys_connect_file@4:5',
      'cflow __sys_connect@3:1 -> fdget@6:5',
      'cflow __sys_connect_file@4:5 -> inet_stream_connect@5:9',
    ]);
  });

  it('cflow-posix.txt', () => {
    expect(read('cflow-posix.txt')).toEqual([
      'cflow ip_rcv@3:3 -> ip_rcv_finish@4:7',
      'cflow ip_rcv@3:3 -> kfree_skb@6:7',
      'cflow ip_rcv_finish@4:7 -> dst_input@5:11',
    ]);
  });

  it('fenced.md', () => {
    expect(read('fenced.md')).toEqual([
      'arrows kernel_sendmsg@4:1 -> inet_sendmsg@4:19',
      'arrows inet_sendmsg@4:19 -> tcp_sendmsg@4:35',
      'tree dev_ethtool@5:1 -> igb_get_link@6:3',
    ]);
  });

  it('ignore.rst', () => {
    expect(read('ignore.rst')).toEqual([
      'arrows sys_write@12:4 -> ksys_write@12:19',
    ]);
  });

  it('literal.rst', () => {
    expect(read('literal.rst')).toEqual([
      'arrows net_rx_action@7:5 -> __napi_poll@8:10',
      'arrows __napi_poll@8:10 -> igb_poll@9:10',
      'tree ip_local_deliver@15:4 -> ip_local_deliver_finish@16:8',
      'tree ip_local_deliver_finish@16:8 -> ip_protocol_deliver_rcu@17:12',
      'tree ip_protocol_deliver_rcu@17:12 -> tcp_v4_rcv@18:16',
      'arrows napi_gro_receive@20:22 -> napi_skb_finish@20:44',
    ]);
  });

  it('mail.txt', () => {
    expect(read('mail.txt')).toEqual([
      'arrows __sys_connect@4:5 -> __sys_connect_file@4:22',
      'arrows __sys_connect_file@4:22 -> inet_stream_connect@4:44',
      'arrows inet_stream_connect@4:44 -> __inet_stream_connect@5:7',
      'arrows __inet_stream_connect@5:7 -> tcp_v4_connect@5:32',
      'arrows ip_rcv@11:5 -> ip_rcv_finish@11:17',
      'arrows ip_rcv_finish@11:17 -> dst_input@11:36 site=net/ipv4/ip_input.c:61',
      'arrows ip_local_deliver@12:4 -> ip_local_deliver_finish@12:24',
    ]);
  });

  it('pathfind-output.md', () => {
    expect(read('pathfind-output.md')).toEqual([
      'pathfind ksys_write@5:1 -> vfs_write@6:4 site=fs/read_write.c:87',
      'pathfind vfs_write@6:4 -> new_sync_write@7:6 site=fs/read_write.c:69',
      'pathfind new_sync_write@7:6 -> call_write_iter@8:8 site=fs/read_write.c:54',
      'pathfind call_write_iter@8:8 -> sock_write_iter@9:10 site=include/linux/fs.h:89',
      'pathfind release_sock@15:1 -> spin_lock@16:4 site=net/core/sock.c:23',
      'pathfind release_sock@15:1 -> waitqueue_active@17:4 site=net/core/sock.c:25',
      'pathfind release_sock@15:1 -> wake_up@19:4 site=net/core/sock.c:26',
      'pathfind waitqueue_active@17:4 -> list_empty@18:7 site=include/linux/wait.h:39',
      'pathfind wake_up@19:4 -> __wake_up@20:7 site=include/linux/wait.h:28',
      'pathfind tcp_sendmsg_locked@28:4 -> tcp_push@27:1 site=net/ipv4/tcp.c:56',
      'pathfind tcp_sendmsg@29:7 -> tcp_sendmsg_locked@28:4 site=net/ipv4/tcp.c:65',
    ]);
  });

  it('prose.md', () => {
    // Bare words in a code span: checked only if the tree defines them.
    expect(read('prose.md')).toEqual(['arrows a@23:49 -> b@23:54 unsure']);
  });

  it('tree.md', () => {
    expect(read('tree.md')).toEqual([
      'tree __sys_socket@4:1 -> sock_create@5:5',
      'tree sock_create@5:5 -> __sock_create@6:9',
      'tree __sock_create@6:9 -> inet_create@7:13 site=net/socket.c:129',
      'tree net_rx_action@11:1 -> __napi_poll@12:4',
      'tree net_rx_action@11:1 -> napi_gro_receive@14:4',
      'tree __napi_poll@12:4 -> igb_poll@13:7',
      'tree ip_rcv@18:1 -> ip_rcv_finish@19:5',
      'tree ip_rcv@18:1 -> ip_forward@21:5',
      'tree ip_rcv_finish@19:5 -> dst_input@20:9',
      'tree ip_forward@21:5 -> ip_forward_finish@22:12',
      'tree dev_queue_xmit@26:1 -> __dev_queue_xmit@27:5',
      'tree __dev_queue_xmit@27:5 -> dev_hard_start_xmit@28:9',
      'tree dev_hard_start_xmit@28:9 -> xmit_one@29:11',
    ]);
  });
  it('never puts a site on the name a step starts from, and copies the document path into each claim', () => {
    const claims = readDocument('x/pathfind-output.md', readFileSync(join(docs, 'pathfind-output.md'), 'utf8'));
    expect(claims.every((c) => c.from.site === undefined && c.doc === 'x/pathfind-output.md')).toBe(true);
  });
});

describe('readDocument line rules', () => {
  it('picks the reader by extension', () => {
    expect([documentKind('a/B.MD'), documentKind('x.markdown'), documentKind('i.rst'), documentKind('mail'), documentKind('n.txt')]).toEqual(['markdown', 'markdown', 'rst', 'text', 'text']);
  });

  it('reads C member access and calls with arguments as no chain', () => {
    expect(readText('a.txt', 'skb->dev->netdev_ops\nsk->sk_prot->sendmsg(sk, msg)\np = q->next;\n')).toEqual([]);
  });

  it('reads `->` with no space after it as member access or a method (`->get_link()`), and no chain of keywords', () => {
    expect(readText('a.md', 'It walks ``lruvec_memcg()->mm_list`` and `get_ops()->run_it()`.\n')).toEqual([]);
    expect(readText('a.txt', 'do_one()->do_two()\nif -> else\nreturn -> tcp_push()\ndo_one() ->do_two()\nin ->get_link().\ndo_one() -> do_two()\n')).toEqual(['arrows do_one@6:1 -> do_two@6:13']);
  });

  it('reads lines that all start with an arrow as an ftrace stack, leaf first, not as a chain', () => {
    expect(readText('s.txt', ' => tcp_write_xmit\n => tcp_push\n => tcp_sendmsg\n')).toEqual(['stack tcp_push@2:5 -> tcp_write_xmit@1:5', 'stack tcp_sendmsg@3:5 -> tcp_push@2:5']);
  });

  it('keeps columns exact under nested mail quoting, tabs and CRLF endings', () => {
    expect(readText('m.txt', 'intro\r\n> > \ttcp_push -> tcp_write_xmit\r\n')).toEqual(['arrows tcp_push@2:6 -> tcp_write_xmit@2:18']);
  });

  it('continues a chain onto a line without an arrow after a line ending in one', () => {
    expect(readText('m.txt', 'ksys_write -> vfs_write ->\n  new_sync_write\n')).toEqual([
      'arrows ksys_write@1:1 -> vfs_write@1:15',
      'arrows vfs_write@1:15 -> new_sync_write@2:3',
    ]);
  });

  it('marks a gap written without arrows, and ignores a leading or trailing gap', () => {
    expect(readText('m.txt', '... -> tcp_push() ... tcp_write_xmit() -> ...\n')).toEqual(['arrows tcp_push@1:8 -> tcp_write_xmit@1:23 gap']);
  });

  it('reads no chain from an inline code span that holds more than a chain, and bare words as an unsure one', () => {
    expect(readText('p.md', 'See `x = tcp_push() -> y` and `a -> b` and `tcp_push() ->` here.\n')).toEqual(['arrows a@1:32 -> b@1:37 unsure']);
  });

  it('reads trees without () only when every name has an underscore, and never of names in capitals', () => {
    expect(readText('t.txt', 'net\n  ipv4\n\nCONFIG_NET\n  CONFIG_INET\n\ntcp_push\n  tcp_write_xmit\n')).toEqual(['tree tcp_push@7:1 -> tcp_write_xmit@8:3']);
  });

  it('reads no tree from a definition list: a bare word over an indented function', () => {
    expect(readText('t.txt', '   Queuing\n      dpaa2_io_service_pull_fq()\n\n   Setup()\n      do_setup_now()\n')).toEqual(['tree Setup@4:4 -> do_setup_now@5:7']);
  });

  it('reads no hand-drawn tree from a paragraph of pseudocode, but keeps cflow and pathfind trees beside other lines', () => {
    expect(readText('p.txt', '    state = RUNNING\n     take_lock()\n       block_task()\n         task->saved = x\n')).toEqual([]);
    expect(readText('p.txt', '$ cflow x.c\nrun_all() <void run_all (void) at x.c:3>:\n    do_one()\n')).toEqual(['cflow run_all@2:1 -> do_one@3:5']);
  });

  it('skips only the next block after an ignore comment, across a blank line', () => {
    const md = '<!-- pathfind: ignore -->\n\n```\nold_fn() -> gone_fn()\n```\n\n```\nnew_fn() -> kept_fn()\n```\n';
    expect(readText('i.md', md)).toEqual(['arrows new_fn@8:1 -> kept_fn@8:13']);
    const rst = '.. pathfind: ignore\n\n.. code-block:: none\n\n   old_fn() -> gone_fn()\n\n.. code-block:: pathfind\n\n   main\n     run\n';
    expect(readText('i.rst', rst)).toEqual(['tree main@9:4 -> run@10:6']);
  });

  it('reads a cflow tree after a `cflow -r` command line upwards, and one after a plain cflow command downwards', () => {
    const text = '$ cflow -r x.c\nleaf_fn() <void leaf_fn (void) at x.c:3>:\n    mid_fn() <void mid_fn (void) at x.c:9>:\n$ cflow x.c\nmid_fn() <void mid_fn (void) at x.c:9>:\n    leaf_fn()\n';
    expect(readText('c.txt', text)).toEqual(['cflow mid_fn@3:5 -> leaf_fn@2:1', 'cflow mid_fn@5:1 -> leaf_fn@6:5']);
  });

  // A user's finding: a saved `cflow -r` output without its command line was read downwards.
  it('reads a cflow tree whose parent is a function cflow saw no definition of as `cflow -r` output, upwards', () => {
    const text = 'INIT_LIST_HEAD():\n    pipe_new() <struct pipe *pipe_new (void) at fs/pipe.c:5>:\npipe_wake_readers() <void pipe_wake_readers (void) at fs/pipe.c:13>:\n    pipe_write() <ssize_t pipe_write (void) at fs/pipe.c:18>\n';
    expect(readText('r.txt', text)).toEqual(['cflow pipe_new@2:5 -> INIT_LIST_HEAD@1:1', 'cflow pipe_write@4:5 -> pipe_wake_readers@3:1']);
    // After a plain cflow command line, as written.
    expect(readText('r.txt', `$ cflow fs/pipe.c\n${text}`)).toEqual(['cflow INIT_LIST_HEAD@2:1 -> pipe_new@3:5', 'cflow pipe_wake_readers@4:1 -> pipe_write@5:5']);
  });

  // A user's finding: a path printed right after a callers tree was read upwards too (36 false errors).
  it("starts a new tree at each root line of pathfind's output, so a path after a callers tree with no blank line reads downwards", () => {
    const text = ['__wake_up  defined at kernel/sched/wait.c:156  called by:', '└─ wake_up_pipe  fs/pipe.c:40', 'ksys_write  defined at fs/read_write.c:626', '└─ vfs_write  fs/read_write.c:637', '  └─ new_sync_write  fs/read_write.c:584', ''].join('\n');
    expect(readText('t.txt', text)).toEqual([
      'pathfind wake_up_pipe@2:4 -> __wake_up@1:1 site=fs/pipe.c:40',
      'pathfind ksys_write@3:1 -> vfs_write@4:4 site=fs/read_write.c:637',
      'pathfind vfs_write@4:4 -> new_sync_write@5:6 site=fs/read_write.c:584',
    ]);
  });

  it('measures tree depth in display columns, a tab to the next multiple of 8', () => {
    expect(readText('t.txt', 'top_fn()\n\tmid_fn()\n        other_fn()\n\t    deep_fn()\n')).toEqual([
      'tree top_fn@1:1 -> mid_fn@2:2',
      'tree top_fn@1:1 -> other_fn@3:9',
      'tree other_fn@3:9 -> deep_fn@4:6',
    ]);
  });

  it('reads a media pipeline of bare words as an unsure chain (checked only when the tree defines its names), and no tree from `name():` over a description', () => {
    expect(readText('m.txt', 'sensor -> ipuX_csiY_mux -> ...\n\ndeinit():\n\tcleanup\nstart():\n\tbegin_io\n')).toEqual(['arrows sensor@1:1 -> ipuX_csiY_mux@1:11 unsure']);
    // A kernel chain of names without `_` or `()` is read so too.
    expect(readText('s.md', 'Scheduler: `schedule -> pick_next_task_fair -> put_prev_task_fair`\n')).toEqual(['arrows schedule@1:13 -> pick_next_task_fair@1:25 unsure', 'arrows pick_next_task_fair@1:25 -> put_prev_task_fair@1:48 unsure']);
    // rST: an inline literal is read so, interpreted text (single backticks, a role's argument) is not.
    expect(readText('s.rst', 'See ``schedule -> pick_next_task_fair`` and :menuselection:`Configuration-->Preferences-->Compose`.\n')).toEqual(['arrows schedule@1:7 -> pick_next_task_fair@1:19 unsure']);
    expect(readText('s.txt', 'schedule -> pick_next_task_fair -> put_prev_task_fair\n')).toEqual(['arrows schedule@1:1 -> pick_next_task_fair@1:13 unsure', 'arrows pick_next_task_fair@1:13 -> put_prev_task_fair@1:36 unsure']);
  });

  it('ends a chain written as a sentence at its full stop or comma', () => {
    expect(readText('m.txt', '  first_fn() -> second_fn() ->\n  third_fn().\n  fourth_fn() -> fifth_fn(),\n')).toEqual([
      'arrows first_fn@1:3 -> second_fn@1:17',
      'arrows second_fn@1:17 -> third_fn@2:3',
      'arrows fourth_fn@3:3 -> fifth_fn@3:18',
    ]);
  });

  it('reads GNU cflow --tree output, whose last child is drawn with `\\-`', () => {
    const text = '+-run_all() <void run_all (void) at x.c:3>:\n  +-do_one() <void do_one (void) at x.c:9>:\n  | \\-leaf_fn()\n  \\-do_two()\n';
    expect(readText('c.txt', text)).toEqual(['cflow run_all@1:3 -> do_one@2:5', 'cflow run_all@1:3 -> do_two@4:5', 'cflow do_one@2:5 -> leaf_fn@3:7']);
  });

  it('reads anything in a ```pathfind block, capitals and bare words included', () => {
    expect(readText('f.md', '```pathfind\nschedule -> SCHED_OP\nmain\n  run\n```\n')).toEqual([
      'arrows schedule@2:1 -> SCHED_OP@2:13',
      'tree main@3:1 -> run@4:3',
    ]);
  });

  // A user's finding: `ksys_write <- do_syscall_64`, as the README writes stack steps, read as nothing.
  it('reads a chain written callee first with `<-` (or `←`) as the calls it names, caller to callee', () => {
    expect(readText('d.md', '```pathfind\nrelease_sock <- tcp_sendmsg <- vfs_write\n```\n')).toEqual(['arrows tcp_sendmsg@2:17 -> release_sock@2:1', 'arrows vfs_write@2:32 -> tcp_sendmsg@2:17']);
    expect(readText('d.md', '`ksys_write() ← do_syscall_64()`\n')).toEqual(['arrows do_syscall_64@1:17 -> ksys_write@1:2']);
    expect(readText('d.md', '```\na() <- ... <- c()\n```\n')).toEqual(['arrows c@2:15 -> a@2:1 gap']);
    // Both directions on one line, or `x <-1` (C), are no chain.
    expect(readText('d.md', '```pathfind\na <- b -> c\n```\n')).toEqual([]);
    expect(readText('d.md', '```\nif (x <-1) y();\n```\n')).toEqual([]);
  });

  it('reads names joined by a gap and no arrow as a chain in a ```pathfind block, where every line is a claim', () => {
    expect(readText('f.md', '```pathfind\nksys_write ... sock_sendmsg\nvfs_write [...] tcp_push\n```\n')).toEqual([
      'arrows ksys_write@2:1 -> sock_sendmsg@2:16 gap',
      'arrows vfs_write@3:1 -> tcp_push@3:17 gap',
    ]);
    // Outside such a block, words around an ellipsis are prose as often as code.
    expect(readText('f.md', '```\nksys_write ... sock_sendmsg\n```\n')).toEqual([]);
  });

  it('skips fenced blocks in a programming language, and reads no prose line outside code in Markdown', () => {
    expect(readText('f.md', 'tcp_push() -> tcp_write_xmit()\n\n```diff\n-tcp_push() -> tcp_write_xmit()\n```\n')).toEqual([]);
  });

  it('reads an indented Markdown code block after a blank line, not an indented list continuation line without one', () => {
    expect(readText('f.md', 'Text:\n\n    tcp_push() -> tcp_write_xmit()\n- item\n    tcp_push() -> tcp_write_xmit()\n')).toEqual(['arrows tcp_push@3:5 -> tcp_write_xmit@3:19']);
  });

  it('reads rST literal blocks only: not the body of other directives', () => {
    expect(readText('d.rst', '.. note::\n\n   tcp_push() -> tcp_write_xmit()\n\nText::\n\n   tcp_push() -> tcp_write_xmit()\n')).toEqual(['arrows tcp_push@7:4 -> tcp_write_xmit@7:18']);
  });

  it('takes a POSIX cflow depth from the spaces after the number, whatever its width', () => {
    const text = '8 parent_fn: int (void), <a.c 1>\n9     child_a: <>\n10     child_b: <>\n';
    expect(readText('c.txt', text)).toEqual(['cflow parent_fn@1:3 -> child_a@2:7', 'cflow parent_fn@1:3 -> child_b@3:8']);
  });
});
