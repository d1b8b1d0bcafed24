import { describe, expect, it } from 'vitest';
import { kShortestPaths } from '../../src/graph/k-shortest-paths.js';
import type { PathConstraints } from '../../src/graph/path.js';
import { openTree } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { plainYen } from '../support/yen-reference.js';

describe('k shortest paths on the minikernel', () => {
  it('lists exactly the paths of plain Yen (every spur search run), in its order, for several pairs, constraints and k', async () => {
    const { root } = copyFixture('minikernel', 'pathfind-ksp-');
    const project = await openTree({ root });
    const pairs = [['ksys_write', '__wake_up'], ['__sys_connect', '__wake_up'], ['__sys_socket', 'dst_discard'], ['ksys_write', 'dst_discard_out'], ['__sys_connect_file', 'dev_queue_xmit'], ['tcp_sendmsg', 'dev_queue_xmit']];
    let listed = 0;
    for (const deferred of [false, true]) {
      const g = project.graph({ noDeferred: !deferred });
      for (const [start, target] of pairs) {
        const sources = project.nodes(start!);
        const targets = project.nodes(target!);
        const kinds: PathConstraints[] = [{ via: [], avoid: new Set() }, { via: [], avoid: new Set(), maxDepth: 6 }];
        for (const c of kinds) {
          for (const k of [1, 3, 10, 20]) {
            const got = kShortestPaths(g, sources, targets, c, k);
            expect(got, `${start} -> ${target} k ${k}`).toEqual(plainYen(g, sources, targets, c, k));
            listed += got.length;
          }
        }
      }
    }
    // The pairs have paths, many of them.
    expect(listed).toBeGreaterThan(100);
  });
});
