import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { EDGE_KINDS } from '../../src/index.js';
import { JSON_VERSION } from '../../src/render/json.js';

/** Real CLI output, every JSON document kind, checked against schema/pathfind.schema.json. */
const schemaFile = join(import.meta.dirname, '../../schema/pathfind.schema.json');
const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as { $id: string; $defs: Record<string, { const?: number; properties?: Record<string, { enum?: string[] }> }> };
const minikernel = join(import.meta.dirname, '../../fixtures/minikernel');
const evidence = join(import.meta.dirname, '../../fixtures/evidence');
const fallback = join(import.meta.dirname, '../../fixtures/fallback');

type Check = ((doc: unknown) => boolean) & { errors?: unknown };
const validators = new Map<string, Check>();
beforeAll(() => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addSchema(schema);
  for (const kind of ['', 'pathsDocument', 'treesDocument', 'explainDocument', 'statsDocument']) {
    validators.set(kind, ajv.getSchema(kind ? `${schema.$id}#/$defs/${kind}` : schema.$id) as Check);
  }
});

/** Parses a CLI run's stdout and asserts it fits the schema of its kind (and the whole-file schema). */
function valid(kind: string, r: { stdout: string; stderr: string; code: number }, code = 0): Record<string, unknown> {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(code);
  const doc = JSON.parse(r.stdout) as Record<string, unknown>;
  for (const k of [kind, '']) {
    const check = validators.get(k)!;
    expect(check(doc), JSON.stringify((check.errors as unknown[] | null)?.slice(0, 3))).toBe(true);
  }
  expect(doc.version).toBe(JSON_VERSION);
  return doc;
}

/** Index caches of this run live here, not in the fixtures. */
const caches = mkdtempSync(join(tmpdir(), 'pathfind-schema-'));

