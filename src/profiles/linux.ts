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
  dispatchTables: [
    {
      table: 'arch/x86/entry/syscalls/syscall_64.tbl',
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
