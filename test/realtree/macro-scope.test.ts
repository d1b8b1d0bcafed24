import { beforeAll, describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { openTree, type Project } from '../../src/index.js';

/**
 * The real-kernel tier for calls in a macro's body bound where the macro is expanded
 * (PATHFIND_LINUX: an unpacked Linux 6.1 tree): e1000_hw.h's `E1000_WRITE_REG_IO(a, reg, val)`
 * calls `e1000_write_reg_io`, which is static in e1000_hw.c, the file expanding it.
 */
const tree = process.env.PATHFIND_LINUX;

describe.skipIf(!tree)('Linux 6.1 calls in macro bodies', () => {
  let project: Project;

  beforeAll(async () => {
    project = await openTree({ root: tree!, paths: ['drivers/net/ethernet/intel/e1000', 'include/linux', 'arch/x86/include'], jobs: 2, cache: false, facts: true });
  }, 600_000);

  it('e1000_reset_hw reaches e1000_io_write through the static e1000_write_reg_io that E1000_WRITE_REG_IO calls', () => {
    const [path] = project.findPaths({ start: 'e1000_reset_hw', target: 'e1000_io_write' }).paths;
    expect(path?.edges.map((e) => `${e.from.name} -> ${e.to.name} ${e.kind} ${e.file}:${e.line}`)).toEqual([
      'e1000_reset_hw -> e1000_write_reg_io macro drivers/net/ethernet/intel/e1000/e1000_hw.c:435',
      'e1000_write_reg_io -> e1000_io_write direct drivers/net/ethernet/intel/e1000/e1000_hw.c:4860',
    ]);
    const step = explainEdge(project, 'e1000_reset_hw', 'e1000_write_reg_io').edges.find((e) => !e.to.external);
    expect(step?.evidence?.[0]?.text).toBe('e1000_write_reg_io called in the body of E1000_WRITE_REG_IO (drivers/net/ethernet/intel/e1000/e1000_hw.h:381), expanded here: bound in drivers/net/ethernet/intel/e1000/e1000_hw.c');
  });
});
