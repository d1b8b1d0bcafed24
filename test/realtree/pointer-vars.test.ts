import { beforeAll, describe, expect, it } from 'vitest';
import { openTree, type Project } from '../../src/index.js';

/**
 * The real-kernel tier for calls through arrays of function pointers (PATHFIND_LINUX: an unpacked
 * Linux 6.1 tree): KVM's VMX exit handlers, an array with designated indexes called as
 * `kvm_vmx_exit_handlers[exit_handler_index](vcpu)`. Indexes only the folders it crosses.
 */
const tree = process.env.PATHFIND_LINUX;

describe.skipIf(!tree)('Linux 6.1 calls through arrays of function pointers', () => {
  let project: Project;

  beforeAll(async () => {
    project = await openTree({ root: tree!, paths: ['arch/x86/kvm', 'include', 'arch/x86/include'], jobs: 2, cache: false });
  }, 600_000);

  it('vmx_handle_exit -> handle_io through kvm_vmx_exit_handlers, bound by its designated initializer', () => {
    const { paths } = project.findPaths({ start: 'vmx_handle_exit', target: 'handle_io' });
    expect(paths.length).toBeGreaterThan(0);
    const last = paths[0]!.edges.at(-1)!;
    expect(`${last.from.name} -> ${last.to.name} ${last.kind}`).toBe('__vmx_handle_exit -> handle_io ops-initializer');
    expect(last.evidence!.map((e) => `${e.file} ${e.text}`)).toEqual(['arch/x86/kvm/vmx/vmx.c kvm_vmx_exit_handlers[EXIT_REASON_IO_INSTRUCTION] = handle_io']);
  });
});

/**
 * kthread() loads `create->threadfn` into a local and calls it; kthread_create_on_node(worker_thread, ...)
 * stores worker_thread there through __kthread_create_on_node's parameter (issue 12, kind 4).
 */
describe.skipIf(!tree)('Linux 6.1 calls through a local loaded from a member', () => {
  let project: Project;

  beforeAll(async () => {
    project = await openTree({ root: tree!, paths: ['kernel', 'include', 'arch/x86/include'], jobs: 2, cache: false });
  }, 600_000);

  it('kthread -> worker_thread through threadfn = create->threadfn, bound by the param-to-field store', () => {
    const { paths } = project.findPaths({ start: 'kthread', target: 'worker_thread' });
    expect(paths.length).toBeGreaterThan(0);
    const edge = paths[0]!.edges[0]!;
    expect(`${edge.from.name} -> ${edge.to.name} ${edge.kind}`).toBe('kthread -> worker_thread param-to-field');
    const texts = edge.evidence!.map((e) => `${e.file} ${e.text}`);
    expect(texts).toContain('kernel/kthread.c threadfn = create->threadfn in kthread');
    expect(texts.some((t) => /worker_thread passed by .* stored in struct kthread_create_info\.threadfn by __kthread_create_on_node/.test(t))).toBe(true);
  });
});
