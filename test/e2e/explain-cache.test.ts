import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../support/fixtures.js';
import { runCli } from '../support/run-cli.js';

const tree = join(fixturesDir, 'minikernel');

describe('explain and stats through the index cache', () => {
  it('print the same bytes with no cache, from a cold cache and from a warm one', () => {
    const cache = mkdtempSync(join(tmpdir(), 'pathfind-e2e-explain-'));
    const queries = [
      ['explain', '__sys_connect_file', 'inet_stream_connect'],
      ['explain', '__napi_poll', 'igb_poll', '--format', 'json'],
      ['explain', 'vfs_write', 'new_sync_write'],
      ['stats'],
      ['stats', '--json'],
    ];
    for (const q of queries) {
      const none = runCli('-C', tree, '--no-cache', ...q);
      expect(none.code, q.join(' ')).toBe(0);
      expect(none.stdout.length).toBeGreaterThan(50);
      for (const run of ['cold', 'warm']) {
        const r = runCli('-C', tree, '--cache', join(cache, q[0]!), ...q);
        expect({ run, query: q.join(' '), code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ run, query: q.join(' '), code: 0, stdout: none.stdout, stderr: '' });
      }
    }
  });
});
