import { describe, expect, it } from 'vitest';
import { type Actions, buildProgram } from '../../src/cli/program.js';

/** Parses argv with recording actions: option parsing is tested without indexing anything. */
async function parse(argv: string[]): Promise<{ action: string; args: unknown[] }> {
  let seen = { action: '', args: [] as unknown[] };
  const record = (action: string) => async (...args: unknown[]) => {
    seen = { action, args };
  };
  const actions = { paths: record('paths'), tree: record('tree'), stats: record('stats'), explain: record('explain'), index: record('index') } as unknown as Actions;
  await buildProgram(actions).exitOverride().configureOutput({ writeErr: () => {} }).parseAsync(['node', 'pathfind', ...argv]);
  return seen;
}

describe('command line', () => {
  it('parses a path query with repeatable options and paths', async () => {
    const { action, args } = await parse(['-s', 'a', '-t', 'b', '-k', '3', '--via', 'x', '--via', 'y', '--avoid', 'z', 'net/', 'fs/x.c']);
    expect(action).toBe('paths');
    expect(args[0]).toEqual(['net/', 'fs/x.c']);
    expect(args[1]).toMatchObject({ start: 'a', target: 'b', k: 3, via: ['x', 'y'], avoid: ['z'], indirect: true, root: '.' });
    expect(args[1]).not.toHaveProperty('format');
  });

  it('parses --deferred, off by default', async () => {
    expect((await parse(['-s', 'a', '-t', 'b'])).args[1]).not.toHaveProperty('deferred');
    expect((await parse(['-s', 'a', '-t', 'b', '--deferred'])).args[1]).toMatchObject({ deferred: true });
  });

  it('takes common options before or after a subcommand', async () => {
    const before = await parse(['-C', '/k', 'callees', 'f', '--depth', '2']);
    expect(before.args.slice(0, 2)).toEqual(['callees', 'f']);
    expect(before.args[3]).toMatchObject({ root: '/k', depth: 2 });
    const after = await parse(['callers', 'f', '-C', '/k', '--no-indirect', '--format', 'json']);
    expect(after.args[3]).toMatchObject({ root: '/k', indirect: false, format: 'json' });
  });

  it('rejects bad values', async () => {
    await expect(parse(['-s', 'a', '-t', 'b', '-k', '0'])).rejects.toThrow(/positive integer/);
    await expect(parse(['-s', 'a', '-t', 'b', '--format', 'xml'])).rejects.toThrow(/Allowed choices/);
    await expect(parse(['--min-confidence', 'sure'])).rejects.toThrow(/Allowed choices/);
  });
});