/** The built CLI as a process, JSON output, its cache in a temporary folder. */
function on(tree: string, cache: string, ...args: string[]): { stdout: string; stderr: string; code: number } {
  const bin = join(import.meta.dirname, '../../bin/pathfind.js');
  const r = spawnSync(process.execPath, [bin, '-q', '--cache', join(caches, cache), '-C', tree, '--format', 'json', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

describe('JSON output against the JSON Schema', () => {
  it('the schema knows this version and every edge kind', () => {
    expect(schema.$defs.version!.const).toBe(JSON_VERSION);
    expect(schema.$defs.edge!.properties!.kind!.enum).toEqual([...EDGE_KINDS]);
  });

  it('paths: no path is an empty list of paths (exit 1, the message on stderr)', () => {
    const r = on(minikernel, 'mk', '-s', 'drv_wake_tx_queue', '-t', 'ksys_write');
    expect(r.stderr).toMatch(/^pathfind: no call path from drv_wake_tx_queue to ksys_write; drv_wake_tx_queue makes 1 pointer call pathfind does not bind/);
    expect(valid('pathsDocument', { ...r, stderr: '' }, 1).paths).toEqual([]);
  });

  it('paths: nodes and both edge ends carry their definitions, macros are marked', () => {
    const cache = 'mk';
    const doc = valid('pathsDocument', on(minikernel, cache, '-s', 'sys_write', '-t', 'tcp_sendmsg', '-k', '3'));
    const paths = doc.paths as { nodes: { name: string; file: string; line: number }[]; edges: { from: { name: string; file: string; line: number }; to: { name: string; file: string; line: number }; evidence?: unknown[] }[] }[];
    expect(paths.length).toBeGreaterThanOrEqual(1);
    for (const p of paths) {
      p.edges.forEach((e, i) => {
        expect(e.from).toEqual(p.nodes[i]);
        expect(e.to).toEqual(p.nodes[i + 1]);
      });
    }
    expect(paths.some((p) => p.edges.some((e) => e.evidence?.length))).toBe(true);
    // A callees tree's unresolved pointer calls, each with its caller.
    const unresolved = valid('treesDocument', on(minikernel, cache, 'callees', 'ksys_write', '--depth', '2'));
    expect((unresolved.trees as { unresolved?: { from: { name: string } }[] }[])[0]!.unresolved?.map((u) => u.from.name)).toEqual(['vfs_write']);
    const macros = valid('treesDocument', on(evidence, 'ev', 'callees', 'sock_send', '--depth', '1'));
    const edges = (macros.trees as { edges: { to: { name: string; macro?: true } }[] }[])[0]!.edges;
    expect(edges.find((e) => e.to.name === 'msg_len')?.to).toEqual({ name: 'msg_len', file: 'include/msg.h', line: 18, macro: true });
  });

  it('stats: lists the files with parse errors, with their counts', () => {
    const stats = valid('statsDocument', on(minikernel, 'mk', 'stats'));
    expect(stats.parseErrors).toEqual([{ path: 'drivers/misc/broken.c', count: 1 }]);
    expect(stats.filesWithParseErrors).toBe(1);
  });

  it('trees, explain, stats and index', () => {
    const cache = 'ev';
    const callers = valid('treesDocument', on(evidence, cache, 'callers', 'proto_send'));
    expect(callers.direction).toBe('callers');
    const explained = valid('explainDocument', on(evidence, cache, 'explain', 'sock_send', 'proto_send'));
    expect((explained.edges as { evidence: unknown[] }[])[0]!.evidence).toHaveLength(4);
    valid('explainDocument', on(evidence, cache, 'explain', 'proto_send', 'sys_send'), 1);
    const macroptr = join(import.meta.dirname, '../../fixtures/macroptr');
    expect(valid('explainDocument', on(macroptr, 'mp', 'explain', 'file_open_with', 'ext_open'), 1).ownParameterCalls).toEqual([{ file: 'fs/open.c', line: 23, call: 'open(...)', parameter: 'open' }]);
    expect(valid('explainDocument', on(macroptr, 'mp', 'explain', 'security_file_open', 'selinux_file_open'), 1).macroPointerCalls).toEqual([{ macro: 'call_int_hook', file: 'security/security.c', line: 3, calls: ['P->hook.FUNC'] }]);
    const deferred = join(import.meta.dirname, '../../fixtures/deferred');
    const handed = valid('explainDocument', on(deferred, 'df', 'explain', 'wifi_probe', 'wifi_wake_txqs'), 1).handedOver as { calledBy: { deferred?: boolean } }[];
    // Called by tasklet_action_common (the dispatcher), and by wifi_interrupt's tasklet_schedule of the same member (an object hand-off).
    expect(handed.map((h) => h.calledBy.deferred)).toEqual([true, true]);
    // A path query's notes on deferred hops: the detour given way to, and the deferred path that ranks lower.
    expect(valid('pathsDocument', on(deferred, 'df', '-s', 'wifi_reset', '-t', 'wifi_poll')).longerSynchronous).toEqual({ calls: 21 });
    expect(valid('pathsDocument', on(deferred, 'df', '-s', 'wifi_recover', '-t', 'wifi_poll')).shorterDeferred).toEqual({ calls: 7, ranksLower: true });
    const samename = join(import.meta.dirname, '../../fixtures/samename');
    expect(valid('explainDocument', on(samename, 'sn', 'explain', 'setup_hw', 'foo_reset')).callerDefinitions).toEqual([
      { file: 'drivers/bar/bar_main.c', line: 4, calls: false },
      { file: 'drivers/foo/foo_main.c', line: 4, calls: true },
    ]);
    // No edge and no folded chain: the nearest path's edges, end to end.
    const nearest = valid('explainDocument', on(minikernel, 'mk', 'explain', 'tcp_sendmsg', 'ip_queue_xmit'), 1).nearestPath as { from: { name: string }; to: { name: string } }[];
    expect(nearest[0]!.from.name).toBe('tcp_sendmsg');
    expect(nearest.at(-1)!.to.name).toBe('ip_queue_xmit');
    nearest.slice(1).forEach((e, i) => expect(e.from).toEqual(nearest[i]!.to));
    // A path longer than the nearest path looks: how many calls it takes.
    expect((valid('explainDocument', on(minikernel, 'mk', 'explain', 'ksys_write', 'drv_wake_tx_queue'), 1).fartherPath as { beyond: number }).beyond).toBe(8);
    // A call inside an #ifdef block: its condition, and what the fixture's defconfig makes of it.
    const ifdef = join(import.meta.dirname, '../../fixtures/ifdefcall');
    expect((valid('explainDocument', on(ifdef, 'ifd', 'explain', 'pick_next', 'dump_stack')).edges as { under?: unknown }[]).map((e) => e.under)).toEqual([
      { cond: 'defined(CONFIG_STACKPROTECTOR)', holds: 'unknown', why: expect.stringMatching(/, so the call counts$/) },
    ]);
    // A call of what a macro expands to: the macro, and the name its expansion ends with.
    const guard = join(import.meta.dirname, '../../fixtures/macrocall/guard');
    expect((valid('explainDocument', on(guard, 'gd', 'explain', 'dev_bump', 'class_mutex_constructor')).edges as { resultOf?: unknown }[]).map((e) => e.resultOf)).toEqual([{ macro: 'guard', invocation: 'guard(mutex)', names: ['class_mutex_constructor'] }]);
    valid('statsDocument', on(evidence, cache, 'stats'));
    valid('statsDocument', on(evidence, cache, 'index'));
  });

  it('explain and stats: a call site over a fallback cap, and the unresolved sites by reason', () => {
    const explained = valid('explainDocument', on(fallback, 'fb', 'explain', 'probe_all', 'probe_1'), 1);
    expect(explained.unresolved).toEqual([{ file: 'cap.c', line: 500, call: '->probe(...)', overCap: { fallback: 'field-name', candidates: 70, cap: 64 } }]);
    const stats = valid('statsDocument', on(fallback, 'fb', 'stats'));
    expect((stats.indirect as { unresolvedByReason: unknown }).unresolvedByReason).toEqual({ noBinding: 2, overCap: 2 });
  });

  it('explain: a call through the caller\'s own parameter, bound at the callers that pass the callee (exit 0)', () => {
    const tree = join(import.meta.dirname, '../../fixtures/callback');
    const explained = valid('explainDocument', on(tree, 'cb', 'explain', 'bus_for_each_dev', '__driver_attach'));
    expect(explained.edges).toEqual([]);
    expect((explained.throughParameter as { calledAt: unknown; passed: { from: { name: string }; kind: string } }[]).map((p) => [p.calledAt, p.passed.from.name, p.passed.kind])).toEqual([
      [{ file: 'drivers/base/bus.c', line: 17 }, 'driver_attach', 'callback-arg'],
    ]);
    expect(explained.throughMacros).toEqual([]);
  });

  it('explain: a call through macros only lists the chain\'s edges (exit 0)', () => {
    const explained = valid('explainDocument', on(minikernel, 'mk', 'explain', 'release_sock', '__wake_up'));
    expect((explained.throughMacros as { from: { name: string }; to: { name: string } }[]).map((e) => `${e.from.name} -> ${e.to.name}`)).toEqual(['release_sock -> wake_up', 'wake_up -> __wake_up']);
  });

  it('rejects documents that drift from the schema', () => {
    const cache = 'ev';
    const doc = valid('pathsDocument', on(evidence, cache, '-s', 'sys_send', '-t', 'proto_send')) as { paths: { edges: Record<string, unknown>[] }[] };
    const check = validators.get('pathsDocument')!;
    const drift = (change: (d: typeof doc) => void): boolean => {
      const copy = structuredClone(doc);
      change(copy);
      return check(copy);
    };
    expect(drift(() => {})).toBe(true);
    expect(drift((d) => delete (d as { version?: number }).version)).toBe(false);
    expect(drift((d) => (d.paths[0]!.edges[0]!.to = 'sock_send'))).toBe(false);
    expect(drift((d) => delete (d.paths[0]!.edges[0]!.from as { file?: string }).file)).toBe(false);
    expect(drift((d) => (d.paths[0]!.edges[0]!.kind = 'guess'))).toBe(false);
    expect(drift((d) => (d.paths[0]!.edges[0]!.unknownField = 1))).toBe(false);
    // The optional fields of other items validate: external nodes without file and line, deferred, targets, via.
    expect(drift((d) => Object.assign(d.paths[0]!.edges[0]!, { deferred: true, targets: 3, via: 'sk->ops->send', to: { name: 'ext_fn', external: true } }))).toBe(true);
    expect(drift((d) => (d.paths[0]!.edges[0]!.to = { name: 'ext_fn', external: true, file: 'x.c', line: 1 }))).toBe(false);
  });

  it('paths and explain through code Kbuild does not build, and callees with calls of a parameter', () => {
    const unbuilt = join(import.meta.dirname, '../../fixtures/unbuilt');
    const paths = valid('pathsDocument', on(unbuilt, 'ub', '-s', 'ksys_write', '-t', 'panic_flush', '-k', '2')).paths as { nodes: { notBuilt?: string }[] }[];
    expect(paths[1]!.nodes.some((n) => n.notBuilt)).toBe(true);
    const irq = valid('pathsDocument', on(unbuilt, 'ub', '-s', 'common_interrupt', '-t', 'e1000_intr', '-k', '2')).paths as { edges: { unbuiltBinding?: string }[] }[];
    expect(irq[1]!.edges.some((e) => e.unbuiltBinding)).toBe(true);
    expect(valid('explainDocument', on(unbuilt, 'ub', 'explain', 'vfs_write', 'raw3215_write')).notBuilt).toHaveLength(1);
    const trees = valid('treesDocument', on(join(import.meta.dirname, '../../fixtures/callback'), 'cb', 'callees', 'bus_for_each_dev', '--depth', '1')).trees as { parameterCalls?: unknown[] }[];
    expect(trees[0]!.parameterCalls).toHaveLength(1);
  });

  it('trees: a root the configuration leaves out, and a callback call with the functions it passes through', () => {
    const roots = valid('treesDocument', on(join(import.meta.dirname, '../../fixtures/inactiveroot'), 'ir', 'callees', 'security_file_open', '--depth', '1')).trees as { function: { inactive?: string } }[];
    expect(roots.map((t) => t.function.inactive)).toEqual(['inactive: !(defined(CONFIG_SECURITY)) with CONFIG_SECURITY=y', undefined]);
    const callers = valid('treesDocument', on(join(import.meta.dirname, '../../fixtures/callback'), 'cb', 'callers', '__driver_attach', '--depth', '1')).trees as { edges: { through?: unknown[] }[] }[];
    expect(callers[0]!.edges.map((e) => e.through)).toEqual([[{ name: 'bus_for_each_dev', file: 'drivers/base/bus.c', line: 17 }]]);
  });
});
