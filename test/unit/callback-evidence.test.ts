import { describe, expect, it } from 'vitest';
import { callbackEvidenceText, callbackUser } from '../../src/resolve/callback-evidence.js';

describe('callback-arg evidence text', () => {
  it('reads back the function that calls the callback and where, with and without wrappers passing it on', () => {
    const direct = callbackEvidenceText('__driver_attach', 'bus_for_each_dev', 'bus_for_each_dev', undefined, 'drivers/base/bus.c:17');
    expect(direct).toBe('__driver_attach passed to bus_for_each_dev, which calls it (drivers/base/bus.c:17)');
    expect(callbackUser(direct)).toEqual({ user: 'bus_for_each_dev', where: 'drivers/base/bus.c:17' });
    const wrapped = callbackEvidenceText('struct job.cb', 'queue_it', 'run_work', ['__queue', 'queue_on'], 'kernel/workqueue.c:88');
    expect(wrapped).toBe('struct job.cb passed to queue_it, which passes it on through __queue, queue_on to run_work, which calls it (kernel/workqueue.c:88)');
    expect(callbackUser(wrapped)).toEqual({ user: 'run_work', where: 'kernel/workqueue.c:88' });
  });

  it('other evidence texts name no user', () => {
    expect(callbackUser('.sendmsg = inet_sendmsg in struct proto_ops inet_stream_ops')).toBeNull();
    expect(callbackUser('tick passed by run_local to keep, stored in struct holder.saved by keep (args.c:27)')).toBeNull();
  });
});
