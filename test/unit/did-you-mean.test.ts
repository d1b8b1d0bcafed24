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
});
