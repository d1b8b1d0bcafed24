import type { Profile } from './profile.js';

/** Annotations that carry no meaning for a call graph; each becomes spaces. */
const blanked = [
  '__init', '__exit', '__initdata', '__exitdata', '__initconst', '__ref', '__refdata', '__meminit',
  '__net_init', '__net_exit', '__net_initdata', '__devinit', '__devexit', '__cpuinit',
  '__user', '__kernel', '__iomem', '__percpu', '__rcu', '__force', '__bitwise', '__private',
  '__must_check', '__cold', '__hot', '__pure', '__const', '__noreturn', '__weak', '__visible',
  '__maybe_unused', '__always_unused', '__used', '__unused', '__packed', '__read_mostly',
  '__ro_after_init', '__cacheline_aligned', '__cacheline_aligned_in_smp', '____cacheline_aligned',
  '____cacheline_aligned_in_smp', '__randomize_layout', '__no_randomize_layout', '__latent_entropy',
  '__sched', '__lockfunc', '__kprobes', '__nocfi', '__noclone', '__noinstr', 'noinstr', '__flatten',
  '__no_kcsan', '__no_sanitize_address', '__no_stack_protector', '__attribute_const__',
  '__malloc', '__safe', '__nocast', '__notrace_funcgraph', '__irq_entry', '__softirq_entry',
  '__cpuidle', '__ksym', '__weak_alias', '__naked', '__fix_address', '__always_used',
  'notrace', 'asmlinkage', 'noinline', 'noinline_for_stack', '__noinline', 'INDIRECT_CALLABLE_SCOPE',
  '__bpf_kfunc', '__bpf_fastcall', 'fastcall', '__deprecated', '__designated_init', '__tracepoint_string',
  '__must_hold', '__nonstring', '__counted_by_placeholder',
];

/**
 * Pointer calls that run work in another context (Linux 6.1), each at the member its dispatcher
 * calls, as the resolver sees it there. NAPI's `n->poll` (net/core/dev.c, __napi_poll) is left
 * synchronous: it runs inside net_rx_action, itself reached through the softirq hop. Not declared,
 * since their dispatchers call through a local variable or a parameter the resolver does not bind
 * (and the members are also called synchronously elsewhere, e.g. a timer's function after
 * del_timer): timer_list.function (kernel/time/timer.c, call_timer_fn `fn(timer)`),
 * hrtimer.function (kernel/time/hrtimer.c, __run_hrtimer `fn(timer)`), kthread thread functions
 * (kernel/kthread.c, kthread `threadfn(data)`), RCU's main batch (kernel/rcu/tree.c, rcu_do_batch `f(rhp)`).
 */
const deferredCalls: Profile['deferredCalls'] = [
  // kernel/softirq.c, handle_softirqs: `h->action(h)` runs the softirq handlers registered by open_softirq.
  { holder: 'struct softirq_action', field: 'action', context: 'softirq' },
  // kernel/softirq.c, tasklet_action_common: `t->callback(t)` and `t->func(t->data)`.
  { holder: 'struct tasklet_struct', field: 'callback', context: 'tasklet' },
  { holder: 'struct tasklet_struct', field: 'func', context: 'tasklet' },
  // kernel/workqueue.c, process_one_work: `worker->current_func(work)` (struct worker in kernel/workqueue_internal.h).
  { holder: 'struct worker', field: 'current_func', context: 'workqueue' },
  // kernel/kthread.c, kthread_worker_fn: `work->func(work)`.
  { holder: 'struct kthread_work', field: 'func', context: 'kthread' },
  // kernel/rcu/srcutree.c srcu_invoke_callbacks, kernel/rcu/tasks.h rcu_tasks_invoke_cbs: `rhp->func(rhp)`
  // (rcu_head is `#define rcu_head callback_head`, include/linux/types.h, so the struct is seen by its macro name).
  { holder: 'struct rcu_head', field: 'func', context: 'rcu' },
  // kernel/task_work.c, task_work_run: `work->func(work)`, run on the way back to user space.
  { holder: 'struct callback_head', field: 'func', context: 'task_work' },
  // kernel/irq/handle.c __handle_irq_event_percpu, kernel/irq/chip.c: `action->handler(irq, action->dev_id)`.
  { holder: 'struct irqaction', field: 'handler', context: 'irq' },
  // kernel/irq/manage.c irq_thread_fn, irq_forced_thread_fn; kernel/irq/chip.c handle_nested_irq: `action->thread_fn(...)`.
  { holder: 'struct irqaction', field: 'thread_fn', context: 'irq' },
  // kernel/irq_work.c, irq_work_single: `work->func(work)`, later in hard interrupt context.
  { holder: 'struct irq_work', field: 'func', context: 'irq_work' },
];

