import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openTree, type Project } from '../../src/index.js';
import type { PathsResult } from '../../src/types/results.js';
import { renderTreeText } from '../../src/render/text.js';

/**
 * A path through a function that calls its callback parameter (fixtures/callback: bus_for_each_dev
 * calls the function driver_attach passes it; for_each_dev_wrapped passes count_one on to it).
 * The model binds the parameter's call at the caller that passes the function (one callback-arg
 * edge driver_attach -> __driver_attach), but the function called between is a step of the chain
 * a stack trace shows, so a path names it, `--via` can name it, and a path may start at it.
 */
let tree: Project;
beforeAll(async () => {
  tree = await openTree({ root: join(import.meta.dirname, '../../fixtures/callback'), jobs: 1, cache: false });
});

/** Each step of the first path as `caller -> callee file:line kind`. */
const steps = (r: PathsResult): string[] => (r.paths[0]?.edges ?? []).map((e) => `${e.from.name} -> ${e.to.name} ${e.file}:${e.line} ${e.kind}`);

describe('a path through a function that calls its callback parameter', () => {
  it('names the function called between, at the call passing the callback, then its call of the parameter', () => {
    const r = tree.findPaths({ start: 'driver_attach', target: '__driver_attach' });
    expect(r.paths[0]!.nodes.map((n) => n.name)).toEqual(['driver_attach', 'bus_for_each_dev', '__driver_attach']);
    expect(steps(r)).toEqual(['driver_attach -> bus_for_each_dev drivers/base/dd.c:20 direct', 'bus_for_each_dev -> __driver_attach drivers/base/bus.c:17 callback-arg']);
    // The pointer step keeps its evidence and says where the callback was passed.
    const last = r.paths[0]!.edges[1]!;
    expect(last.evidence?.some((b) => /__driver_attach passed to bus_for_each_dev, which calls it/.test(b.text))).toBe(true);
    expect(last.passedAt).toEqual({ file: 'drivers/base/dd.c', line: 20, caller: 'driver_attach' });
  });

  it('names every wrapper that passes the callback on, each at its call', () => {
    const r = tree.findPaths({ start: 'count_devices', target: 'count_one' });
    expect(steps(r)).toEqual([
      'count_devices -> for_each_dev_wrapped drivers/base/dd.c:33 direct',
      'for_each_dev_wrapped -> bus_for_each_dev drivers/base/bus.c:24 direct',
      'bus_for_each_dev -> count_one drivers/base/bus.c:17 callback-arg',
    ]);
  });

  it('--via names the function called between, or a wrapper, and only on the chains that pass through it', () => {
    expect(steps(tree.findPaths({ start: 'driver_attach', target: '__driver_attach', via: ['bus_for_each_dev'] }))).toHaveLength(2);
    expect(steps(tree.findPaths({ start: 'count_devices', target: 'count_one', via: ['for_each_dev_wrapped'] }))).toHaveLength(3);
    expect(steps(tree.findPaths({ start: 'count_devices', target: 'count_one', via: ['for_each_dev_wrapped', 'bus_for_each_dev'] }))).toHaveLength(3);
    // Out of order, or a function this chain does not pass through: no path.
    expect(tree.findPaths({ start: 'count_devices', target: 'count_one', via: ['bus_for_each_dev', 'for_each_dev_wrapped'] }).paths).toEqual([]);
    expect(tree.findPaths({ start: 'driver_attach', target: '__driver_attach', via: ['for_each_dev_wrapped'] }).paths).toEqual([]);
  });

  it('--max-depth counts each function a callback step passes through as a call, as the path shows them', () => {
    expect(tree.findPaths({ start: 'count_devices', target: 'count_one', maxDepth: 2 }).paths).toEqual([]);
    expect(steps(tree.findPaths({ start: 'count_devices', target: 'count_one', maxDepth: 3 }))).toHaveLength(3);
    expect(steps(tree.findPaths({ start: 'bus_for_each_dev', target: 'count_one', maxDepth: 1 }))).toHaveLength(1);
  });

  it('starts at the function that calls its parameter: it reaches what any caller passes, and nothing else', () => {
    expect(steps(tree.findPaths({ start: 'bus_for_each_dev', target: '__driver_attach' }))).toEqual(['bus_for_each_dev -> __driver_attach drivers/base/bus.c:17 callback-arg']);
    expect(steps(tree.findPaths({ start: 'bus_for_each_dev', target: 'count_one' }))).toEqual(['bus_for_each_dev -> count_one drivers/base/bus.c:17 callback-arg']);
    // Each caller's callback once: not the one passed to another function.
    expect(tree.findPaths({ start: 'bus_for_each_dev', target: 'driver_attach' }).paths).toEqual([]);
  });
});

