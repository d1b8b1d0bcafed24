// Benchmarks pathfind against cscope and GNU Global on one tree, all measured in the same run,
// and checks issue 13's targets: cold index, warm queries, and one-file edits of every kind.
// Usage: node bench/run.mjs [TREE] (default: the tree printed by scripts/fetch-linux.sh).
// The tree is never written: edits go to a hard-linked copy (each edited file is replaced, not
// written through its link). Writes bench/results.md and prints the same text.
// node bench/run.mjs --edits-only [--warm] [--trace] [--cpu-prof DIR] [--cache DIR] [--work-in DIR] [TREE]: only the one-file edits
// (after one warm query), each with its wall and CPU time, printed and not written; the index is a
// copy of --cache DIR (a cache of the same tree's files, same CACHE_FORMAT) when given, else made
// cold. --warm: the full run's warm queries first (each once, then five rounds), as the full run
// makes them before its edits. Peers not run. --work-in: where the copy of the tree and the caches go (default: beside
// the tree; it must be on the tree's file system, for the hard links). --cpu-prof DIR: each pathfind process runs under
// node --cpu-prof, its profiles (main thread and workers) in DIR/NN (00 the first query, then one folder per edit run: the rows in
// order, round after round); the profiler's cost is in the times printed. NODE_OPTIONS may not hold --cpu-prof, and bin/pathfind.js starts node itself.
// PATHFIND_BENCH_ROWS=11,12 (with --edits-only): only those edit rows (numbered from 1 as printed; an edit and its undoing row go together), their --cpu-prof folders then 01, 02, ...
// PATHFIND_BENCH_EDIT_ROUNDS=N: the edit sequence made N times (3 unless set), each row the median of its N runs with the fastest and slowest (an edit the patch refuses, marked `once`, in the first round only).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { cpus as cpuList, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { discoverFiles } from '../dist/index/discover-files.js';
import { detectProfile } from '../dist/profiles/index.js';
import { LAUNCHER_TUNABLES } from '../dist/cli/young-generation.js';

const here = new URL('.', import.meta.url).pathname;
// PATHFIND_BENCH_BIN: another build's bin/pathfind.js (to set two builds side by side).
const bin = process.env.PATHFIND_BENCH_BIN ?? join(here, '../bin/pathfind.js');
const argv = process.argv.slice(2);
const editsOnly = argv.includes('--edits-only');
const warmFirst = argv.includes('--warm');
// --trace: each edit row's --verbose lines on stderr.
const trace = argv.includes('--trace');
/** The value of option `name` (which takes one), or undefined. */
const valueOf = (name) => {
  const at = argv.indexOf(name);
  if (at >= 0 && !argv[at + 1]) throw new Error(`${name} needs a folder`);
  return at >= 0 ? argv[at + 1] : undefined;
};
const seed = valueOf('--cache');
const workIn = valueOf('--work-in');
const cpuProf = valueOf('--cpu-prof');
const valued = ['--cache', '--work-in', '--cpu-prof'];
const positional = argv.filter((a, i) => a !== '--edits-only' && a !== '--warm' && a !== '--trace' && !valued.includes(a) && !valued.includes(argv[i - 1]));
const source = positional[0] ?? execFileSync('bash', [join(here, '../scripts/fetch-linux.sh')], { encoding: 'utf8' }).trim();
// Beside the tree, so that the hard links stay on one file system.
const work = mkdtempSync(join(workIn ?? dirname(source), 'pathfind-bench-'));
const tree = join(work, 'tree');
const cache = join(work, 'cache');
// The copy, the caches and the peers' databases go when the run ends, whether or not it fails.
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

/** Runs a command under GNU time: wall seconds, user+sys CPU seconds, peak RSS in MB, stdout and stderr. */
function timed(cmd, args, options = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  const lines = r.stderr.trimEnd().split('\n');
  const [wall, user, sys, kb] = (lines.pop() ?? '').split(' ').map(Number);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-500)}`);
  return { wall, cpu: user + sys, rssMB: kb / 1024, stdout: r.stdout, stderr: lines.join('\n') };
}

/** The median of runs (by wall time). */
const median = (runs) => [...runs].sort((a, b) => a.wall - b.wall)[Math.floor(runs.length / 2)];

const dirSize = (dir) => Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]) / 1e6;
const s = (x, digits = 2) => `${x.toFixed(digits)} s`;

execFileSync('cp', ['-al', source, tree]);

// Run as a user runs `pathfind`: the script itself, whose first line starts node (with glibc's malloc tuned: bin/pathfind.js).
let profiled = 0;
// With --cpu-prof, node is started here with the tunables bin/pathfind.js's first line sets (cli/young-generation.ts LAUNCHER_TUNABLES).
const pf = (...args) =>
  cpuProf
    ? timed(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${join(cpuProf, String(profiled++).padStart(2, '0'))}`, bin, '--cache', cache, '-C', tree, '-q', '-v', ...args], { env: { ...process.env, GLIBC_TUNABLES: [LAUNCHER_TUNABLES, process.env.GLIBC_TUNABLES].filter(Boolean).join(':') } })
    : timed(bin, ['--cache', cache, '-C', tree, '-q', '-v', ...args]);
