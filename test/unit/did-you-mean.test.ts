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
});
