import { describe, expect, it } from 'vitest';
import { arityFits, encodeQuery, type FunctionProfile, fitsQuery, fitsTags, isVariadic, profileOf } from '../../src/resolve/fallback-query.js';
import type { FunctionFact } from '../../src/types/facts.js';

/** A function fact with these parameter types (`fn` marks a function-pointer parameter) and return type. */
function fact(name: string, returns: string, params: string[], variadic = false, pointerReturn = false): FunctionFact {
  const list = params.map((t, i) => `${t === 'fn' ? 'int (*p)(int)' : `${t} *p${i}`}`).join(', ');
  return {
    name,
    returns,
    params: params.map((t, i) => (t === 'fn' ? { name: `p${i}`, type: 'int', fnptr: true } : { name: `p${i}`, type: t })),
    signature: `${returns} ${pointerReturn ? '*' : ''}${name}(${list}${variadic ? ', ...' : ''})`,
  } as unknown as FunctionFact;
}

/** Struct tags of a small tree: two structs, a typedef of one of them, and a scalar typedef. */
const TAGS = new Map([
  ['struct sk_buff', 'struct sk_buff'],
  ['struct net_device', 'struct net_device'],
  ['skb_t', 'struct sk_buff'],
  ['netdev_tx_t', ''],
  ['int', ''],
]);
const tagOf = (t: string): string | null => TAGS.get(t) ?? null;
const side = (raw: string): { tag: string; raw: string } => ({ tag: raw === '' || raw === 'void' ? '' : (TAGS.get(raw) ?? ''), raw });
const profile = (f: FunctionFact): FunctionProfile => profileOf(f, tagOf)!;

describe('signature fallback queries', () => {
  const xmit = encodeQuery({ returns: side('netdev_tx_t'), params: [side('struct sk_buff'), side('struct net_device')] }, ['', ''])!;

  it('lists a function whose parameters are the declared structs, through typedefs', () => {
    expect(fitsQuery(xmit, profile(fact('a', 'netdev_tx_t', ['struct sk_buff', 'struct net_device'])))).toBe(0);
    expect(fitsQuery(xmit, profile(fact('b', 'int', ['skb_t', 'struct net_device'])))).toBe(0);
  });

  it('does not list a function with another struct, another arity, or variadic', () => {
    expect(fitsQuery(xmit, profile(fact('c', 'int', ['struct net_device', 'struct net_device'])))).toBe(-1);
    expect(fitsQuery(xmit, profile(fact('d', 'int', ['struct sk_buff'])))).toBe(-1);
    expect(fitsQuery(xmit, profile(fact('e', 'int', ['struct sk_buff', 'struct net_device'], true)))).toBe(-1);
  });

  it('does not list a void function for a pointer declared to return a named type, but lists void *', () => {
    expect(fitsQuery(xmit, profile(fact('f', 'void', ['struct sk_buff', 'struct net_device'])))).toBe(-1);
    expect(fitsQuery(xmit, profile(fact('g', 'void', ['struct sk_buff', 'struct net_device'], false, true)))).toBe(0);
  });

  it('rules out a named scalar against a declared struct, not void or a function pointer', () => {
    const q = encodeQuery({ returns: side('int'), params: [side('struct sk_buff'), side('struct net_device')] }, ['', ''])!;
    expect(fitsQuery(q, profile(fact('h', 'int', ['struct sk_buff', 'int'])))).toBe(-1);
    expect(fitsQuery(q, profile(fact('i', 'int', ['struct sk_buff', 'void'])))).toBe(0);
    expect(fitsQuery(q, profile(fact('j', 'int', ['struct sk_buff', 'fn'])))).toBe(0);
  });

  it('checks the call\'s argument structs against the parameters', () => {
    const q = encodeQuery({ returns: side('int'), params: [side('struct sk_buff'), side('void')] }, ['', 'struct sk_buff'])!;
    expect(fitsQuery(q, profile(fact('k', 'int', ['struct sk_buff', 'struct net_device'])))).toBe(-1);
    expect(fitsQuery(q, profile(fact('l', 'int', ['struct sk_buff', 'int'])))).toBe(0);
  });

  it('agreement: needs an argument struct at a parameter, lists variadic functions in the second group', () => {
    const q = encodeQuery(null, ['struct sk_buff', ''])!;
    expect(fitsQuery(q, profile(fact('m', 'int', ['struct sk_buff', 'int'])))).toBe(0);
    expect(fitsQuery(q, profile(fact('n', 'int', ['void', 'int'])))).toBe(-1);
    expect(fitsQuery(q, profile(fact('o', 'int', ['struct sk_buff'], true)))).toBe(1);
    expect(fitsQuery(q, profile(fact('p', 'int', ['struct net_device', 'int'])))).toBe(-1);
  });

  it('keeps no query that no function can answer, and no profile of a type never read', () => {
    expect(encodeQuery(null, ['', ''])).toBeNull();
    expect(encodeQuery({ returns: side('int'), params: [side('int')] }, [''])).toBeNull();
    expect(profileOf(fact('q', 'int', ['struct unknown_thing']), tagOf)).toBeNull();
  });

  it('tells by arity alone only what fitsQuery would refuse: every listed function passes, others of another arity fail', () => {
    const types = ['struct sk_buff', 'struct net_device', 'skb_t', 'int', 'void', 'fn'];
    const queries = [
      xmit,
      encodeQuery(null, ['struct sk_buff', ''])!,
      encodeQuery(null, ['', 'struct net_device', 'struct sk_buff'])!,
      encodeQuery({ returns: side('int'), params: [side('struct net_device')] }, ['struct net_device'])!,
    ];
    let listed = 0;
    let refusedByArity = 0;
    for (const q of queries) {
      for (let n = 0; n <= 3; n++) {
        for (const variadic of [false, true]) {
          for (let k = 0; k < types.length ** n; k++) {
            const params = Array.from({ length: n }, (_, i) => types[Math.floor(k / types.length ** i) % types.length]!);
            const f = fact('f', 'int', params, variadic);
            const fits = fitsQuery(q, profile(f)) >= 0;
            const arity = arityFits(q, f.params.length, isVariadic(f));
            if (fits) {
              listed++;
              expect(arity, `${q} ${f.signature}`).toBe(true);
            }
            if (!arity) refusedByArity++;
          }
        }
      }
    }
    expect(listed).toBeGreaterThan(10);
    expect(refusedByArity).toBeGreaterThan(100);
  });
});

