import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTree } from '../../src/index.js';

/**
 * A user's finding on Linux 6.1: the step `expire_timers -> process_timeout` showed as its evidence
 * `fn = timer->function in expire_timers`, a load that names no function, and hid the registration
 * (schedule_timeout's timer_setup) among "+2 more bindings": both lie in kernel/time/timer.c and the
 * load comes first by line. The bindings that name the target come first in their group.
 */
describe('the order of an edge’s bindings', () => {
  it('puts the bindings naming the target before loads and passings of the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-evidence-order-'));
    mkdirSync(join(dir, 'kernel/time'), { recursive: true });
    writeFileSync(
      join(dir, 'kernel/time/timer.c'),
      [
        'struct timer_list {\n\tvoid (*function)(struct timer_list *);\n};\n',
        'void timer_setup(struct timer_list *t, void (*func)(struct timer_list *))\n{\n\tt->function = func;\n}\n',
        'static void call_timer_fn(struct timer_list *timer, void (*fn)(struct timer_list *))\n{\n\tfn(timer);\n}\n',
        'void expire_timers(struct timer_list *timer)\n{\n\tvoid (*fn)(struct timer_list *);\n\n\tfn = timer->function;\n\tcall_timer_fn(timer, fn);\n}\n',
        'static void process_timeout(struct timer_list *t)\n{\n}\n',
        'void schedule_timeout(struct timer_list *timer)\n{\n\ttimer_setup(timer, process_timeout);\n}\n',
      ].join('\n'),
    );
    const p = await openTree({ root: dir, jobs: 1, cache: false });
    // The step after the call of call_timer_fn (a step of its own): the callback step.
    const evidence = p.findPaths({ start: 'expire_timers', target: 'process_timeout' }).paths[0]!.edges.find((e) => e.kind === 'callback-arg')!.evidence!;
    expect(evidence.map((b) => b.text.split(' ')[0])).toEqual(['process_timeout', 'fn', 'fn']);
    expect(evidence.map((b) => b.line)).toEqual([29, 19, 20]);
  });
});
