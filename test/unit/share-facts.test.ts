import { describe, expect, it } from 'vitest';
import { FactSharer } from '../../src/index/share-facts.js';
import type { FileFacts } from '../../src/types/facts.js';
import { fixtureFactsHandedOver } from '../support/fixture-facts.js';

const netdev = { k: 'type', name: 'struct net_device' } as const;

/** Facts of one file as the parse workers hand them over (from JSON: no two values are one object). */
function handedOver(path: string, arg: string): FileFacts {
  const facts: FileFacts = {
    path,
    hash: 'h',
    parseErrors: 0,
    functions: [
      {
        name: `poll_${arg}`,
        line: 3,
        endLine: 9,
        isStatic: true,
        signature: `static void poll_${arg}(struct net_device *dev)`,
        returns: 'void',
        params: [{ name: 'dev', type: 'struct net_device' }],
        calls: [
          { line: 5, col: 2, field: 'ndo_poll_controller', recv: { k: 'field', of: netdev, field: 'netdev_ops' }, args: ['dev'] },
          { line: 6, col: 2, name: 'run', args: ['dev'], argMembers: [{ arg: 0, root: netdev, field: 'cb' }], refs: [null, { root: netdev, path: ['priv', 'cb'] }] },
          { line: 7, col: 2, name: 'run', args: [arg] },
        ],
      },
    ],
    macros: [{ name: 'M', line: 1, params: ['a', 'b'], calls: [{ line: 1, col: 20, name: 'run', args: ['a'] }] }],
    structs: [],
    typedefs: [],
    globals: [],
    prototypes: [],
    bindings: [{ line: 12, root: netdev, path: ['netdev_ops'], fn: `ops_${arg}`, how: 'assign', from: { root: netdev, path: ['ops'] }, call: { args: ['dev'] } }],
    includes: [],
    fieldAliases: [],
  };
  return JSON.parse(JSON.stringify(facts)) as FileFacts;
}

describe('FactSharer', () => {
  it('makes equal argument lists, type expressions, parameters and member paths one frozen object across files, and leaves the facts equal', () => {
    const sharer = new FactSharer();
    const a = handedOver('drivers/net/a.c', 'x');
    const b = handedOver('drivers/net/b.c', 'y');
    sharer.file(a);
    sharer.file(b);
    expect(JSON.stringify(a)).toBe(JSON.stringify(handedOver('drivers/net/a.c', 'x')));
    expect(JSON.stringify(b)).toBe(JSON.stringify(handedOver('drivers/net/b.c', 'y')));
    const [fa, fb] = [a.functions[0]!, b.functions[0]!];
    expect(fb.params).toBe(fa.params);
    expect(fb.calls[0]!.args).toBe(fa.calls[0]!.args);
    expect(fb.calls[1]!.args).toBe(fa.calls[0]!.args);
    expect(fb.calls[0]!.recv).toBe(fa.calls[0]!.recv);
    // A nested type expression, a member argument's type and a binding's root are one object.
    const root = fa.calls[1]!.argMembers![0]!.root;
    expect(fa.calls[0]!.recv!.k === 'field' && fa.calls[0]!.recv!.of).toBe(root);
    expect(b.bindings[0]!.root).toBe(root);
    expect(b.bindings[0]!.from!.root).toBe(root);
    expect(fb.calls[1]!.refs).toBe(fa.calls[1]!.refs);
    expect(b.bindings[0]!.call!.args).toBe(fa.calls[0]!.args);
    expect(b.macros[0]!.params).toBe(a.macros[0]!.params);
    // Different values stay apart; the calls and functions holding them are never shared.
    expect(fb.calls[2]!.args).not.toBe(fa.calls[2]!.args);
    expect(fb.calls[0]).not.toBe(fa.calls[0]);
    // Shared values are frozen: changing one would change every fact holding it.
    expect(Object.isFrozen(fa.calls[0]!.args) && Object.isFrozen(root) && Object.isFrozen(fa.params[0])).toBe(true);
    expect(() => (fa.calls[0]!.args as string[]).push('more')).toThrow(TypeError);
  });

  it('interns the long strings of the facts in the same walk: those inside shared values and the others', () => {
    const strings = new Map<string, string>();
    const sharer = new FactSharer(strings);
    const a = handedOver('drivers/net/a.c', 'x');
    sharer.file(a);
    sharer.file(handedOver('drivers/net/b.c', 'y'));
    // Inside shared values (a type expression's name, a parameter's type), and in calls' own fields (the member called).
    expect(strings.has('struct net_device') && strings.has('ndo_poll_controller')).toBe(true);
    // Texts nearly always unique are not hashed, nor short ones.
    expect(strings.has('drivers/net/a.c') || strings.has(a.functions[0]!.signature) || strings.has('dev')).toBe(false);
    expect(JSON.stringify(a)).toBe(JSON.stringify(handedOver('drivers/net/a.c', 'x')));
  });

  it('shares a type expression that is a member of a shared one, and keeps kinds with equal names apart', () => {
    const sharer = new FactSharer();
    const a = handedOver('drivers/net/a.c', 'x');
    a.bindings.push({ line: 13, root: { k: 'global', name: 'struct net_device' }, path: [], fn: 'g', how: 'assign' });
    a.bindings.push({ line: 14, root: { k: 'ret', fn: 'struct net_device' }, path: [], fn: 'g', how: 'assign' });
    sharer.file(a);
    const [type, global, ret] = a.bindings.map((b) => b.root);
    expect(new Set([type, global, ret]).size).toBe(3);
    expect(JSON.stringify([global, ret])).toBe('[{"k":"global","name":"struct net_device"},{"k":"ret","fn":"struct net_device"}]');
  });

  it('keeps apart parameters that differ only in being function pointers or in what else they hold, and references from member arguments', () => {
    const sharer = new FactSharer();
    const a = handedOver('drivers/net/a.c', 'x');
    const fn = a.functions[0]!;
    const params = [
      { name: 'dev', type: 'struct net_device' },
      { name: 'dev', type: 'struct net_device', fnptr: true },
      { name: 'dev', type: 'struct net_device', fnptr: true, params: ['int'] },
    ];
    a.functions.push({ ...fn, name: 'other', params: JSON.parse(JSON.stringify(params)), calls: [] }, { ...fn, name: 'again', params: JSON.parse(JSON.stringify(params)), calls: [] });
    a.bindings.push({ line: 20, root: { k: 'type', name: 'struct net_device' }, path: ['netdev_ops'], fn: 'g', how: 'assign', from: { root: { k: 'type', name: 'struct net_device' }, path: ['priv', 'cb'] } });
    const json = JSON.stringify(a);
    sharer.file(a);
    expect(JSON.stringify(a)).toBe(json);
    const [, other, again] = a.functions;
    expect(new Set(other!.params).size).toBe(3);
    expect(other!.params[0]).toBe(fn.params[0]);
    expect(again!.params).toBe(other!.params);
    // A binding's source equal to a call's reference (the same root and path) is one object with it; another source is not.
    expect(a.bindings[1]!.from).toBe(fn.calls[1]!.refs![1]);
    expect(a.bindings[0]!.from).not.toBe(fn.calls[1]!.refs![1]);
  });

  it('leaves every fixture file\'s facts equal', () => {
    const sharer = new FactSharer();
    for (const { json, facts } of fixtureFactsHandedOver()) {
      sharer.file(facts);
      expect(JSON.stringify(facts)).toBe(json);
    }
  });
});
