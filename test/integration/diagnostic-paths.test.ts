import { describe, expect, it } from 'vitest';
import { openTree } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { cliOn } from '../support/run-cli.js';

/**
 * Paths through diagnostic output (fixtures/printk: a driver's warning reaches its own interrupt
 * handler through printk, the console loop, the network console and netpoll, in fewer calls than
 * its own code takes to reach it).
 */
const ROOT = 'fixtures/printk';
const names = (p: { nodes: { name: string }[] }): string => p.nodes.map((n) => n.name).join(' > ');
const DRIVER = 'nic_remove > nic_down > nic_clean_all > nic_clean_rx > nic_clean_tx > nic_clean_rings > nic_clean_tail > nic_irq_sync > nic_irq_wait > nic_irq_poll > nic_intr';
const PRINTING = 'nic_remove > pr_warn > printk > _printk > vprintk_emit > console_unlock > write_msg > netpoll_poll_dev > nic_netpoll > nic_intr';

describe('paths through diagnostic output', () => {
  it('prefers the path through the code over a shorter one through printing', async () => {
    const p = await openTree({ root: ROOT, cache: false });
    const [first, second] = p.findPaths({ start: 'nic_remove', target: 'nic_intr', k: 2 }).paths;
    expect(names(first!)).toBe(DRIVER);
    expect(names(second!)).toBe(PRINTING);
  });

  it('still finds a path only printing makes', async () => {
    const p = await openTree({ root: ROOT, cache: false });
    expect(p.findPaths({ start: 'nic_timeout', target: 'nic_intr' }).paths.map(names)).toEqual([PRINTING.replace('nic_remove', 'nic_timeout')]);
  });

  it('a tree without the Linux profile has no diagnostic functions', async () => {
    const { root } = copyFixture('printk');
    const { rmSync } = await import('node:fs');
    rmSync(`${root}/MAINTAINERS`);
    const p = await openTree({ root, cache: false });
    expect(names(p.findPaths({ start: 'nic_remove', target: 'nic_intr' }).paths[0]!)).toBe(PRINTING);
  });

  it('the CLI gives the same order, from the index cache too', () => {
    const cli = cliOn('printk');
    for (let run = 0; run < 2; run++) {
      const json = JSON.parse(cli('-q', '--json', '-s', 'nic_remove', '-t', 'nic_intr', '-k', '2').stdout) as { paths: { nodes: { name: string }[] }[] };
      expect(json.paths.map(names)).toEqual([DRIVER, PRINTING]);
    }
  });
});
