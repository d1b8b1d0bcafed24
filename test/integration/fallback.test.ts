import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { computeStats, openTree, openTreeReport, type Project } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { MAX_FALLBACK_TARGETS, MAX_SIGNATURE_TARGETS } from '../../src/resolve/narrow-fallback.js';
import { renderExplainText, renderStatsText } from '../../src/render/text.js';
import { calleeKinds } from '../support/callees.js';

/**
 * fixtures/fallback: `handle` bound in five structs of different shapes (many.c); seventy
 * drivers' `probe` (cap.c). Calls through receivers whose struct is unknown fall back on the
 * member's name, narrowed by the call's arguments and capped.
 */
const root = join(import.meta.dirname, '../../fixtures/fallback');

let project: Project;
beforeAll(async () => {
  project = await openTree({ root, jobs: 1, cache: false });
});

/** Names of the callees of `caller`, with the kind of each edge: `net_handle field-name`. */
const callees = (caller: string): string[] => calleeKinds(project, caller);

describe('the member-name fallback', () => {
  it('keeps only the candidates whose parameters fit the arguments (struct, typedef of it, void *; same arity)', () => {
    expect(callees('dispatch_unknown')).toEqual(['blk_handle field-name', 'misc_handle field-name', 'net_handle field-name']);
  });

  it('rules out by arity alone when the argument types are unknown', () => {
    expect(callees('dispatch_untyped')).toEqual(['blk_handle field-name', 'dev_handle field-name', 'misc_handle field-name', 'net_handle field-name']);
  });

  it('reads a struct tag written through a macro alias as the tag it stands for (`#define req_alias req`)', () => {
    // struct req_alias is struct req: dev_handle, taking a struct dev, is ruled out.
    expect(callees('dispatch_alias')).toEqual(['blk_handle field-name', 'misc_handle field-name', 'net_handle field-name']);
  });

  it('is not used when the receiver struct is known', () => {
    expect(callees('dispatch_known')).toEqual(['dev_handle ops-initializer']);
  });

  it(`makes no edge past ${MAX_FALLBACK_TARGETS} candidates, and explain reports the count`, () => {
    expect(callees('probe_all')).toEqual([]);
    const x = explainEdge(project, 'probe_all', 'probe_1');
    expect(x.edges).toEqual([]);
    expect(x.unresolved).toEqual([{ file: 'cap.c', line: 500, call: '->probe(...)', overCap: { fallback: 'field-name', candidates: 70, cap: MAX_FALLBACK_TARGETS } }]);
    expect(renderExplainText(x, { color: false })).toContain(`cap.c:500  ->probe(...)  70 candidates by member name, over the cap of ${MAX_FALLBACK_TARGETS}\n`);
  });

  it('a site no candidate fits is unresolved for want of a binding, not over the cap', () => {
    expect(callees('probe_req')).toEqual([]);
    expect(explainEdge(project, 'probe_req', 'probe_1').unresolved).toEqual([{ file: 'cap.c', line: 506, call: '->probe(...)' }]);
  });
});

describe('the signature fallback', () => {
  it('keeps the address-taken functions whose parameters take the very struct of an argument', () => {
    expect(callees('call_local')).toEqual(['blk_handle signature', 'net_handle signature']);
  });

  it(`makes no edge past ${MAX_SIGNATURE_TARGETS} candidates, and explain reports the count`, () => {
    expect(callees('probe_local')).toEqual([]);
    const x = explainEdge(project, 'probe_local', 'probe_1');
    expect(x.unresolved).toEqual([{ file: 'cap.c', line: 514, call: 'fp(...)', overCap: { fallback: 'signature', candidates: 71, cap: MAX_SIGNATURE_TARGETS } }]);
    expect(renderExplainText(x, { color: false })).toContain(`cap.c:514  fp(...)  71 candidates by signature, over the cap of ${MAX_SIGNATURE_TARGETS}\n`);
  });

  it('guesses nothing when no argument\'s struct is known: arity alone is no evidence', () => {
    expect(callees('call_untyped')).toEqual([]);
  });
});

describe('stats', () => {
  it('counts unresolved indirect sites by reason and the edges of each fallback', () => {
    const stats = computeStats(project);
    expect(stats.indirect.unresolvedByReason).toEqual({ noBinding: 2, overCap: 2 });
    expect(stats.indirect.unresolved).toBe(4);
    expect(stats.edges['field-name']).toBe(10);
    expect(stats.edges.signature).toBe(2);
    const text = renderStatsText(stats);
    expect(text).toMatch(/\n {2}no binding +2\n/);
    expect(text).toMatch(/\n {2}over a fallback cap +2\n/);
    // Unresolved sites by how they call: a member over the cap and one no candidate fits; a local pointer over the cap and one called with nothing typed (call_local binds by signature).
    const unresolved = Object.fromEntries(Object.entries(stats.indirect.bySite).map(([k, v]) => [k, v.unresolved]));
    expect(unresolved).toEqual({ member: 2, local: 2, global: 0, array: 0, wrapper: 0, expression: 0 });
    expect(text).toMatch(/\n {2}through a member +2 of \d+ \(\d+\.\d%\)\n/);
  });
});

describe('over the cap, after an edit', () => {
  it('an incremental re-index renumbers the site over the cap, as a full index would', async () => {
    const { dir, root: copy } = copyFixture('fallback', 'pathfind-fallback-');
    const cache = join(dir, 'cache');
    await openTreeReport({ root: copy, cache });
    const file = join(copy, 'cap.c');
    const text = readFileSync(file, 'utf8');
    // A simple call before the site: the body is patched, the site's index moves by one.
    writeFileSync(file, text.replace('\treturn ((struct unknown_bus *)bus)->probe(d);', '\tprobe_req(0, 0);\n\treturn ((struct unknown_bus *)bus)->probe(d);'));
    const { project: patched, report } = await openTreeReport({ root: copy, cache, facts: 'lazy' });
    expect(report).toMatchObject({ incremental: true });
    const fresh = await openTree({ root: copy, cache: false });
    expect(patched.edges.overCap).toEqual(fresh.edges.overCap);
    expect(explainEdge(patched, 'probe_all', 'probe_1').unresolved).toEqual([{ file: 'cap.c', line: 501, call: '->probe(...)', overCap: { fallback: 'field-name', candidates: 70, cap: MAX_FALLBACK_TARGETS } }]);
  });
});