/** The field-name fallback's narrowing as the patch asks it (patch-field-names.ts), without the type model. */
describe('field-name fits by argument tags', () => {
  it('takes a function whose parameters are the arguments\' structs, through typedefs, and none of another struct or arity', () => {
    expect(fitsTags(fact('a', 'int', ['skb_t', 'struct net_device']), ['struct sk_buff', 'struct net_device'], tagOf)).toBe(true);
    expect(fitsTags(fact('b', 'int', ['struct net_device', 'struct net_device']), ['struct sk_buff', ''], tagOf)).toBe(false);
    expect(fitsTags(fact('c', 'int', ['struct sk_buff']), ['struct sk_buff', ''], tagOf)).toBe(false);
  });

  it('lets an unknown argument, a scalar, void and a function pointer parameter match anything', () => {
    expect(fitsTags(fact('d', 'int', ['int', 'void']), ['struct sk_buff', 'struct net_device'], tagOf)).toBe(true);
    expect(fitsTags(fact('e', 'int', ['fn', 'struct net_device']), ['struct sk_buff', ''], tagOf)).toBe(true);
  });

  it('takes a variadic function with at least its parameters, and says when it never read a type it must compare', () => {
    expect(fitsTags(fact('f', 'int', ['struct sk_buff'], true), ['struct sk_buff', 'struct net_device'], tagOf)).toBe(true);
    expect(fitsTags(fact('g', 'int', ['struct sk_buff', 'struct never_read']), ['', 'struct net_device'], tagOf)).toBeNull();
    // A type at a position whose argument is unknown is not compared, so not needed.
    expect(fitsTags(fact('h', 'int', ['struct sk_buff', 'struct never_read']), ['struct sk_buff', ''], tagOf)).toBe(true);
  });
});