const pathArgs = ['-s', 'ksys_write', '-t', 'drv_wake_tx_queue'];
// One-file edits of every kind, each followed by the path query. An edited file is replaced (unlink, write), never written through its hard link.
const original = new Map();
function put(path, text) {
  const at = join(tree, path);
  if (!original.has(path)) original.set(path, (() => { try { return readFileSync(at, 'latin1'); } catch { return null; } })());
  try { unlinkSync(at); } catch { /* a new file */ }
  if (text !== null) writeFileSync(at, text, 'latin1');
}
function edit(path, change) {
  const at = join(tree, path);
  const before = readFileSync(at, 'latin1');
  const after = change(before);
  if (after === before) throw new Error(`${path}: the bench edit changed nothing`);
  put(path, after);
}
const restore = (path) => put(path, original.get(path));
const insertAfter = (anchor, text) => (t) => {
  const at = t.indexOf(anchor);
  if (at < 0) throw new Error(`bench edit: ${JSON.stringify(anchor)} not found`);
  return t.slice(0, at + anchor.length) + text + t.slice(at + anchor.length);
};
const edits = [
  ['a call added in a function body', () => edit('net/socket.c', insertAfter('int __sys_sendto(int fd, void __user *buff, size_t len, unsigned int flags,\n\t\t struct sockaddr __user *addr,  int addr_len)\n{\n', '\tmight_sleep();\n'))],
  ['the body edit undone', () => restore('net/socket.c')],
  // A store into a local whose type the parser cannot tell (u32), which nothing that binds reads (cache/dead-stores.ts).
  ['a local assignment added in a function body (e1000e: e1000_tso)', () => edit('drivers/net/ethernet/intel/e1000e/netdev.c', insertAfter('\tmss = skb_shinfo(skb)->gso_size;\n', '\tcmd_length = E1000_TXD_CMD_TCP;\n'))],
  ['the local assignment removed', () => restore('drivers/net/ethernet/intel/e1000e/netdev.c')],
  // A function as kernel code writes one: locals stored into (\`cwnd = tcp_snd_cwnd(tp);\`, read by nothing that binds: cache/dead-stores.ts), calls by name, an EXPORT_SYMBOL_GPL line.
  // kfree's parameter is followed (what it is passed is stored in a member): a local filled by kmalloc holds no function.
  ['a function added', () => edit('net/ipv4/tcp_cong.c', (t) => t + '\nu32 pathfind_bench_added(struct sock *sk, u32 acked)\n{\n\tstruct tcp_sock *tp = tcp_sk(sk);\n\tu32 cwnd;\n\tvoid *scratch;\n\n\tscratch = kmalloc(64, GFP_ATOMIC);\n\tcwnd = tcp_snd_cwnd(tp);\n\tif (tcp_in_slow_start(tp))\n\t\tacked = tcp_slow_start(tp, acked);\n\tcwnd = tcp_snd_cwnd(tp) + acked;\n\ttcp_cong_avoid_ai(tp, cwnd, acked);\n\tkfree(scratch);\n\treturn cwnd;\n}\nEXPORT_SYMBOL_GPL(pathfind_bench_added);\n')],
  ['a function removed', () => restore('net/ipv4/tcp_cong.c')],
  // A counter of the file's own that a body increments: left out of the plan when nothing else names it (cache/file-globals.ts keptFileVariables).
  ['a file-scope variable added (a counter tcp_reno_cong_avoid increments)', () => edit('net/ipv4/tcp_cong.c', (t) => t.replace('void tcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 acked)\n{\n', 'static unsigned int pathfind_bench_count;\n\nvoid tcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 acked)\n{\n\tpathfind_bench_count++;\n'))],
  ['the variable removed', () => restore('net/ipv4/tcp_cong.c')],
  // Functions put in another place keep their nodes and edges, renumbered (cache/function-pairs.ts): tcp_reno_cong_avoid, which tcp_reno's ops table and
  // other files' name, moves below tcp_reno_ssthresh and tcp_reno_undo_cwnd.
  ['functions put in another place (net/ipv4/tcp_cong.c)', () => edit('net/ipv4/tcp_cong.c', (t) => {
    const block = t.slice(t.indexOf('/* Slow start threshold is half the congestion window (min 2) */\n'), t.indexOf('EXPORT_SYMBOL_GPL(tcp_reno_undo_cwnd);\n') + 'EXPORT_SYMBOL_GPL(tcp_reno_undo_cwnd);\n'.length);
    const rest = t.replace(block, '');
    return rest.replace('/*\n * TCP Reno congestion control\n', `${block}\n/*\n * TCP Reno congestion control\n`);
  })],
  ['the functions put back', () => restore('net/ipv4/tcp_cong.c')],
  ['an ops initializer changed', () => edit('net/ipv4/af_inet.c', (t) => t.replace('\t.sendmsg\t   = inet_sendmsg,', '\t.sendmsg\t   = inet_recvmsg,'))],
  ['the initializer restored', () => restore('net/ipv4/af_inet.c')],
  ['a member assignment added', () => edit('net/ipv4/tcp.c', insertAfter('void tcp_init_sock(struct sock *sk)\n{\n', '\tsk->sk_data_ready = tcp_data_ready;\n'))],
  ['the assignment removed', () => restore('net/ipv4/tcp.c')],
  // An assignment into a member of a member whose root no binding had: placed from the steps the resolution noted (resolve/member-steps.ts).
  ['a member assignment two members deep added (ixgbe: adapter->service_task.func)', () => edit('drivers/net/ethernet/intel/ixgbe/ixgbe_main.c', insertAfter('\tINIT_WORK(&adapter->service_task, ixgbe_service_task);\n', '\tadapter->service_task.func = ixgbe_service_task;\n'))],
  ['the nested assignment removed', () => restore('drivers/net/ethernet/intel/ixgbe/ixgbe_main.c')],
  // A call through a member added: patched when another call site reached the member through a receiver of that type (add-member-sites.ts).
  ['a call through a pointer added in a function body', () => edit('net/ipv4/tcp.c', insertAfter('void tcp_init_sock(struct sock *sk)\n{\n', '\tsk->sk_prot->close(sk, 0);\n'))],
  ['the call through a pointer removed', () => restore('net/ipv4/tcp.c')],
  ['a call through a member given other arguments', () => edit('net/ipv4/tcp.c', (t) => t.replace('\t\tsk->sk_prot->disconnect(sk, 0);', '\t\tsk->sk_prot->disconnect(sk, 1);'))],
  ['the arguments restored', () => restore('net/ipv4/tcp.c')],
  // A function passed where it is called: list_sort calls its cmp (patch-callbacks.ts makes the caller's callback-arg edges again).
  ['a call passing a callback added (list_sort with its compare function)', () => edit('block/blk-mq-sched.c', insertAfter('\t\tlist_sort(NULL, &rq_list, sched_rq_cmp);\n', '\t\tlist_sort(NULL, &rq_list, sched_rq_cmp);\n'))],
  ['the call passing a callback removed', () => restore('block/blk-mq-sched.c')],
  // A function passed by name where it is stored into a member, through wrappers (resolve/patch-param-stores.ts): a new NAPI poll function registered
  // (netif_napi_add -> netif_napi_add_weight stores it in napi_struct.poll, which __napi_poll calls), and a new kernel thread function
  // (kthread_run -> kthread_create_on_node stores it in kthread_create_info.threadfn, which kthread() loads into a local and calls).
  ['a new NAPI poll function registered (netif_napi_add in e1000e\'s probe)', () => edit('drivers/net/ethernet/intel/e1000e/netdev.c', (t) => t.replace('static int e1000_probe(', 'static int pathfind_bench_poll(struct napi_struct *napi, int budget)\n{\n\treturn 0;\n}\n\nstatic int e1000_probe(').replace('\tINIT_WORK(&adapter->reset_task, e1000_reset_task);\n', '\tINIT_WORK(&adapter->reset_task, e1000_reset_task);\n\tnetif_napi_add(netdev, &adapter->napi, pathfind_bench_poll);\n'))],
  ['the poll function and its registration removed', () => restore('drivers/net/ethernet/intel/e1000e/netdev.c')],
  ['a kernel thread started with a new function (kthread_run in e1000e\'s probe)', () => edit('drivers/net/ethernet/intel/e1000e/netdev.c', (t) => t.replace('static int e1000_probe(', 'static int pathfind_bench_thread(void *data)\n{\n\treturn 0;\n}\n\nstatic int e1000_probe(').replace('\tINIT_WORK(&adapter->reset_task, e1000_reset_task);\n', '\tINIT_WORK(&adapter->reset_task, e1000_reset_task);\n\tkthread_run(pathfind_bench_thread, adapter, "pathfind_bench");\n'))],
  ['the thread function and its start removed', () => restore('drivers/net/ethernet/intel/e1000e/netdev.c')],
  // A call of a function's own parameter: merge() calls its cmp once more; every caller passing list_sort a function has its callback-arg edges made again.
  ['a call of a parameter added (lib/list_sort.c merge calls cmp)', () => edit('lib/list_sort.c', insertAfter('\tstruct list_head *head, **tail = &head;\n\n', '\tcmp(priv, a, b);\n'))],
  ['the call of a parameter removed', () => restore('lib/list_sort.c')],
  // A call queueing work by its object: its edges are those of the registrations under the object's key (patch-object-hand-offs.ts).
  ['a call queueing work added (schedule_work in e1000e\'s watchdog)', () => edit('drivers/net/ethernet/intel/e1000e/netdev.c', insertAfter('\t/* Do the rest outside of interrupt context */\n\tschedule_work(&adapter->watchdog_task);\n', '\tschedule_work(&adapter->reset_task);\n'))],
  ['the queueing call removed', () => restore('drivers/net/ethernet/intel/e1000e/netdev.c')],
  // A registration of work by its object (INIT_WORK): every call queueing its key gets its edges again (patch-object-hand-offs.ts), and
  // the handler's store into work_struct.func is a parameter store's (patch-param-stores.ts).
  ['a work item registered with a new handler (INIT_WORK in e1000e\'s probe)', () => edit('drivers/net/ethernet/intel/e1000e/netdev.c', (t) => t.replace('static int e1000_probe(', 'static void pathfind_bench_task(struct work_struct *work)\n{\n}\n\nstatic int e1000_probe(').replace('\tINIT_WORK(&adapter->reset_task, e1000_reset_task);\n', '\tINIT_WORK(&adapter->reset_task, e1000_reset_task);\n\tINIT_WORK(&adapter->reset_task, pathfind_bench_task);\n'))],
  ['the handler and its registration removed', () => restore('drivers/net/ethernet/intel/e1000e/netdev.c')],
  // A static work handler renamed with its registration, while e1000's driver has a static of the old name (e1000_reset_task).
  ['a work handler renamed (e1000e\'s e1000_reset_task)', () => edit('drivers/net/ethernet/intel/e1000e/netdev.c', (t) => t.replace(/\be1000_reset_task\b/g, 'pathfind_bench_reset_task'))],
  ['the handler\'s name restored', () => restore('drivers/net/ethernet/intel/e1000e/netdev.c')],
  // A timer given a new handler: init_timer_key stores it in timer_list.function, which expire_timers loads into a local and passes to call_timer_fn,
  // which calls it (a member passed where it is called: resolve/patch-called-reads.ts makes expire_timers' callback-arg edges again).
  ['a timer given a new handler (timer_setup in e1000e\'s probe)', () => edit('drivers/net/ethernet/intel/e1000e/netdev.c', (t) => t.replace('static int e1000_probe(', 'static void pathfind_bench_timer(struct timer_list *t)\n{\n}\n\nstatic int e1000_probe(').replace('timer_setup(&adapter->phy_info_timer, e1000_update_phy_info, 0);', 'timer_setup(&adapter->phy_info_timer, pathfind_bench_timer, 0);'))],
  ['the timer\'s handler restored', () => restore('drivers/net/ethernet/intel/e1000e/netdev.c')],
  ['a timer handler renamed (e1000e\'s e1000_update_phy_info)', () => edit('drivers/net/ethernet/intel/e1000e/netdev.c', (t) => t.replace(/\be1000_update_phy_info\b/g, 'pathfind_bench_phy_info'))],
  ['the timer handler\'s name restored', () => restore('drivers/net/ethernet/intel/e1000e/netdev.c')],
  // A NAPI poll function renamed: e1000e_poll is the one caller of adapter->clean_rx, so the site taken out lends its edges to the renamed one
  // (cache/moved-member-runs.ts), and napi_struct.poll's call sites are bound again (the registration's parameter store).
  ['a NAPI poll function renamed (e1000e_poll, the one caller of adapter->clean_rx)', () => edit('drivers/net/ethernet/intel/e1000e/netdev.c', (t) => t.replace(/\be1000e_poll\b/g, 'pathfind_bench_poll'))],
  ['the poll function\'s name restored', () => restore('drivers/net/ethernet/intel/e1000e/netdev.c')],
  // An interrupt handler renamed: request_irq stores it in struct irqaction.handler, which call sites of an unknown struct read by the name
  // `handler` alone, and which drivers also pass members into (copies): the field-name record's rows of that name are made again
  // (resolve/field-later-rows.ts).
  ['an interrupt handler renamed (e1000e\'s MSI-X e1000_intr_msix_rx, passed to request_irq)', () => edit('drivers/net/ethernet/intel/e1000e/netdev.c', (t) => t.replace(/\be1000_intr_msix_rx\b/g, 'pathfind_bench_msix_rx'))],
  ['the interrupt handler\'s name restored', () => restore('drivers/net/ethernet/intel/e1000e/netdev.c')],
  ['a struct member added', () => edit('net/core/dev.c', insertAfter('struct bpf_xdp_link {\n', '\tvoid (*pathfind_bench)(struct net_device *dev);\n'))],
  ['the struct restored', () => restore('net/core/dev.c')],
  // As a new driver's file: a file-scope variable of its own passed by name, a buffer from kmalloc freed, an ops table.
  ['a file added', () => put('drivers/net/pathfind_bench.c', '#include <linux/netdevice.h>\n#include <linux/slab.h>\n\nstatic unsigned int pathfind_bench_debug;\n\nstatic netdev_tx_t pathfind_bench_xmit(struct sk_buff *skb, struct net_device *dev)\n{\n\tvoid *buf;\n\n\tbuf = kmalloc(64, GFP_ATOMIC);\n\tnetdev_warn(dev, "tx %u\\n", pathfind_bench_debug);\n\tkfree(buf);\n\tdev_kfree_skb(skb);\n\treturn NETDEV_TX_OK;\n}\n\nstatic const struct net_device_ops pathfind_bench_ops = {\n\t.ndo_start_xmit = pathfind_bench_xmit,\n};\n')],
  ['the file deleted', () => restore('drivers/net/pathfind_bench.c')],
  // A module's file: module_init registers its init function (do_one_initcall's edges), module_exit stores its exit function in a static variable.
  ['a module file added (module_init and module_exit)', () => put('drivers/misc/pathfind_bench_mod.c', '#include <linux/module.h>\n#include <linux/init.h>\n\nstatic unsigned int pathfind_bench_loads;\n\nstatic int __init pathfind_bench_init(void)\n{\n\tpathfind_bench_loads++;\n\tpr_info("pathfind_bench: loaded %u times\\n", pathfind_bench_loads);\n\treturn 0;\n}\n\nstatic void __exit pathfind_bench_exit(void)\n{\n\tpr_info("pathfind_bench: unloaded\\n");\n}\n\nmodule_init(pathfind_bench_init);\nmodule_exit(pathfind_bench_exit);\nMODULE_LICENSE("GPL");\n')],
  ['the module file deleted', () => restore('drivers/misc/pathfind_bench_mod.c')],
  // A character driver's file: its file_operations binds read, write and release, members that call sites of an unknown struct read by name alone
  // (the field-name fallback: resolve/patch-field-names.ts), and registers a misc device from module_init.
  ['a character driver file added (file_operations .read, .write, .release)', () => put('drivers/char/pathfind_bench_chr.c', "// SPDX-License-Identifier: GPL-2.0\n#include <linux/module.h>\n#include <linux/miscdevice.h>\n#include <linux/fs.h>\n#include <linux/uaccess.h>\n\nstatic char pathfind_bench_chr_buf[64];\n\nstatic ssize_t pathfind_bench_chr_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)\n{\n\treturn simple_read_from_buffer(buf, count, ppos, pathfind_bench_chr_buf, sizeof(pathfind_bench_chr_buf));\n}\n\nstatic ssize_t pathfind_bench_chr_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)\n{\n\treturn simple_write_to_buffer(pathfind_bench_chr_buf, sizeof(pathfind_bench_chr_buf), ppos, buf, count);\n}\n\nstatic int pathfind_bench_chr_release(struct inode *inode, struct file *file)\n{\n\treturn 0;\n}\n\nstatic const struct file_operations pathfind_bench_chr_fops = {\n\t.owner\t\t= THIS_MODULE,\n\t.read\t\t= pathfind_bench_chr_read,\n\t.write\t\t= pathfind_bench_chr_write,\n\t.release\t= pathfind_bench_chr_release,\n\t.llseek\t\t= default_llseek,\n};\n\nstatic struct miscdevice pathfind_bench_chr_dev = {\n\t.minor\t= MISC_DYNAMIC_MINOR,\n\t.name\t= \"pathfind_bench_chr\",\n\t.fops\t= &pathfind_bench_chr_fops,\n};\n\nstatic int __init pathfind_bench_chr_init(void)\n{\n\treturn misc_register(&pathfind_bench_chr_dev);\n}\n\nstatic void __exit pathfind_bench_chr_exit(void)\n{\n\tmisc_deregister(&pathfind_bench_chr_dev);\n}\n\nmodule_init(pathfind_bench_chr_init);\nmodule_exit(pathfind_bench_chr_exit);\nMODULE_LICENSE(\"GPL\");\n")],
  ['the character driver file deleted', () => restore('drivers/char/pathfind_bench_chr.c')],
  // A platform driver's file: .probe is read by name alone too, and platform_driver_probe stores probe functions into it (a binding of another phase, replayed).
  ['a platform driver file added (platform_driver .probe, .remove)', () => put('drivers/misc/pathfind_bench_plat.c', "// SPDX-License-Identifier: GPL-2.0\n#include <linux/module.h>\n#include <linux/platform_device.h>\n#include <linux/of.h>\n\nstruct pathfind_bench_plat_priv {\n\tvoid __iomem *base;\n\tint irq;\n};\n\nstatic int pathfind_bench_plat_probe(struct platform_device *pdev)\n{\n\tstruct pathfind_bench_plat_priv *priv;\n\n\tpriv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);\n\tif (!priv)\n\t\treturn -ENOMEM;\n\tpriv->base = devm_platform_ioremap_resource(pdev, 0);\n\tif (IS_ERR(priv->base))\n\t\treturn PTR_ERR(priv->base);\n\tplatform_set_drvdata(pdev, priv);\n\treturn 0;\n}\n\nstatic int pathfind_bench_plat_remove(struct platform_device *pdev)\n{\n\treturn 0;\n}\n\nstatic const struct of_device_id pathfind_bench_plat_of_match[] = {\n\t{ .compatible = \"pathfind,bench\" },\n\t{ }\n};\nMODULE_DEVICE_TABLE(of, pathfind_bench_plat_of_match);\n\nstatic struct platform_driver pathfind_bench_plat_driver = {\n\t.probe\t= pathfind_bench_plat_probe,\n\t.remove\t= pathfind_bench_plat_remove,\n\t.driver\t= {\n\t\t.name = \"pathfind_bench_plat\",\n\t\t.of_match_table = pathfind_bench_plat_of_match,\n\t},\n};\nmodule_platform_driver(pathfind_bench_plat_driver);\nMODULE_LICENSE(\"GPL\");\n")],
  ['the platform driver file deleted', () => restore('drivers/misc/pathfind_bench_plat.c')],
  // A PCI network driver's file: a private struct whose members other structs have too (pdev, ndev, napi: questions of which struct a macro's store fills named them,
  // cache/member-queries.ts), net_device_ops and pci_driver tables, a work item queued by its member from a timer function.
  ['a PCI network driver file added (a private struct with pdev, napi and work members, two ops tables)', () => put('drivers/net/ethernet/pathfind_bench_pci.c', "// SPDX-License-Identifier: GPL-2.0\n#include <linux/module.h>\n#include <linux/pci.h>\n#include <linux/netdevice.h>\n#include <linux/etherdevice.h>\n\nstruct pathfind_bench_pci_priv {\n\tstruct net_device *ndev;\n\tstruct pci_dev *pdev;\n\tvoid __iomem *regs;\n\tstruct napi_struct napi;\n\tstruct work_struct reset_work;\n\tstruct timer_list watchdog;\n};\n\nstatic int pathfind_bench_pci_open(struct net_device *ndev)\n{\n\tstruct pathfind_bench_pci_priv *priv = netdev_priv(ndev);\n\n\tnapi_enable(&priv->napi);\n\tnetif_start_queue(ndev);\n\tmod_timer(&priv->watchdog, jiffies + HZ);\n\treturn 0;\n}\n\nstatic int pathfind_bench_pci_stop(struct net_device *ndev)\n{\n\tstruct pathfind_bench_pci_priv *priv = netdev_priv(ndev);\n\n\tnetif_stop_queue(ndev);\n\tnapi_disable(&priv->napi);\n\tdel_timer_sync(&priv->watchdog);\n\treturn 0;\n}\n\nstatic netdev_tx_t pathfind_bench_pci_start_xmit(struct sk_buff *skb, struct net_device *ndev)\n{\n\tdev_kfree_skb_any(skb);\n\tndev->stats.tx_packets++;\n\treturn NETDEV_TX_OK;\n}\n\nstatic int pathfind_bench_pci_poll(struct napi_struct *napi, int budget)\n{\n\tnapi_complete_done(napi, 0);\n\treturn 0;\n}\n\nstatic void pathfind_bench_pci_reset_task(struct work_struct *work)\n{\n\tstruct pathfind_bench_pci_priv *priv = container_of(work, struct pathfind_bench_pci_priv, reset_work);\n\n\tnetif_carrier_off(priv->ndev);\n}\n\nstatic void pathfind_bench_pci_watchdog(struct timer_list *t)\n{\n\tstruct pathfind_bench_pci_priv *priv = from_timer(priv, t, watchdog);\n\n\tschedule_work(&priv->reset_work);\n}\n\nstatic const struct net_device_ops pathfind_bench_pci_netdev_ops = {\n\t.ndo_open\t\t= pathfind_bench_pci_open,\n\t.ndo_stop\t\t= pathfind_bench_pci_stop,\n\t.ndo_start_xmit\t\t= pathfind_bench_pci_start_xmit,\n\t.ndo_set_mac_address\t= eth_mac_addr,\n\t.ndo_validate_addr\t= eth_validate_addr,\n};\n\nstatic int pathfind_bench_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)\n{\n\tstruct net_device *ndev;\n\tstruct pathfind_bench_pci_priv *priv;\n\tint err;\n\n\terr = pcim_enable_device(pdev);\n\tif (err)\n\t\treturn err;\n\tndev = devm_alloc_etherdev(&pdev->dev, sizeof(*priv));\n\tif (!ndev)\n\t\treturn -ENOMEM;\n\tpriv = netdev_priv(ndev);\n\tpriv->ndev = ndev;\n\tpriv->pdev = pdev;\n\tndev->netdev_ops = &pathfind_bench_pci_netdev_ops;\n\tpci_set_drvdata(pdev, ndev);\n\treturn register_netdev(ndev);\n}\n\nstatic void pathfind_bench_pci_remove(struct pci_dev *pdev)\n{\n\tstruct net_device *ndev = pci_get_drvdata(pdev);\n\n\tunregister_netdev(ndev);\n}\n\nstatic const struct pci_device_id pathfind_bench_pci_ids[] = {\n\t{ PCI_DEVICE(0x1234, 0x5678) },\n\t{ }\n};\nMODULE_DEVICE_TABLE(pci, pathfind_bench_pci_ids);\n\nstatic struct pci_driver pathfind_bench_pci_driver = {\n\t.name\t\t= \"pathfind_bench_pci\",\n\t.id_table\t= pathfind_bench_pci_ids,\n\t.probe\t\t= pathfind_bench_pci_probe,\n\t.remove\t\t= pathfind_bench_pci_remove,\n};\nmodule_pci_driver(pathfind_bench_pci_driver);\nMODULE_LICENSE(\"GPL\");\n")],
  ['the PCI network driver file deleted', () => restore('drivers/net/ethernet/pathfind_bench_pci.c')],
  // A member other structs have added to a driver's private struct that no other file defines (struct ixgbe_adapter), without the other members the questions naming it
  // asked: the struct a macro's store fills stays the one it was (cache/member-queries.ts).
  ['a member many structs have added to a driver\'s private struct (ixgbe_adapter: struct list_head list)', () => edit('drivers/net/ethernet/intel/ixgbe/ixgbe.h', insertAfter('struct ixgbe_adapter {\n', '\tstruct list_head list;\n'))],
  ['the private struct restored', () => restore('drivers/net/ethernet/intel/ixgbe/ixgbe.h')],
  // Build files edited without moving an answer the graph was resolved with (cache/build-renew.ts): a new driver's Kconfig option (n until a
  // config sets it), its Makefile line (an object no file is yet), a comment in a driver's Makefile. The build model is made again and compared.
  ['a new driver\'s Kconfig option added (drivers/net/ethernet/Kconfig)', () => edit('drivers/net/ethernet/Kconfig', insertAfter('if ETHERNET\n', '\nconfig PATHFIND_BENCH_PCI\n\ttristate "pathfind bench PCI driver"\n\tdepends on PCI\n\thelp\n\t  A driver the bench adds.\n'))],
  ['its Makefile line added (drivers/net/ethernet/Makefile)', () => edit('drivers/net/ethernet/Makefile', (t) => `${t}obj-$(CONFIG_PATHFIND_BENCH_PCI) += pathfind_bench_pci.o\n`)],
  ['the Makefile line taken out', () => restore('drivers/net/ethernet/Makefile')],
  ['the Kconfig option taken out', () => restore('drivers/net/ethernet/Kconfig')],
  ['a comment added to a driver\'s Makefile (e1000e)', () => edit('drivers/net/ethernet/intel/e1000e/Makefile', (t) => `${t}# pathfind bench\n`)],
  ['the Makefile restored', () => restore('drivers/net/ethernet/intel/e1000e/Makefile')],
  ['a widely included header changed (include/linux/skbuff.h: a prototype and a macro)', () => edit('include/linux/skbuff.h', insertAfter('#include <linux/kernel.h>\n', 'void pathfind_bench_proto(struct sk_buff *skb);\n#define PATHFIND_BENCH(skb) pathfind_bench_proto(skb)\n'))],
  ['the header restored', () => restore('include/linux/skbuff.h')],
];
const warmQueries = {
  path: pathArgs,
  callees: ['callees', 'tcp_sendmsg', '--depth', '3'],
  k10: ['-k', '10', ...pathArgs],
  stats: ['stats'],
};
/** Each warm query once, then five rounds of the four in turn: the median run of each, by name. */
function runWarm() {
  for (const args of Object.values(warmQueries)) pf(...args);
  const warmRuns = Object.fromEntries(Object.keys(warmQueries).map((q) => [q, []]));
  for (let round = 0; round < 5; round++) for (const [q, args] of Object.entries(warmQueries)) warmRuns[q].push(pf(...args));
  return Object.fromEntries(Object.entries(warmRuns).map(([q, runs]) => [q, median(runs)]));
}
/** Rounds of the whole edit sequence (PATHFIND_BENCH_EDIT_ROUNDS, 3 unless set): each row's figure is its median round. */
const editRounds = Math.max(1, Number(process.env.PATHFIND_BENCH_EDIT_ROUNDS ?? 3));
/**
 * Makes each edit then the path query, the whole sequence `editRounds` times (each round ends
 * with the tree as it was): per edit, what, the median round's wall and CPU seconds, the fastest
 * and slowest wall, how the graph was had (`--verbose`, the median round's); the tree restored at the end.
 */
