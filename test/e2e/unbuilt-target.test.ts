import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFixture } from '../support/fixtures.js';
import { runCli } from '../support/run-cli.js';

/**
 * A path query whose target the configuration does not build (fixtures/unbuilt: drivers/s390/ is
 * entered by arch/s390's Makefile only) says so where it says anything about the target: the
 * no-path answer gives the reason first (`-t mm/nommu.c:filemap_fault` on x86 in Linux 6.1), and
 * the note on a name several functions share marks the unbuilt ones (`-t filemap_fault`: mm/filemap.c's and mm/nommu.c's).
 */
let root: string;
beforeAll(() => {
  root = copyFixture('unbuilt').root;
  // An s390 flush nothing calls, and a second uart_flush, built only for s390.
  appendFileSync(join(root, 'drivers/s390/char/con3215.c'), '\nvoid raw3215_flush_all(void)\n{\n}\n\nvoid uart_flush(void)\n{\n}\n');
  // tty_io.c's uart_flush is static: make the tty one a global called from the write path.
  appendFileSync(join(root, 'fs/read_write.c'), '\nvoid uart_flush(void);\n\nvoid fsync_tty(void)\n{\n\tuart_flush();\n}\n');
});

const WHY = 'not built: folder drivers/s390/ is built for another architecture only (arch/s390/Makefile:3)';

describe('a path query to a function the configuration does not build', () => {
  it('that nothing reaches: the no-path answer names the reason before anything else', () => {
    const r = runCli('-q', '-C', root, '--no-cache', '-s', 'vfs_write', '-t', 'raw3215_flush_all');
    expect([r.code, r.stderr.trim()]).toEqual([1, `pathfind: no call path from vfs_write to raw3215_flush_all; raw3215_flush_all (drivers/s390/char/con3215.c:25) is ${WHY}`]);
  });

  it('that the start does not reach, written path:name', () => {
    const r = runCli('-q', '-C', root, '--no-cache', '-s', 'ksys_write', '-t', 'drivers/s390/char/con3215.c:raw3215_flush_all');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`; raw3215_flush_all (drivers/s390/char/con3215.c:25) is ${WHY}`);
  });

  it('the note on a name several functions share marks the ones not built', () => {
    const r = runCli('-q', '-C', root, '--no-cache', '-s', 'fsync_tty', '-t', 'uart_flush');
    expect(r.stderr).toContain('-t uart_flush names 2 functions (drivers/s390/char/con3215.c:29 [not built with arch/x86/configs/x86_64_defconfig], drivers/tty/tty_io.c:4)');
  });
});
