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
 * synchronous: it runs inside net_rx_action, itself reached through the softirq hop. The timer
 * dispatchers call through a parameter or a local (kernel/time/timer.c, call_timer_fn `fn(timer)`;
 * kernel/time/hrtimer.c, __run_hrtimer `fn(timer)`), so their edges are not marked; the members
 * are declared for the direct calls elsewhere. Not declared: hard interrupt handlers (irqaction.handler,
 * called on the interrupt's stack), kthread thread functions
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
  // Not `irqaction.handler`: kernel/irq/handle.c __handle_irq_event_percpu calls `action->handler(irq, action->dev_id)` on
  // the interrupt's own stack (common_interrupt -> ... -> handle_irq_event -> the driver's handler, as an oops shows it).
  // kernel/irq/manage.c irq_thread_fn, irq_forced_thread_fn; kernel/irq/chip.c handle_nested_irq: `action->thread_fn(...)`.
  { holder: 'struct irqaction', field: 'thread_fn', context: 'irq' },
  // kernel/irq_work.c, irq_work_single: `work->func(work)`, later in hard interrupt context.
  { holder: 'struct irq_work', field: 'func', context: 'irq_work' },
  // A work item's or a timer's function called directly, outside its dispatcher (net/sctp/inqueue.c
  // `q->immediate.func(&q->immediate)`, drivers/md/bcache): the site binds every function any work
  // item or timer holds (about 3,500 work functions in Linux 6.1), so it is no plain step of a path.
  // The dispatchers themselves call through `worker->current_func` (above) and call_timer_fn's parameter.
  { holder: 'struct work_struct', field: 'func', context: 'workqueue' },
  { holder: 'struct timer_list', field: 'function', context: 'timer' },
  { holder: 'struct hrtimer', field: 'function', context: 'timer' },
];

/**
 * Softirqs raised by number (Linux 6.1, kernel/softirq.c): open_softirq(nr, action) files the
 * handler in softirq_vec[nr], and raise_softirq(nr), raise_softirq_irqoff(nr) and
 * __raise_softirq_irqoff(nr) mark it pending, so it runs on the way out of the interrupt or in
 * ksoftirqd (`raise_softirq(TIMER_SOFTIRQ)` in run_local_timers, kernel/time/timer.c, runs
 * run_timer_softirq). The numbers are the enum of include/linux/interrupt.h.
 */
const handOffs: Profile['handOffs'] = [
  { register: 'open_softirq', keyArgument: 0, handlerArgument: 1, raise: ['raise_softirq', 'raise_softirq_irqoff', '__raise_softirq_irqoff'], raiseKeyArgument: 0, context: 'softirq' },
];

/**
 * Work handed off by an object (Linux 6.1, Profile.objectHandOffs): the macro or function that
 * files the handler in the object, and those that queue the object, each with the header defining
 * it. Not declared: hrtimers (include/linux/hrtimer.h: hrtimer_init takes no function, the
 * callback is assigned to `.function`), DECLARE_WORK and DEFINE_TIMER at file scope.
 */
