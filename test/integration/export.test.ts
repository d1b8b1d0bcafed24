import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPORT_FORMAT } from '../../src/cache/export-file.js';
import { computeStats, exportIndex, openIndexExport, openTreeReport, pathsPicture, UsageError } from '../../src/index.js';
import { explainAll, without, withoutVia } from '../support/explain-all.js';
import { copyFixture } from '../support/fixtures.js';

/** Path queries through direct and pointer calls of the minikernel, with several paths each. */
const QUERIES = [
  { start: 'sys_write', target: 'tcp_sendmsg', k: 3 },
  { start: 'ksys_write', target: '__tcp_transmit_skb', k: 2 },
  { start: 'sys_read', target: 'vfs_read', k: 1 },
];


/** The minikernel exported, the tree deleted, and the export copied to a folder of its own. */
async function exported() {
  const { dir, root } = copyFixture('minikernel', 'pathfind-export-');
  const { project: tree } = await openTreeReport({ root, cache: false, facts: true });
  const file = join(dir, 'mk.pfx');
  exportIndex(tree, file);
  const elsewhere = mkdtempSync(join(tmpdir(), 'pathfind-export-copy-'));
  copyFileSync(file, join(elsewhere, 'mk.pfx'));
  const answers = {
    paths: QUERIES.map((q) => tree.findPaths(q)),
    trees: ['vfs_write', 'ip_rcv', 'tcp_sendmsg'].flatMap((fn) => [tree.tree(fn, 4, 'callees'), tree.tree(fn, 4, 'callers')]),
    explained: explainAll(tree),
    stats: computeStats(tree),
    profile: tree.index.profile.name,
    signatures: pathsPicture(tree, tree.findPaths(QUERIES[0]!), { cluster: 'file', maxNodes: 100, exclude: [], defaultExcludes: true }).nodes.map((n) => n.signature),
  };
  rmSync(dir, { recursive: true, force: true });
  return { file: join(elsewhere, 'mk.pfx'), answers, dir: elsewhere };
}

describe('index export (no tree on disk)', () => {
  it('answers paths, trees, explain and stats as the tree did; without the source: no via, no signatures, no reasons for a choice among definitions', async () => {
    const { file, answers } = await exported();
    const { project, header } = openIndexExport(file);
    expect(header).toMatchObject({ kind: 'pathfind-index', profile: answers.profile, paths: [], files: answers.stats.files });
    expect(project.index.root).toBeNull();
    const paths = QUERIES.map((q) => project.findPaths(q));
    // The tree's answers read expressions back from the source; the export's cannot.
    expect(JSON.stringify(answers.paths)).toContain('"via"');
    expect(JSON.stringify(paths)).not.toContain('"via"');
    expect(paths).toEqual(withoutVia(answers.paths));
    expect(['vfs_write', 'ip_rcv', 'tcp_sendmsg'].flatMap((fn) => [project.tree(fn, 4, 'callees'), project.tree(fn, 4, 'callers')])).toEqual(answers.trees);
    // Why one definition was chosen needs the tree's build files (config, Kbuild): the export has the choice made, not its reasons.
    expect(JSON.stringify(answers.explained)).toContain('"choice"');
    // Nor what its pointer calls call (explain's `via`, as a path step's).
    expect(JSON.stringify(answers.explained)).toContain('"via"');
    expect(explainAll(project)).toEqual(without('choice')(withoutVia(answers.explained)));
    expect(computeStats(project)).toEqual(answers.stats);
    expect(answers.signatures.filter(Boolean).length).toBeGreaterThan(0);
    const picture = pathsPicture(project, paths[0]!, { cluster: 'file', maxNodes: 100, exclude: [], defaultExcludes: true });
    expect(picture.nodes.length).toBe(answers.signatures.length);
    expect(picture.nodes.filter((n) => n.signature !== undefined)).toEqual([]);
  });

  it('the same project exports the same bytes', async () => {
    const { root, dir } = copyFixture('minikernel', 'pathfind-export-');
    const { project } = await openTreeReport({ root, cache: false, facts: true });
    exportIndex(project, join(dir, 'a.pfx'));
    exportIndex(project, join(dir, 'b.pfx'), {});
    expect(readFileSync(join(dir, 'a.pfx')).equals(readFileSync(join(dir, 'b.pfx')))).toBe(true);
  });

  it('refuses a file that is not an export, one of another format, a damaged one and a missing one, with one line', async () => {
    const { file, dir } = await exported();
    const bytes = readFileSync(file);
    const other = Buffer.from(bytes);
    other.writeUInt32LE(EXPORT_FORMAT + 1, 4);
    writeFileSync(join(dir, 'other.pfx'), other);
    writeFileSync(join(dir, 'text.pfx'), 'not an export\n');
    writeFileSync(join(dir, 'cut.pfx'), bytes.subarray(0, bytes.length - 10));
    const messageOf = (path: string): string => {
      try {
        openIndexExport(path);
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message;
      }
      throw new Error(`${path} opened`);
    };
    expect(messageOf(join(dir, 'other.pfx'))).toBe(`${join(dir, 'other.pfx')} is an index export of another version of pathfind; export it again with 'pathfind index --export'`);
    expect(messageOf(join(dir, 'text.pfx'))).toBe(`${join(dir, 'text.pfx')} is not a pathfind index export (made by 'pathfind index --export FILE')`);
    expect(messageOf(join(dir, 'cut.pfx'))).toMatch(/is not a pathfind index export/);
    expect(messageOf(join(dir, 'missing.pfx'))).toBe(`cannot read the index export ${join(dir, 'missing.pfx')}`);
    expect(messageOf(dir)).toMatch(/is not a pathfind index export/);
  });
});
