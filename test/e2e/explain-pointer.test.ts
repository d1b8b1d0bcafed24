import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const TREE = ['--no-cache', '-C', 'fixtures/minikernel'];

interface Edge {
  to: { name: string };
  kind: string;
  file: string;
  line: number;
  via?: string;
  targets?: number;
}

describe('explain of a call through a pointer', () => {
  it('says what the call site calls and how many targets it binds, as the callees of its caller list them', () => {
    const json = runCli(...TREE, 'explain', 'call_write_iter', 'sock_write_iter', '--json');
    expect(json.code, json.stderr).toBe(0);
    const [edge] = (JSON.parse(json.stdout) as { edges: Edge[] }).edges;
    expect(edge).toMatchObject({ file: 'include/linux/fs.h', via: 'file->f_op->write_iter' });
    // The targets: the callees of the caller bound at that very call site.
    const callees = runCli(...TREE, 'callees', 'call_write_iter', '--depth', '1', '--json');
    const atSite = (JSON.parse(callees.stdout) as { trees: { edges: Edge[] }[] }).trees[0]!.edges.filter((e) => e.file === edge!.file && e.line === edge!.line);
    expect(atSite.length).toBeGreaterThan(1);
    expect(edge!.targets).toBe(new Set(atSite.map((e) => e.to.name)).size);
    const text = runCli(...TREE, 'explain', 'call_write_iter', 'sock_write_iter');
    expect(text.stdout.split('\n')[1]).toBe(`  include/linux/fs.h:${edge!.line}  ${edge!.kind}  through file->f_op->write_iter, one of ${edge!.targets} targets`);
  });

  it('says nothing of the kind for a direct call', () => {
    const json = runCli(...TREE, 'explain', 'ksys_write', 'vfs_write', '--json');
    expect(json.code, json.stderr).toBe(0);
    for (const e of (JSON.parse(json.stdout) as { edges: Edge[] }).edges) expect(e.via === undefined && e.targets === undefined).toBe(true);
    expect(runCli(...TREE, 'explain', 'ksys_write', 'vfs_write').stdout).not.toContain('through');
  });
});