const objectHandOffs: Profile['objectHandOffs'] = [
  {
    // include/linux/workqueue.h: INIT_WORK, INIT_WORK_ONSTACK (line 250), INIT_DELAYED_WORK,
    // INIT_DEFERRABLE_WORK (275-281), INIT_RCU_WORK (287); queue_work_on, queue_work_node,
    // queue_delayed_work_on, mod_delayed_work_on, queue_rcu_work (450-458, kernel/workqueue.c), and
    // the inline queue_work, queue_delayed_work, mod_delayed_work, schedule_work_on, schedule_work,
    // schedule_delayed_work_on, schedule_delayed_work (512-679). A delayed_work or rcu_work wraps its
    // work_struct in the member `work`.
    objects: ['struct work_struct', 'struct delayed_work', 'struct rcu_work'],
    wrappers: [{ holder: 'struct delayed_work', field: 'work' }, { holder: 'struct rcu_work', field: 'work' }],
    register: ['INIT_WORK', 'INIT_WORK_ONSTACK', 'INIT_DELAYED_WORK', 'INIT_DELAYED_WORK_ONSTACK', 'INIT_DEFERRABLE_WORK', 'INIT_RCU_WORK'].map((name) => ({ name, object: 0, handler: 1 })),
    queue: [
      { name: 'queue_work', object: 1 }, { name: 'queue_work_on', object: 2 }, { name: 'queue_work_node', object: 2 },
      { name: 'schedule_work', object: 0 }, { name: 'schedule_work_on', object: 1 },
      { name: 'queue_delayed_work', object: 1 }, { name: 'queue_delayed_work_on', object: 2 },
      { name: 'mod_delayed_work', object: 1 }, { name: 'mod_delayed_work_on', object: 2 },
      { name: 'schedule_delayed_work', object: 0 }, { name: 'schedule_delayed_work_on', object: 1 },
      { name: 'queue_rcu_work', object: 1 },
    ],
    context: 'workqueue',
  },
  {
    // include/linux/timer.h: timer_setup, timer_setup_on_stack (141-144); add_timer_on, mod_timer,
    // mod_timer_pending, timer_reduce, add_timer (171-182, kernel/time/timer.c).
    objects: ['struct timer_list'],
    register: [{ name: 'timer_setup', object: 0, handler: 1 }, { name: 'timer_setup_on_stack', object: 0, handler: 1 }],
    queue: ['mod_timer', 'add_timer', 'add_timer_on', 'mod_timer_pending', 'timer_reduce'].map((name) => ({ name, object: 0 })),
    context: 'timer',
  },
  {
    // include/linux/interrupt.h: tasklet_init, tasklet_setup (754-756, kernel/softirq.c);
    // tasklet_schedule, tasklet_hi_schedule (709-717).
    objects: ['struct tasklet_struct'],
    register: [{ name: 'tasklet_setup', object: 0, handler: 1 }, { name: 'tasklet_init', object: 0, handler: 1 }],
    queue: [{ name: 'tasklet_schedule', object: 0 }, { name: 'tasklet_hi_schedule', object: 0 }],
    context: 'tasklet',
  },
  {
    // include/linux/kthread.h: kthread_init_work, kthread_init_delayed_work (171-178);
    // kthread_queue_work, kthread_queue_delayed_work, kthread_mod_delayed_work (196-203, kernel/kthread.c).
    objects: ['struct kthread_work', 'struct kthread_delayed_work'],
    wrappers: [{ holder: 'struct kthread_delayed_work', field: 'work' }],
    register: [{ name: 'kthread_init_work', object: 0, handler: 1 }, { name: 'kthread_init_delayed_work', object: 0, handler: 1 }],
    queue: [{ name: 'kthread_queue_work', object: 1 }, { name: 'kthread_queue_delayed_work', object: 1 }, { name: 'kthread_mod_delayed_work', object: 1 }],
    context: 'kthread',
  },
  {
    // include/linux/irq_work.h: init_irq_work (37); irq_work_queue, irq_work_queue_on (57-58, kernel/irq_work.c).
    objects: ['struct irq_work'],
    register: [{ name: 'init_irq_work', object: 0, handler: 1 }],
    queue: [{ name: 'irq_work_queue', object: 0 }, { name: 'irq_work_queue_on', object: 0 }],
    context: 'irq_work',
  },
];

/**
 * Linux 6.1 helpers left out of callees and callers pictures by default (see Profile.pictureExcludes):
 * they are called from nearly everywhere and say nothing about the structure. Named after their
 * definitions: printing in include/linux/printk.h (printk, pr_*), include/linux/dev_printk.h (dev_*
 * printing), include/linux/netdevice.h (netdev_* printing), include/linux/net.h (net_*_ratelimited);
 * warnings in include/asm-generic/bug.h (WARN*, BUG*); lock debugging in include/linux/lockdep.h
 * (lockdep_*, lock_acquire, lock_release...) and kernel/locking/lockdep.c; include/linux/kernel.h
 * (might_sleep, might_fault, __might_sleep...); include/linux/compiler.h (likely, unlikely);
 * debug checks in include/linux/rcupdate.h (rcu_read_lock_held...); tracepoints generated by
 * include/linux/tracepoint.h (trace_*); KASAN/KCSAN/kmemleak instrumentation hooks.
 */
/**
 * Linux 6.1 functions that print or report an error (see Profile.diagnostics), named after their
 * definitions: kernel/printk/printk.c (_printk, vprintk_emit, vprintk_default, _printk_deferred,
 * vprintk_deferred; console_unlock and console_flush_on_panic, which write the log's new records to
 * every console: panic reaches the consoles through them, not through printk), kernel/printk/printk_safe.c (vprintk), kernel/panic.c (panic, nmi_panic,
 * __warn, __warn_printk, warn_slowpath_fmt), lib/bug.c (report_bug), lib/dump_stack.c (dump_stack,
 * dump_stack_lvl), kernel/sched/core.c (__schedule_bug), drivers/base/core.c (dev_vprintk_emit,
 * dev_printk_emit, _dev_printk and the _dev_<level> functions dev_err() and the others call), and
 * net/core/dev.c (__netdev_printk, netdev_printk and the netdev_<level> functions).
 */
