import { describe, it } from 'vitest';
import { editFile, type EditStep, expectEachPatched, expectResolvedInFull, indexedCopy } from '../support/edit-files.js';

/**
 * Functions renamed when they were the only callback a call through a member reached, and
 * functions put in another place in their file (fixtures/incr/nested, fixtures/incr/locals). A
 * renamed callback leaves its call site with no edge: the new ones go where a resolution adds them
 * among the caller's edges (caller-phases.ts placesAmongCallers). A function moved keeps its node,
 * renumbered where it now stands (function-pairs.ts), with its edges; the calls by name go back to
 * caller order (caller-phases.ts callersInOrder). Each step is compared with a fresh index of the
 * edited tree.
 */

const OPEN = 'static int drv_a_open(struct nic *n)\n{\n\treturn 0;\n}\n\n';
const STOP = 'static int drv_a_stop(struct nic *n)\n{\n\treturn 0;\n}\n\n';
const NIC_UP = 'int nic_up(struct nic *n)\n{\n\treturn n->ops.open(n);\n}\n\n';

/** Each case is a list of states, each reached by its steps; every state reached must be patched and equal a fresh index. */
type Case = [what: string, fixture: string, states: EditStep[][]];

const KICK = 'void dev_kick(struct dev *d)\n{\n\td->cb(d);\n}\n\n';
const LIMIT = 'u32 drv_limit(struct dev *d)\n{\n\tu32 limit;\n\n\tlimit = d->limit;\n\tif (limit > DEV_MAX)\n\t\tlimit = DEV_MAX;\n\treturn dev_note(d, limit);\n}\n';

const PATCHED: Case[] = [
  ["a member's only callback renamed, and back", 'incr/nested', [
    [['drv_a.c', 'drv_a_reset(struct', 'drv_a_reinit(struct'], ['drv_a.c', '= drv_a_reset;', '= drv_a_reinit;']],
    [['drv_a.c', 'drv_a_reinit(struct', 'drv_a_reset(struct'], ['drv_a.c', '= drv_a_reinit;', '= drv_a_reset;']],
  ]],
  // drv_a_open is both an initializer's only callback and a member assignment's.
  ["an initializer's only callback renamed with its assignment", 'incr/nested', [[['drv_a.c', 'int drv_a_open(struct', 'int drv_a_up(struct'], ['drv_a.c', '.open = drv_a_open,', '.open = drv_a_up,'], ['drv_a.c', 'ops.open = drv_a_open;', 'ops.open = drv_a_up;']]]],
  ['two functions bound to members swapped, and back', 'incr/nested', [[['drv_a.c', `${OPEN}${STOP}`, `${STOP}${OPEN}`]], [['drv_a.c', `${STOP}${OPEN}`, `${OPEN}${STOP}`]]]],
  // dev_poke calls d->cb too: the moved call site's edges are those of a call site the graph keeps (add-member-sites.ts).
  ['a function calling through a member moved to the top of its file, and back', 'incr/locals', [
    [['core.c', KICK, ''], ['core.c', '/* Loads the callback', `${KICK}/* Loads the callback`]],
    [['core.c', KICK, ''], ['core.c', 'void dev_poke', `${KICK}void dev_poke`]],
  ]],
  // nic_up is the only call site of nic_ops.open: it keeps its node and its edges, renumbered.
  ['the only call through a member moved with its function', 'incr/nested', [[['core.c', NIC_UP, ''], ['core.c', 'int phy_up', `${NIC_UP}int phy_up`]]]],
  ['a function with local stores and calls by name moved to the top of its file, then renamed', 'incr/locals', [
    [['drv.c', `\n${LIMIT}`, ''], ['drv.c', 'static void drv_cb(', `${LIMIT}\nstatic void drv_cb(`]],
    [['drv.c', 'u32 drv_limit(', 'u32 drv_cap(']],
  ]],
];

