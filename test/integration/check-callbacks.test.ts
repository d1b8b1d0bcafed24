import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { verifyClaims, type VerifyOptions } from '../../src/check/verify.js';
import { openTree, type Project } from '../../src/index.js';
import type { Claim } from '../../src/types/claims.js';
import { chain, claim } from '../support/claims.js';

/**
 * Steps through a callback parameter (fixtures/callback: bus_for_each_dev calls the function
 * driver_attach passes it; a wrapper passes count_one on to it). The model binds the parameter's
 * call at the caller that passes the function (a callback-arg edge driver_attach -> __driver_attach),
 * but a stack trace shows bus_for_each_dev calling __driver_attach, and that step holds.
 */
let tree: Project;
beforeAll(async () => {
  tree = await openTree({ root: join(import.meta.dirname, '../../fixtures/callback'), jobs: 1, cache: false });
});

const lines = (claims: Claim[], options: VerifyOptions = {}) => verifyClaims(tree, claims, ['doc.md'], options).findings.map((f) => `${f.severity}: ${f.message}`);

describe('check: a step through the caller\'s callback parameter', () => {
  it('a stack trace through the bus walk holds: driver_attach -> bus_for_each_dev -> __driver_attach', () => {
    expect(lines(chain(['driver_attach', 'bus_for_each_dev', '__driver_attach']))).toEqual([]);
  });

  it('the function that calls the callback holds also when a wrapper passed it on; the wrapper itself does not call it', () => {
    expect(lines(chain(['count_devices', 'for_each_dev_wrapped', 'bus_for_each_dev', 'count_one']))).toEqual([]);
    expect(lines([claim('for_each_dev_wrapped', 'count_one')])).toEqual([expect.stringMatching(/^error: for_each_dev_wrapped does not call count_one; /)]);
  });

  it('a callback no caller passes to the walk is no step of it', () => {
    expect(lines([claim('bus_for_each_dev', 'driver_attach')])).toEqual([expect.stringMatching(/^error: bus_for_each_dev does not call driver_attach; /)]);
  });

  it('a written file:line may name the call of the parameter or the callee; any other line is a warning that names the call', () => {
    expect(lines([claim('bus_for_each_dev', '__driver_attach', { site: { file: 'drivers/base/bus.c', line: 17 } })])).toEqual([]);
    expect(lines([claim('bus_for_each_dev', '__driver_attach', { site: { file: 'bus.c', line: 18 } })])).toEqual([
      'warning: bus_for_each_dev -> __driver_attach: bus.c:18 does not match; the call is at drivers/base/bus.c:17',
    ]);
  });

  it('the step is an indirect one: it breaks when indirect calls are not counted', () => {
    expect(lines([claim('bus_for_each_dev', '__driver_attach')], { filter: { noIndirect: true } })).toEqual([expect.stringMatching(/^error: bus_for_each_dev does not call __driver_attach; /)]);
  });
});

describe('explain: a call through the caller\'s own parameter', () => {
  it('names where the caller calls its parameter and each caller\'s edge that passes the callee in, through wrappers too', () => {
    const direct = explainEdge(tree, 'bus_for_each_dev', '__driver_attach');
    expect(direct.edges).toEqual([]);
    expect(direct.throughParameter.map((p) => [`${p.calledAt.file}:${p.calledAt.line}`, `${p.passed.from.name} -> ${p.passed.to.name}`, `${p.passed.file}:${p.passed.line}`, p.passed.kind])).toEqual([
      ['drivers/base/bus.c:17', 'driver_attach -> __driver_attach', 'drivers/base/dd.c:20', 'callback-arg'],
    ]);
    const wrapped = explainEdge(tree, 'bus_for_each_dev', 'count_one');
    expect(wrapped.throughParameter.map((p) => `${p.passed.from.name} -> ${p.passed.to.name}`)).toEqual(['count_devices -> count_one']);
    expect(wrapped.throughParameter[0]!.passed.evidence?.[0]?.text).toMatch(/passed to for_each_dev_wrapped, which passes it on to bus_for_each_dev, which calls it \(drivers\/base\/bus\.c:17\)$/);
  });

  it('the wrapper that only passes the callee on lists where it passes it on and the function that calls it, and no call of its own', () => {
    const wrapper = explainEdge(tree, 'for_each_dev_wrapped', 'count_one');
    expect(wrapper.edges).toEqual([]);
    expect(wrapper.throughParameter).toEqual([]);
    expect(wrapper.passedOn.map((p) => [p.user, `${p.calledAt.file}:${p.calledAt.line}`, `${p.passed.from.name} -> ${p.passed.to.name}`, p.passed.kind])).toEqual([
      ['bus_for_each_dev', 'drivers/base/bus.c:17', 'count_devices -> count_one', 'callback-arg'],
    ]);
    // The function that calls it gets the call, not a pass-on.
    expect(explainEdge(tree, 'bus_for_each_dev', 'count_one').passedOn).toEqual([]);
  });

  it('a caller with an edge of its own lists no such call', () => {
    const own = explainEdge(tree, 'driver_attach', '__driver_attach');
    expect(own.edges.map((e) => e.kind)).toEqual(['callback-arg']);
    expect(own.throughParameter).toEqual([]);
  });
});