export const linuxProfile: Profile = {
  name: 'linux',
  markers: ['Makefile', 'Kconfig', 'MAINTAINERS', 'arch', 'include/linux', 'kernel'],
  annotations: {
    ...Object.fromEntries(blanked.map((name) => [name, ''])),
    __always_inline: 'inline',
    __inline: 'inline',
    __inline__: 'inline',
  },
  annotationsWithArgs: [
    '__releases', '__acquires', '__must_hold', '__printf', '__scanf', '__aligned', '__section',
    '__counted_by', '__alloc_size', '__assume_aligned', '__diag_ignore', '__no_sanitize_or_inline',
    '__cond_acquires', '__nocast', '__has_builtin', '__percpu_seg_override', '__realloc_size',
  ],
  loopMacros: true,
  definers: [
    {
      macro: /^SYSCALL_DEFINE[0-6]$/,
      prefix: 'sys_',
      aliasPrefixes: ['__do_sys_', '__x64_sys_', '__se_sys_', '__ia32_sys_'],
      returns: 'long',
      params: 'pairs',
    },
    {
      macro: /^COMPAT_SYSCALL_DEFINE[0-6]$/,
      prefix: 'compat_sys_',
      aliasPrefixes: ['__do_compat_sys_', '__x64_compat_sys_', '__se_compat_sys_', '__ia32_compat_sys_'],
      returns: 'long',
      params: 'pairs',
    },
  ],
  indirectCalls: [
    { name: 'INDIRECT_CALL_1', hints: 1 },
    { name: 'INDIRECT_CALL_2', hints: 2 },
    { name: 'INDIRECT_CALL_3', hints: 3 },
    { name: 'INDIRECT_CALL_4', hints: 4 },
    { name: 'INDIRECT_CALL_INET', hints: 2 },
    { name: 'INDIRECT_CALL_INET_1', hints: 1 },
  ],
  transparent: [
    'READ_ONCE', 'rcu_dereference', 'rcu_dereference_bh', 'rcu_dereference_sched', 'rcu_dereference_raw',
    'rcu_dereference_protected', 'rcu_dereference_check', 'rcu_dereference_bh_check', 'rcu_access_pointer',
    'rcu_dereference_rtnl', 'rtnl_dereference', 'smp_load_acquire', 'xchg', 'cmpxchg',
    'srcu_dereference', 'rcu_dereference_raw_check', 'lockless_dereference',
  ],
  containers: [
    { name: 'container_of', typeArg: 1 },
    { name: 'container_of_const', typeArg: 1 },
    { name: 'list_entry', typeArg: 1 },
    { name: 'list_first_entry', typeArg: 1 },
    { name: 'list_last_entry', typeArg: 1 },
    { name: 'list_first_entry_or_null', typeArg: 1 },
    { name: 'list_entry_rcu', typeArg: 1 },
    { name: 'hlist_entry', typeArg: 1 },
    { name: 'hlist_entry_safe', typeArg: 1 },
    { name: 'rb_entry', typeArg: 1 },
    { name: 'rb_entry_safe', typeArg: 1 },
  ],
  excludeDirs: ['tools', 'Documentation', 'scripts', 'samples', 'usr'],
  archDir: 'arch',
  defaultArch: 'x86',
  deferredCalls,
  dispatchTables: [
    {
      table: 'arch/x86/entry/syscalls/syscall_64.tbl',
      name: 'syscall table',
      dispatchers: ['x64_sys_call'],
      array: 'sys_call_table',
      entry: (line) => {
        const cols = line.trim().split(/\s+/);
        if (cols.length < 4 || cols[0]!.startsWith('#') || cols[1] === 'x32') return null;
        return `__x64_${cols[3]}`;
      },
    },
  ],
  // The kernel calls these through its own macros (likely, barrier, READ_ONCE...); as callees they are noise.
  compilerBuiltins: ['__builtin_', '__atomic_', '__sync_'],
};
