import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { canonicalGraph } from '../support/tree-edits.js';
import { putFile as put } from '../support/edit-files.js';

/**
 * Calls of a body that an edit puts in another order: a call kept by the body diff never crosses
 * another kept call, so a callee's first call site (the line its edge shows) and each caller's
 * edge order are those of a fresh index, patched or not.
 */

const HEADER = 'struct device { int id; };\nint bus_for_each_dev(void *data, int (*fn)(struct device *, void *));\nvoid log_event(int what);\nvoid log_flush(void);\n';

const CB_C = `#include "bus.h"

int bus_for_each_dev(void *data, int (*fn)(struct device *, void *))
{
	struct device d = { 0 };
	return fn(&d, data);
}

static int first_cb(struct device *dev, void *data)
{
	return dev->id;
}

static int second_cb(struct device *dev, void *data)
{
	return 0;
}

void log_event(int what)
{
}

void log_flush(void)
{
}

int driver_attach(void *drv)
{
	log_event(1);
	bus_for_each_dev(drv, second_cb);
	log_flush();
	log_event(2);
	return bus_for_each_dev(drv, first_cb);
}
`;

/** [case, the body of driver_attach after the edit, whether the patch takes it] */
const CASES: [string, string, boolean][] = [
  ['two calls of one callee that pass different callbacks swapped', '\tlog_event(1);\n\tbus_for_each_dev(drv, first_cb);\n\tlog_flush();\n\tlog_event(2);\n\treturn bus_for_each_dev(drv, second_cb);\n', true],
  ['two calls by name that pass nothing moved across each other', '\tlog_event(2);\n\tbus_for_each_dev(drv, second_cb);\n\tlog_flush();\n\tlog_event(1);\n\treturn bus_for_each_dev(drv, first_cb);\n', true],
  ['a call moved before a call of another callee', '\tlog_flush();\n\tlog_event(1);\n\tbus_for_each_dev(drv, second_cb);\n\tlog_event(2);\n\treturn bus_for_each_dev(drv, first_cb);\n', true],
];

describe('calls put in another order by an edit', () => {
  for (const [what, body, patched] of CASES) {
    it(`${what}: ${patched ? 'patched' : 'resolved in full'}, equal to a fresh index`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pathfind-incr-order-'));
      try {
        const root = join(dir, 'tree');
        mkdirSync(root);
        put(root, 'bus.h', HEADER);
        put(root, 'cb.c', CB_C);
        const cache = join(dir, 'cache');
        await openTreeReport({ root, cache });
        const text = readFileSync(join(root, 'cb.c'), 'utf8');
        const start = text.indexOf('\tlog_event(1);');
        put(root, 'cb.c', text.slice(0, start) + body + '}\n');
        const cached = await openTreeReport({ root, cache });
        const scratch = await openTreeReport({ root, cache: false });
        expect(canonicalGraph(cached.project)).toEqual(canonicalGraph(scratch.project));
        expect(cached.report.incremental).toBe(patched);
      } finally {
        rmSync(dir, { recursive: true, force: true, maxRetries: 100, retryDelay: 50 });
      }
    });
  }
});