const diagnostics = [
  '_printk', 'vprintk', 'vprintk_emit', 'vprintk_default', '_printk_deferred', 'vprintk_deferred', 'console_unlock', 'console_flush_on_panic',
  'panic', 'nmi_panic', '__warn', '__warn_printk', 'warn_slowpath_fmt', 'report_bug', 'dump_stack', 'dump_stack_lvl', '__schedule_bug',
  'dev_vprintk_emit', 'dev_printk_emit', '_dev_printk', '__dev_printk', '_dev_emerg', '_dev_alert', '_dev_crit', '_dev_err', '_dev_warn', '_dev_notice', '_dev_info',
  '__netdev_printk', 'netdev_printk', 'netdev_emerg', 'netdev_alert', 'netdev_crit', 'netdev_err', 'netdev_warn', 'netdev_notice', 'netdev_info',
];

const pictureExcludes = [
  'printk', '_printk', 'printk_*', 'vprintk*', 'pr_*', 'no_printk', 'dump_stack', 'print_hex_dump*',
  'dev_printk', '_dev_printk', 'dev_emerg', 'dev_alert', 'dev_crit', 'dev_err', 'dev_warn', 'dev_notice', 'dev_info', 'dev_dbg',
  '_dev_*', 'dev_*_once', 'dev_*_ratelimited', 'dev_vdbg', 'dynamic_dev_dbg',
  'netdev_printk', 'netdev_emerg', 'netdev_alert', 'netdev_crit', 'netdev_err', 'netdev_warn', 'netdev_notice', 'netdev_info', 'netdev_dbg',
  'netdev_*_once', 'netif_*_ratelimited', 'net_*_ratelimited', 'net_ratelimit', 'printk_ratelimit',
  'WARN', 'WARN_*', '__WARN*', 'warn_slowpath_fmt', 'BUG', 'BUG_ON', '__BUG*', 'BUILD_BUG*', 'VM_BUG_ON*', 'VM_WARN*',
  'lockdep_*', '__lockdep_*', 'lock_acquire', 'lock_release', 'lock_acquired', 'lock_contended', 'lock_is_held*',
  'might_sleep', 'might_sleep_if', '__might_sleep', '___might_sleep', 'might_fault', '__might_fault', 'might_resched', 'might_lock*',
  'likely', 'unlikely', 'likely_notrace', 'unlikely_notrace',
  'rcu_read_lock_held', 'rcu_read_lock_bh_held', 'rcu_read_lock_sched_held', 'rcu_lockdep_*', 'RCU_LOCKDEP_WARN',
  'trace_*', '__trace_*', 'kasan_*', '__kasan_*', 'kcsan_*', '__kcsan_*', 'kmemleak_*', 'kmsan_*', 'instrument_*',
];

/**
 * Linux 6.1's registration macros (Profile.registrations). include/linux/init.h: the initcall
 * levels and module_init (include/linux/module.h: device_initcall when built in) put the function
 * in an `.initcall*.init` section; init/main.c do_initcall_level runs each through
 * do_one_initcall, which calls `fn()`. `__setup(str, fn)` and `early_param(str, fn)` fill
 * `.init.setup` entries whose setup_func init/main.c calls from obsolete_checksetup and
 * do_early_param.
 */