function runEdits() {
  const only = process.env.PATHFIND_BENCH_ROWS?.split(',').map(Number);
  const chosen = edits.filter((_, i) => !only || only.includes(i + 1));
  const runs = chosen.map(() => []);
  try {
    for (let round = 0; round < editRounds; round++) {
      chosen.forEach(([what, apply, options], i) => {
        if (options?.once && round > 0) return;
        apply();
        const r = pf(...pathArgs);
        const how = r.stderr.split('\n').find((l) => l.startsWith('pathfind: graph: '))?.slice('pathfind: graph: '.length).replace(/ \(\d+\.\d+ s\)$/, '') ?? '?';
        runs[i].push({ wall: r.wall, cpu: r.cpu, how });
        if (trace) process.stderr.write(`## ${what}: ${r.wall} s wall, ${r.cpu.toFixed(2)} s CPU\n${r.stderr}\n`);
      });
    }
  } finally {
    for (const path of original.keys()) restore(path);
  }
  return chosen.map(([what], i) => {
    const walls = runs[i].map((r) => r.wall);
    return { what, ...median(runs[i]), runs: walls.length, fastest: Math.min(...walls), slowest: Math.max(...walls), header: what.includes('header') };
  });
}
/** An edit row of the tables: the median wall, then the fastest and slowest rounds' when there are several. */
const editRow = (e) => `| ${e.what} | ${s(e.wall)}${e.runs > 1 ? ` (${e.fastest.toFixed(2)}-${e.slowest.toFixed(2)})` : editRounds > 1 ? ' (one run)' : ''} | ${s(e.cpu)} | ${e.how} |`;

