import { beforeAll, describe, expect, it } from 'vitest';
import { openTree, type Project } from '../../src/index.js';

/**
 * The real-kernel tier for out-parameters (PATHFIND_LINUX: an unpacked Linux 6.1 tree): SMC
 * replaces a socket's callbacks through smc_clcsock_replace_cb(&clcsk->sk_data_ready,
 * smc_fback_data_ready, ...), which stores its parameter through the pointer it is given
 * (`*target_cb = new_cb`); a call of `sk->sk_data_ready(sk)` then reaches it (issue 12, kind 3).
 */
const tree = process.env.PATHFIND_LINUX;

describe.skipIf(!tree)('Linux 6.1 functions stored through an out-parameter', () => {
  let project: Project;

  beforeAll(async () => {
    project = await openTree({ root: tree!, paths: ['net/smc', 'net/core/sock.c', 'include', 'arch/x86/include'], jobs: 2, cache: false });
  }, 600_000);

  it('__sock_queue_rcv_skb -> smc_fback_data_ready through &clcsk->sk_data_ready filled by smc_clcsock_replace_cb', () => {
    const { paths } = project.findPaths({ start: '__sock_queue_rcv_skb', target: 'smc_fback_data_ready', maxDepth: 1 });
    expect(paths.length).toBe(1);
    const edge = paths[0]!.edges[0]!;
    expect(edge.kind).toBe('ops-assignment');
    expect(edge.evidence!.map((e) => `${e.file} ${e.text}`)).toEqual([
      'net/smc/af_smc.c smc_fback_data_ready stored into *target_cb by smc_clcsock_replace_cb (net/smc/smc.h:318), passed as &struct sock.sk_data_ready by smc_fback_replace_callbacks',
    ]);
  });
});