const registrations: Profile['registrations'] = [
  {
    macros: [
      'module_init', 'pure_initcall', 'core_initcall', 'core_initcall_sync', 'postcore_initcall', 'postcore_initcall_sync',
      'arch_initcall', 'arch_initcall_sync', 'subsys_initcall', 'subsys_initcall_sync', 'fs_initcall', 'fs_initcall_sync',
      'rootfs_initcall', 'device_initcall', 'device_initcall_sync', 'late_initcall', 'late_initcall_sync', 'early_initcall',
    ],
    argument: 0,
    dispatcher: 'do_one_initcall',
  },
  { macros: ['__setup'], argument: 1, dispatcher: 'obsolete_checksetup' },
  { macros: ['early_param'], argument: 1, dispatcher: 'do_early_param' },
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
      // The wrappers of arch/*/include/asm/syscall_wrapper.h (Linux 6.1): x86's __x64_ and __ia32_,
      // arm64's __arm64_, s390's __s390x_ and __s390_; frames of an oops of any of them.
      aliasPrefixes: ['__do_sys_', '__x64_sys_', '__se_sys_', '__ia32_sys_', '__arm64_sys_', '__s390x_sys_', '__s390_sys_'],
      returns: 'long',
      params: 'pairs',
    },
    {
      macro: /^COMPAT_SYSCALL_DEFINE[0-6]$/,
      prefix: 'compat_sys_',
      aliasPrefixes: ['__do_compat_sys_', '__x64_compat_sys_', '__se_compat_sys_', '__ia32_compat_sys_', '__arm64_compat_sys_', '__s390_compat_sys_'],
      returns: 'long',
      params: 'pairs',
    },
    // x86 interrupt and exception entries (arch/x86/include/asm/idtentry.h, Linux 6.1). The RAW
    // forms, and those defined as them, head the function `func` itself with the body that follows.
    { macro: /^DEFINE_IDTENTRY_(?:RAW|RAW_ERRORCODE|IST|NMI|MCE|DEBUG|DF)$/, prefix: '', aliasPrefixes: [], returns: 'void', params: 'none' },
    { macro: /^DEFINE_IDTENTRY_(?:NOIST|MCE_USER|DEBUG_USER)$/, prefix: 'noist_', aliasPrefixes: [], returns: 'void', params: 'none' },
    { macro: /^DEFINE_IDTENTRY_VC_KERNEL$/, prefix: 'kernel_', aliasPrefixes: [], returns: 'void', params: 'none' },
    { macro: /^DEFINE_IDTENTRY_VC_USER$/, prefix: 'user_', aliasPrefixes: [], returns: 'void', params: 'none' },
    // The others define `func` (the entry, which only brackets the call) and head `__func` with the
    // body that follows; `__func` is inlined into `func` or called by it alone, so `func` names it too.
    { macro: /^DEFINE_IDTENTRY(?:_ERRORCODE|_IRQ|_SYSVEC|_SYSVEC_SIMPLE)?$/, prefix: '__', aliasPrefixes: [''], returns: 'void', params: 'none' },
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
  handOffs,
  objectHandOffs,
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
  // include/uapi/asm-generic/int-ll64.h, include/linux/types.h and include/uapi/linux/types.h define these as 8- to 32-bit integers.
  narrowTypes: ['u8', 'u16', 'u32', 's8', 's16', 's32', '__u8', '__u16', '__u32', '__s8', '__s16', '__s32', '__le16', '__le32', '__be16', '__be32', 'uint8_t', 'uint16_t', 'uint32_t', 'int8_t', 'int16_t', 'int32_t', 'u_char', 'u_short', 'u_int', 'uint', 'ushort', 'gfp_t', 'fmode_t', 'umode_t', 'pid_t', 'uid_t', 'gid_t', 'kuid_t', 'kgid_t'],
  diagnostics,
  pictureExcludes,
  // The -I flags of Linux 6.1's Makefile (LINUXINCLUDE, USERINCLUDE) for an in-tree build, in order.
  includePaths: ['arch/{arch}/include', 'arch/{arch}/include/generated', 'include', 'arch/{arch}/include/uapi', 'arch/{arch}/include/generated/uapi', 'include/uapi', 'include/generated/uapi'],
  // scripts/Makefile.asm-generic: a generic-y header is generated as `#include <asm-generic/x.h>`.
  includeFallbacks: [{ from: 'asm/', to: 'asm-generic/' }, { from: 'uapi/asm/', to: 'uapi/asm-generic/' }],
  // Makefile USERINCLUDE (-include compiler-version.h, kconfig.h), then scripts/Makefile.lib c_flags (-include compiler_types.h).
  forcedIncludes: ['include/linux/compiler-version.h', 'include/linux/kconfig.h', 'include/linux/compiler_types.h'],
  includeAncestors: true,
  // Makefile: KBUILD_CPPFLAGS -D__KERNEL__, and -O2 (so GCC defines __OPTIMIZE__); GCC for x86-64 defines __x86_64__ and __GNUC__.
  predefinedMacros: { __KERNEL__: '1', __x86_64__: '1', __GNUC__: '12', __STDC__: '1', __CHAR_BIT__: '8', __OPTIMIZE__: '1' },
  // __ASSEMBLY__ only for .S files (scripts/Makefile.build); __CHECKER__ for sparse; __GENKSYMS__ for genksyms;
  undefinedMacros: ['__ASSEMBLY__', '__CHECKER__', '__GENKSYMS__', '__CDT_PARSER__', '__clang__', '__cplusplus'],
  defconfigs: { x86: 'arch/x86/configs/x86_64_defconfig' },
  // arch/x86/Makefile: `BITS := 64` for CONFIG_X86_64 (the profile reads x86 as x86-64, as __x86_64__ above).
  kbuildVars: { x86: { BITS: '64' } },
  // arch/x86/Makefile: `BITS := 32` without CONFIG_X86_64, `BITS := 64` with it.
  kbuildVarValues: { BITS: ['32', '64'] },
  registrations,
  kbuild: true,
};