if (editsOnly) {
  if (seed) execFileSync('cp', ['-r', seed, cache]);
  else pf('index');
  pf(...pathArgs);
  if (warmFirst) runWarm();
  const rows = runEdits().map(editRow);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  process.stdout.write([`| edit | edit then query, wall${editRounds > 1 ? `: median of ${editRounds} (fastest-slowest)` : ''} | CPU (user + sys) | how the graph was had |`, '|---|---|---|---|', ...rows, '', `Load average at the end: ${load}.`, ''].join('\n'));
  process.exit(0);
}

// The same file list for every tool: what pathfind's profile admits (x86 only, no tools/).
const files = discoverFiles(tree, detectProfile(tree), {});
const list = join(work, 'files.txt');
writeFileSync(list, files.map((f) => f.path).join('\n') + '\n');
const totalMB = files.reduce((a, f) => a + f.size, 0) / 1e6;

// Peers, same file list, same run.
const reading = timed('bash', ['-c', `xargs -a ${list} cat > /dev/null`], { cwd: tree });
// What finding changes by stat() alone costs here: one statSync per listed file, in series. System
// calls cost more on some machines (page-table isolation), which moves every warm figure below.
const statting = timed(process.execPath, ['-e', `const fs = require('fs'); for (const f of fs.readFileSync(${JSON.stringify(list)}, 'utf8').split('\\n')) if (f) fs.statSync(f);`], { cwd: tree });
const isolation = (() => { try { return readFileSync('/sys/devices/system/cpu/vulnerabilities/meltdown', 'utf8').trim(); } catch { return 'unknown'; } })();
const cscopeDir = join(work, 'cscope');
execFileSync('mkdir', ['-p', cscopeDir]);
const cscope = timed('cscope', ['-b', '-q', '-k', '-i', list, '-f', join(cscopeDir, 'cscope.out')], { cwd: tree });
const gtagsDir = join(work, 'gtags');
execFileSync('mkdir', ['-p', gtagsDir]);
const gtags = timed('gtags', ['-f', list, gtagsDir], { cwd: tree });