/**
 * A callees or callers tree keeps the callback-arg edge as one call of the caller that passes the
 * callback (a tree lists what each function's calls reach), but names the functions it passes
 * through, as a stack trace shows them: a review user read `callers tcp_keepalive_timer` on Linux
 * 6.1 and saw `expire_timers` call it, with no word of call_timer_fn.
 */
describe('a tree through a function that calls its callback parameter', () => {
  it('names the functions a callback-arg call passes through, with where the last calls its parameter', () => {
    const [callers] = tree.tree('__driver_attach', 1, 'callers');
    const item = callers!.root.children.find((c) => c.node.name === 'driver_attach')!;
    expect(item.edge?.kind).toBe('callback-arg');
    expect(item.edge?.through).toEqual([{ name: 'bus_for_each_dev', file: 'drivers/base/bus.c', line: 17 }]);
    const [callees] = tree.tree('count_devices', 1, 'callees');
    const wrapped = callees!.root.children.find((c) => c.node.name === 'count_one')!;
    expect(wrapped.edge?.through).toEqual([
      { name: 'for_each_dev_wrapped', file: 'drivers/base/bus.c', line: 24 },
      { name: 'bus_for_each_dev', file: 'drivers/base/bus.c', line: 17 },
    ]);
    // Other calls name nothing.
    expect(callees!.root.children.filter((c) => c.edge?.kind !== 'callback-arg').every((c) => c.edge?.through === undefined)).toBe(true);
  });

  // A review user's finding on Linux 6.1: pcie_do_recovery passes its report_* callbacks to pci_walk_bridge at eight calls, and
  // only the first was read through (the graph keeps one edge per caller and callee, at its first call): the others showed no
  // function between, and --via pci_walk_bridge found no path.
  it('reads the chain of a callback passed at a later call of the same function', () => {
    const [callees] = tree.tree('recover_devices', 1, 'callees');
    const through = (name: string) => callees!.root.children.find((c) => c.node.name === name)?.edge?.through;
    expect(through('freeze_one')).toEqual([{ name: 'bus_for_each_dev', file: 'drivers/base/bus.c', line: 17 }]);
    expect(through('resume_one')).toEqual([{ name: 'bus_for_each_dev', file: 'drivers/base/bus.c', line: 17 }]);
    const r = tree.findPaths({ start: 'recover_devices', target: 'resume_one' });
    expect(steps(r)).toEqual(['recover_devices -> bus_for_each_dev drivers/base/dd.c:53 direct', 'bus_for_each_dev -> resume_one drivers/base/bus.c:17 callback-arg']);
    expect(r.paths[0]!.edges[1]!.passedAt).toEqual({ file: 'drivers/base/dd.c', line: 53, caller: 'recover_devices' });
    expect(tree.findPaths({ start: 'recover_devices', target: 'resume_one', via: ['bus_for_each_dev'] }).paths[0]!.nodes.map((n) => n.name)).toEqual(['recover_devices', 'bus_for_each_dev', 'resume_one']);
  });

  it('says so in the text tree', () => {
    const text = renderTreeText(tree.tree('__driver_attach', 1, 'callers'), { color: false });
    expect(text).toMatch(/driver_attach {2}drivers\/base\/dd\.c:20 {2}\[through bus_for_each_dev, which calls it at drivers\/base\/bus\.c:17\] {2}\[callback-arg: /);
  });
});
