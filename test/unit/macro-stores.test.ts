import { describe, expect, it } from 'vitest';
import { macroFact } from '../../src/parse/extract-macros.js';
import { passedIdentifier } from '../../src/parse/macro-stores.js';

describe('macro call arguments', () => {
  it('strips parentheses, & and casts, and gives null for anything but one identifier', () => {
    expect(['(_func)', '&(x)', '(work_func_t)(fn)', '(struct s *)p', '&(_work)->work', 'a + b', '0', ''].map(passedIdentifier)).toEqual(['_func', 'x', 'fn', 'p', null, null, null, null]);
  });

  it('passes no name for the null pointer and the boolean constants, as the extractors read function calls', () => {
    expect(['NULL', '(void *)NULL', 'true', 'false', 'TRUE', 'FALSE', 'nullptr'].map(passedIdentifier)).toEqual([null, null, null, null, null, null, null]);
  });

  it('records the arguments of each call in a body, with commas and brackets inside literals ignored', () => {
    const m = macroFact('W', ['_work', '_func'], 'do { lockdep_init((_work), "(a,b)"#_work, (_func)); INIT_WORK(&(_work)->work, (_func)); } while (0)', 1, 1);
    expect(m.calls.map((c) => [c.name, c.args])).toEqual([
      ['lockdep_init', ['_work', null, '_func']],
      ['INIT_WORK', [null, '_func']],
    ]);
  });
});

describe('macro stores', () => {
  it('records stores of a parameter or a name into a member of a parameter, with the members and cast that type the holder', () => {
    const m = macroFact('S', ['t', 'fn'], 'do { \\\n (t)->flags = 0; (t)->function = (fn); t->next.cb = other_fn; ((struct h *)(t))->x = fn; } while (0)', 3, 3);
    expect(m.stores).toEqual([
      { holder: 0, path: ['function'], param: 1, line: 4, text: '(t)->function = (fn)' },
      { holder: 0, path: ['next', 'cb'], fn: 'other_fn', line: 4, text: 't->next.cb = other_fn' },
      { holder: 0, path: ['x'], param: 1, line: 4, text: '((struct h *)(t))->x = fn' },
    ]);
    expect(m.holders).toEqual([{ param: 0, cast: 'struct h', members: ['flags', 'function', 'next'] }]);
  });

  it('records no comparison, compound assignment, constant, NULL, or store into a non-parameter', () => {
    const m = macroFact('N', ['p', 'v'], '((p)->a == (v) || (p)->b += v, (p)->c = NULL, (p)->d = 1, local->e = v)', 1, 1);
    expect(m.stores).toBeUndefined();
    expect(m.holders).toBeUndefined();
  });
});
