import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openTree, type Project } from '../../src/index.js';
import { calleeKinds } from '../support/callees.js';

/**
 * fixtures/signature: the signature fallback (issue 12, kind 8). Candidates are the functions
 * whose address is taken anywhere (passed as an argument, stored in a local), matched on the
 * pointer's declared parameter and return types, not on arity alone.
 */
let project: Project;
beforeAll(async () => {
  project = await openTree({ root: join(import.meta.dirname, '../../fixtures/signature'), jobs: 1, cache: false });
});

describe('the signature fallback on declared types', () => {
  it('binds a member of a known struct nothing binds to the address-taken functions of its declared type', () => {
    // rx_slow takes pkt_t, a typedef of struct pkt; rx_unused is never taken; rx_other and rx_int
    // clash on a parameter, rx_void on its return; rx_ptr returns `void *`, which the facts keep as `void`.
    expect(calleeKinds(project, 'run_member')).toEqual(['rx_fast signature', 'rx_ptr signature', 'rx_slow signature']);
  });

  it('uses a local pointer\'s declaration when no argument is typed', () => {
    expect(calleeKinds(project, 'run_local')).toEqual(['rx_fast signature', 'rx_ptr signature', 'rx_slow signature']);
  });

  it('binds a file-scope pointer no store binds by its declared type, wherever it is declared', () => {
    // rx_default is declared `extern int (*rx_default)(pkt_t *p, int len)` in pkt.h.
    expect(calleeKinds(project, 'run_global')).toEqual(['rx_fast signature', 'rx_ptr signature', 'rx_slow signature']);
    expect(calleeKinds(project, 'run_hook')).toEqual(['rx_fast signature', 'rx_ptr signature', 'rx_slow signature']);
  });

  it('guesses nothing for a pointer whose type has no struct to agree on', () => {
    expect(calleeKinds(project, 'run_done')).toEqual([]);
  });

  // A new user read `int (*)(struct net_device)` as the declared type itself, taking a struct by value: the base types are no C type and are not printed as one.
  it('says in the evidence which declared type agreed', () => {
    const { index, edges } = project;
    const from = project.nodes('run_member')[0]!;
    const texts: string[] = [];
    for (let e = 0; e < edges.length; e++) {
      if (edges.from.get(e) !== from) continue;
      for (const ev of edges.evidenceOf(e, index.file(edges.to.get(e)))) texts.push(`${ev.file}:${ev.line} ${ev.text}`);
    }
    expect(texts.sort()).toEqual([
      'hooks.c:10 defined here, a function whose address is taken; its base types agree with the declared pointer type: it returns int and takes struct pkt, int (pointers not compared)',
      'hooks.c:4 defined here, a function whose address is taken; its base types agree with the declared pointer type: it returns int and takes struct pkt, int (pointers not compared)',
      'hooks.c:61 defined here, a function whose address is taken; its base types agree with the declared pointer type: it returns int and takes struct pkt, int (pointers not compared)',
    ]);
  });
});
