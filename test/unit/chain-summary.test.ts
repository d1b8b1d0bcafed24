import { describe, expect, it } from 'vitest';
import { chainSummary } from '../../src/render/text.js';
import type { EdgeRef, NodeRef } from '../../src/types/results.js';

const node = (name: string, file: string, ambiguous = false): NodeRef => ({ name, file, line: 1, ...(ambiguous ? { ambiguous: true as const } : {}) });
const edge = (from: NodeRef, to: NodeRef, kind = 'direct'): EdgeRef => ({ from, to, kind, file: from.file, line: 2 });

/**
 * A review user's finding: `check` said `call_timer_fn does not call e1000_watchdog; now
 * call_timer_fn -> e1000_watchdog` when the trace's `[e1000]` tag chose e1000's function and the
 * chain went to e1000e's: a name several functions share is told apart by its file, as text output does.
 */
describe('chainSummary', () => {
  it('names the file of a function whose name others share', () => {
    const timer = node('call_timer_fn', 'kernel/time/timer.c');
    const watchdog = node('e1000_watchdog', 'drivers/net/ethernet/intel/e1000e/netdev.c', true);
    expect(chainSummary([edge(timer, watchdog, 'callback-arg')])).toEqual({ text: 'call_timer_fn -> e1000_watchdog (drivers/net/ethernet/intel/e1000e/netdev.c)', pointers: 1 });
  });

  it('keeps a unique name bare', () => {
    expect(chainSummary([edge(node('a', 'x.c'), node('b', 'x.c'))]).text).toBe('a -> b');
  });
});
