import { beforeAll, describe, expect, it } from 'vitest';
import { openTree, type Project } from '../../src/index.js';

/**
 * The real-kernel tier for definitions made by macros (issue 12, kind 6; PATHFIND_LINUX: an
 * unpacked Linux 6.1 tree): DEFINE_SCHED_CLASS, STANDARD_PARAM_DEF, DEFINE_SHOW_ATTRIBUTE and
 * DECLARE_WORK, each defined in a header (or the file itself) and invoked at file scope.
 */
const tree = process.env.PATHFIND_LINUX;

describe.skipIf(!tree)('Linux 6.1 definitions made by macros', () => {
  let project: Project;

  beforeAll(async () => {
    project = await openTree({ root: tree!, paths: ['kernel', 'include', 'arch/x86/include', 'fs/char_dev.c', 'fs/seq_file.c'], jobs: 2, cache: false, facts: true });
  }, 600_000);

  /** The edge `caller -> callee` of the shortest path, with its kind and evidence as `file text`. */
  const step = (caller: string, callee: string): string[] => {
    const { paths } = project.findPaths({ start: caller, target: callee, maxDepth: 1 });
    expect(paths.length).toBeGreaterThan(0);
    const edge = paths[0]!.edges[0]!;
    return [`${edge.from.name} -> ${edge.to.name} ${edge.kind}`, ...(edge.evidence ?? []).map((e) => `${e.file} ${e.text}`)];
  };

  it('curr->sched_class->task_tick(...) binds task_tick_idle through DEFINE_SCHED_CLASS(idle) = { ... }', () => {
    expect(step('scheduler_tick', 'task_tick_idle')).toEqual(['scheduler_tick -> task_tick_idle ops-initializer', 'kernel/sched/idle.c .task_tick = task_tick_idle in struct sched_class idle_sched_class']);
    // sched_core_find calls ->pick_task only under CONFIG_SCHED_CORE, which the x86_64 defconfig leaves unset: it calls nothing.
    expect(project.findPaths({ start: 'sched_core_find', target: 'pick_task_idle' }).paths).toEqual([]);
  });

  it('STANDARD_PARAM_DEF makes param_set_byte, with its call, bound in param_ops_byte', () => {
    expect(step('parse_one', 'param_set_byte')).toEqual(['parse_one -> param_set_byte ops-initializer', 'kernel/params.c .set = param_set_byte in struct kernel_param_ops param_ops_byte']);
    expect(step('param_set_byte', 'kstrtou8')[0]).toBe('param_set_byte -> kstrtou8 direct');
  });

  it('DEFINE_SHOW_ATTRIBUTE makes an _open bound in its _fops, reached through file->f_op->open', () => {
    const texts = step('chrdev_open', 'tk_debug_sleep_time_open');
    expect(texts[0]).toBe('chrdev_open -> tk_debug_sleep_time_open ops-initializer');
    expect(texts).toContain('kernel/time/timekeeping_debug.c .open = tk_debug_sleep_time_open in struct file_operations tk_debug_sleep_time_fops');
    expect(step('tk_debug_sleep_time_open', 'single_open')[0]).toBe('tk_debug_sleep_time_open -> single_open direct');
  });

  it('DECLARE_WORK stores its function in the work item it defines, through __WORK_INITIALIZER', () => {
    const file = project.index.files.findIndex((f) => f.path === 'kernel/trace/trace_osnoise.c');
    const stores = project.index.fileFacts(file).bindings.filter((b) => b.definer === 'DECLARE_WORK').map((b) => `${b.variable}.${b.path.join('.')} = ${b.fn}`);
    expect(stores).toEqual(['osnoise_hotplug_work.func = osnoise_hotplug_workfn']);
  });
});
