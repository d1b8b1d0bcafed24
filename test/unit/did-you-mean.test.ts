import { describe, expect, it } from 'vitest';
import { closestNames, editDistance } from '../../src/util/did-you-mean.js';

describe('did you mean', () => {
  it('counts a UTF-8 letter as one edit', () => {
    expect(editDistance('cafe', 'café')).toBe(1);
    expect(editDistance('cafè', 'café')).toBe(1);
    expect(closestNames('cafe', ['café', 'cage_free', 'thé'])).toEqual(['café']);
  });

  it('breaks ties in code-unit order, the same in every locale', () => {
    // A Swedish collation puts ä after z, an English one beside a: neither may decide the output.
    expect(closestNames('zz', ['zä', 'zb', 'za', 'zB'])).toEqual(['zB', 'za', 'zb']);
    expect(closestNames('zz', ['zä', 'zb', 'za', 'zB'], 4)).toEqual(['zB', 'za', 'zb', 'zä']);
  });

  it('suggests a name inside the one wanted only when it is at least half as long: words of a long name are no suggestions', () => {
    const names = ['after', 'CALL', 'AL', 'entry_SYSCALL_64', 'do_syscall_64'];
    expect(closestNames('entry_SYSCALL_64_after_hwframe', names)).toEqual(['entry_SYSCALL_64']);
    expect(closestNames('tcp_sendms', ['tcp_sendmsg', 'tcp'])).toEqual(['tcp_sendmsg']);
  });

  it('offers nothing far-fetched for a name of one or two letters: almost every name contains them or is two edits away', () => {
    const names = ['drv_tx', 'xmit_one', 'to_txq_info', 'ca', 'Maj', '__a', 'ab'];
    expect(closestNames('x', names)).toEqual([]);
    expect(closestNames('a', names)).toEqual([]);
    // Two letters: one edit at most, and no name merely containing them.
    expect(closestNames('tx', names)).toEqual([]);
    expect(closestNames('cb', names)).toEqual(['ab', 'ca']);
    // Longer names keep their suggestions.
    expect(closestNames('wrte', ['write', 'rt'])[0]).toBe('write');
    expect(closestNames('irq', ['do_irq', 'iq'])).toEqual(['do_irq', 'iq']);
    expect(closestNames('kmaloc', ['kmalloc', 'vmalloc'])).toEqual(['kmalloc', 'vmalloc']);
  });
});