// pathfind: a cold index (nothing cached), then warm queries, whole process each.
const cold = timed(bin, ['--cache', cache, '-C', tree, '-q', '-v', 'index']);
const phases = cold.stderr.split('\n').filter((l) => l.startsWith('pathfind: ')).map((l) => l.slice(10));
const indexMB = dirSize(cache);
// Each query once first (the first one keeps the call-graph rows and the stats counts beside the
// cache), then five rounds taking the four queries in turn: a figure is the median of its five
// runs, so a slow spell of the machine (right after the cold index) moves every query a little
// rather than one query a lot.
const warm = runWarm();

// The folder as queries leave it: a warm query keeps the call-graph rows and folder listings beside the cache.
const indexAfterMB = dirSize(cache);
const edited = runEdits();

const cpu = cpuList()[0]?.model ?? 'unknown';
const met = (ok) => (ok ? 'met' : 'not met');
const worstEdit = Math.max(...edited.filter((e) => !e.header).map((e) => e.wall));
const header = Math.max(...edited.filter((e) => e.header).map((e) => e.wall));
const diskMB = Math.max(indexMB, indexAfterMB);
const lines = [
  '# pathfind benchmark',
  '',
  `Tree: ${source} (${files.length} files, ${totalMB.toFixed(0)} MB, x86, without tools/). Machine: ${cpuList().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, meltdown: ${isolation}. ${new Date().toISOString().slice(0, 10)}. Written by \`npm run bench\` (bench/run.mjs); every figure below comes from this one run.`,
  '',
  '## Beside the peers (same file list, same run)',
  '',
  '| measure | pathfind | cscope -b -q -k | gtags (GNU Global) | pathfind / gtags |',
  '|---|---|---|---|---|',
  `| cold index, wall | ${s(cold.wall, 1)} | ${s(cscope.wall, 1)} | ${s(gtags.wall, 1)} | ${(cold.wall / gtags.wall).toFixed(2)} |`,
  `| cold index, CPU (user + sys) | ${s(cold.cpu, 1)} | ${s(cscope.cpu, 1)} | ${s(gtags.cpu, 1)} | ${(cold.cpu / gtags.cpu).toFixed(2)} |`,
  `| peak memory while indexing | ${cold.rssMB.toFixed(0)} MB | ${cscope.rssMB.toFixed(0)} MB | ${gtags.rssMB.toFixed(0)} MB | ${(cold.rssMB / gtags.rssMB).toFixed(1)} |`,
  `| index on disk (after the warm queries) | ${diskMB.toFixed(1)} MB | ${dirSize(cscopeDir).toFixed(0)} MB | ${dirSize(gtagsDir).toFixed(0)} MB | ${(diskMB / dirSize(gtagsDir)).toFixed(2)} |`,
  '',
  `Reading every file once (\`cat\`): ${s(reading.wall, 1)}. One \`stat()\` per file in series (node): ${s(statting.wall)} wall, ${s(statting.cpu)} CPU. The index folder: ${indexMB.toFixed(1)} MB after the cold index, ${indexAfterMB.toFixed(1)} MB after the warm queries.`,
  '',
  '## Targets (issue 13)',
  '',
  '| target | measured | limit | |',
  '|---|---|---|---|',
  `| cold index, wall, against gtags | ${s(cold.wall, 1)} (gtags ${s(gtags.wall, 1)}) | at most gtags | ${met(cold.wall <= gtags.wall)} |`,
  `| peak memory while indexing | ${(cold.rssMB / 1024).toFixed(2)} GB | 2 GB | ${met(cold.rssMB <= 2048)} |`,
  `| index on disk (after the warm queries) | ${diskMB.toFixed(1)} MB | 200 MB | ${met(diskMB <= 200)} |`,
  `| warm path query (\`-s ksys_write -t drv_wake_tx_queue\`), whole process | ${s(warm.path.wall)} | 0.5 s | ${met(warm.path.wall <= 0.5)} |`,
  `| warm \`callees tcp_sendmsg --depth 3\`, whole process | ${s(warm.callees.wall)} | 0.5 s | ${met(warm.callees.wall <= 0.5)} |`,
  `| warm \`-k 10\`, whole process | ${s(warm.k10.wall)} | 2 s | ${met(warm.k10.wall <= 2)} |`,
  `| warm \`stats\`, whole process | ${s(warm.stats.wall)} | 1 s | ${met(warm.stats.wall <= 1)} |`,
  `| slowest one-file edit then the path query (all kinds below but the header) | ${s(worstEdit)} | 2 s | ${met(worstEdit <= 2)} |`,
  `| a widely included header edited, then the path query | ${s(header)} | less than the cold index | ${met(header < cold.wall)} |`,
  '',
  `Warm figures are the median of five runs, each query once before them, then the four queries taken in turn. Each edit is one file of the tree, then the path query as a new process; the whole sequence of edits is made ${editRounds} time${editRounds === 1 ? '' : 's'}, each edit's figure is its median (by wall time), and how the graph was had is what \`--verbose\` said in that run. An edit the patch refuses (resolved in full, some two minutes) is made in the first round only (one run).`,
  '',
  `| edit | edit then query, wall${editRounds > 1 ? `: median of ${editRounds} (fastest-slowest)` : ''} | CPU (user + sys) | how the graph was had |`,
  '|---|---|---|---|',
  ...edited.map(editRow),
  '',
  'Phases of the cold index (`--verbose`):',
  '',
  ...phases.map((p) => `- ${p}`),
  '',
];
const text = lines.join('\n');
writeFileSync(join(here, 'results.md'), text);
process.stdout.write(text);