describe('functions renamed or moved', () => {
  for (const [what, fixture, states] of PATCHED) {
    it(`patches ${what}`, async () => {
      const { root, cache } = await indexedCopy(fixture, 'pathfind-incr-moves-', {});
      // The steps of a state make trees no one writes (a definition renamed, its binding not yet): only the state each ends in is compared and asked to be patched.
      for (const steps of states) {
        for (const step of steps.slice(0, -1)) editFile(root, ...step);
        await expectEachPatched(root, cache, steps.slice(-1));
      }
    });
  }

  const FULL: [string, EditStep[], RegExp][] = [
    // hrtimer_run loads timer->function into a local and calls it: where such a site's edges go among its caller's is not kept.
    ['the only callback of a member loaded into a local renamed', [['drv_a.c', 'drv_a_watchdog(struct', 'drv_a_tick(struct'], ['drv_a.c', '= drv_a_watchdog;', '= drv_a_tick;']], /loads a changed member and had no edge in the cached graph/],
  ];
  it('resolves in full, naming the functions moved and what moved with them, after two functions calling through locals are swapped', async () => {
    const CALLS = 'void calls_a(struct dev *d)\n{\n\tvoid (*fn)(struct dev *d);\n\n\tfn = d->cb;\n\tfn(d);\n}\n\nvoid calls_b(struct dev *d)\n{\n\tvoid (*fn)(struct dev *d);\n\n\tfn = d->saved;\n\tfn(d);\n}\n';
    const { root, cache } = await indexedCopy('incr/locals', 'pathfind-incr-moves-', { 'calls.c': `#include "dev.h"\n\n${CALLS}` });
    const [a, b] = CALLS.split('\n\nvoid calls_b');
    editFile(root, 'calls.c', CALLS, `void calls_b${b}\n${a}\n`);
    // The stores into the called locals moved with their functions, in the other order: the words name those, not the file's other facts.
    await expectResolvedInFull(root, cache, /^.*calls\.c: it changed copies of members or pointer variables \(functions put in another place: calls_(a|b)\)/m);
  });

  for (const [what, steps, reason] of FULL) {
    it(`resolves in full after ${what}`, async () => {
      const { root, cache } = await indexedCopy('incr/nested', 'pathfind-incr-moves-', {});
      for (const step of steps) editFile(root, ...step);
      await expectResolvedInFull(root, cache, reason);
    });
  }
});

describe('a move after a store the plan leaves out', () => {
  // Found by a new-user try: a function moved, a store of an int parameter added to another (left out of the plan's diff, so "the graph is
  // unchanged"), then that function moved above an ops table: the table's bindings were read one binding off, bound to the next member's function.
  it('binds an ops table as a fresh index does', async () => {
    const OPS = [
      '#include "dev.h"',
      '',
      'struct ops_table {',
      '\tvoid (*open)(struct dev *d);',
      '\tvoid (*close)(struct dev *d);',
      '\tvoid (*kick)(struct dev *d);',
      '};',
      '',
      'void ops_run(const struct ops_table *o, struct dev *d)\n{\n\to->open(d);\n\to->close(d);\n\to->kick(d);\n}\n',
      'static void ops_open(struct dev *d)\n{\n\tdev_note(d, 1);\n}\n',
      'static void ops_close(struct dev *d)\n{\n\tdev_note(d, 2);\n}\n',
      'static void ops_kick(struct dev *d)\n{\n\tdev_note(d, 3);\n}\n',
      'static const struct ops_table ops_table = {\n\t.open = ops_open,\n\t.close = ops_close,\n\t.kick = ops_kick,\n};\n',
      'int ops_change(struct dev *d, int n)\n{\n\tif (n < 0)\n\t\treturn -1;\n\treturn 0;\n}\n',
      'int ops_probe(struct dev *d)\n{\n\td->cb = ops_kick;\n\treturn 0;\n}',
    ].join('\n');
    const { root, cache } = await indexedCopy('incr/locals', 'pathfind-incr-moves-', { 'ops.c': OPS });
    const CHANGE = 'int ops_change(struct dev *d, int n)\n{\n\tif (n < 0)\n\t\treturn -1;\n\treturn 0;\n}\n';
    const PROBE = 'int ops_probe(struct dev *d)\n{\n\td->cb = ops_kick;\n\treturn 0;\n}';
    const STORED = CHANGE.replace('\t\treturn -1;\n', '\t\treturn -1;\n\td->count = n;\n');
    await expectEachPatched(root, cache, [
      // ops_change is the file's last function: the store added to it moves no line, and only the binding indexes shift.
      ['ops.c', `${CHANGE}\n${PROBE}`, `${PROBE}\n${CHANGE.slice(0, -1)}`],
      ['ops.c', '\t\treturn -1;\n', '\t\treturn -1;\n\td->count = n;\n'],
    ]);
    editFile(root, 'ops.c', `\n${STORED.slice(0, -1)}`, '');
    // The binding record read one binding off would place the table's rows in the next members' slots: a retarget after shows it.
    await expectEachPatched(root, cache, [
      ['ops.c', 'static const struct ops_table', `${STORED}\nstatic const struct ops_table`],
      ['ops.c', '\t.close = ops_close,', '\t.close = ops_kick,'],
    ]);
  });
});
