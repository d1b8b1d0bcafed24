import { describe, expect, it } from 'vitest';
import { internLongStrings } from '../../src/index/intern-facts.js';
import type { FileFacts } from '../../src/types/facts.js';
import { fixtureFactsHandedOver } from '../support/fixture-facts.js';

/** Facts of one file as the parse workers hand them over: parsed from JSON, so every long string is a copy of its own. */
function handedOver(path: string): FileFacts {
  const cond = 'defined(CONFIG_NET_POLL_CONTROLLER)';
  const facts: FileFacts = {
    path,
    hash: 'h',
    parseErrors: 0,
    functions: [
      {
        name: 'driver_poll_controller',
        line: 3,
        endLine: 9,
        isStatic: true,
        signature: 'static void driver_poll_controller(struct net_device *dev)',
        returns: 'void',
        params: [{ name: 'dev', type: 'struct net_device' }],
        calls: [{ line: 5, col: 2, field: 'ndo_poll_controller', recv: { k: 'field', of: { k: 'type', name: 'struct net_device' }, field: 'netdev_ops' }, args: ['dev', 'spin_lock_irqsave_arg'] }],
        cond,
      },
    ],
    macros: [],
    structs: [],
    typedefs: [['netdev_features_t', 'unsigned long long']],
    globals: [],
    prototypes: [],
    bindings: [],
    includes: [{ path: 'linux/netdevice.h', system: true, line: 1, cond }],
    fieldAliases: [],
  };
  return JSON.parse(JSON.stringify(facts)) as FileFacts;
}

describe('internLongStrings', () => {
  it('keeps one copy of each long string of the repeating fields across files, reaching nested types and arrays, and leaves the facts equal', () => {
    const pool = new Map<string, string>();
    const a = handedOver('drivers/net/a.c');
    const b = handedOver('drivers/net/b.c');
    expect(internLongStrings(a, pool)).toBe(2); // the condition's second use, and the struct type's second use (param, recv)
    // Every long value of b's repeating fields was seen in a: the function's name and condition, the parameter's type, the member
    // called, its object's type, the long argument, the typedef's two names, the include's path and condition ('netdev_ops' and
    // shorter ones are left to JSON.parse).
    expect(internLongStrings(b, pool)).toBe(10);
    expect(b).toEqual(handedOver('drivers/net/b.c'));
    expect([...pool.keys()].every((s) => s.length > 10)).toBe(true);
    expect(pool.has('struct net_device') && pool.has('netdev_features_t') && pool.has('spin_lock_irqsave_arg') && pool.has('ndo_poll_controller')).toBe(true);
    // Texts nearly always unique are not hashed: the file's path, the signature.
    expect(pool.has('drivers/net/a.c') || pool.has('static void driver_poll_controller(struct net_device *dev)')).toBe(false);
    expect(pool.has('dev') || pool.has('void')).toBe(false);
  });

  it('leaves every fixture file\'s facts equal, and shares what repeats across them', () => {
    const pool = new Map<string, string>();
    let replaced = 0;
    for (const { json, facts } of fixtureFactsHandedOver()) {
      replaced += internLongStrings(facts, pool);
      expect(JSON.stringify(facts)).toBe(json);
    }
    expect(replaced).toBeGreaterThan(pool.size);
  });
});
