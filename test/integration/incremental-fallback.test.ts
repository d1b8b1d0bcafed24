import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { canonicalGraph } from '../support/tree-edits.js';
import { compareWithFresh as compare, editFile as edit, putFile as put } from '../support/edit-files.js';

/**
 * Functions that join or leave the functions whose address is taken (the signature fallback's
 * candidates), by an initializer, an assignment, an argument, or a file added or deleted: the
 * cached graph is patched (report.incremental) and equals a fresh index of the edited tree, the
 * fallback's call sites listing the new candidates in order, or going over its cap.
 */

const HEADER = `struct pkt { int len; };
struct dev { int id; };
struct dev_ops {
	int (*xmit)(struct pkt *p, struct dev *d);
};
struct int_ops {
	int (*f)(int x);
};
struct poll_ops {
	int (*poll)(struct dev *d);
};
struct hooks {
	int (*rx)(struct pkt *p, struct dev *d);
	int (*probe)(struct dev *d);
	int (*ctl)(struct dev *d, struct pkt *p);
};
struct ctl_ops {
	int (*ctl)(struct dev *d, struct pkt *p);
};
void reg_xmit(int (*fn)(struct pkt *p, struct dev *d));
`;

const A_C = `#include "ops.h"

static int a_x1(struct pkt *p, struct dev *d)
{
	return 1;
}

static int a_x2(struct pkt *p, struct dev *d)
{
	return 2;
}

static int a_spare(struct pkt *p, struct dev *d)
{
	return 3;
}

static int a_ctl(struct dev *d, struct pkt *p)
{
	return 8;
}

static int a_noop(void)
{
	return 0;
}

void a_ctl_setup(struct ctl_ops *c)
{
	c->ctl = a_noop;
}

static int a_int1(int x)
{
	return x;
}

static int a_int2(int x)
{
	return x + 1;
}

const struct dev_ops a_ops = {
	.xmit = a_x1,
};

const struct int_ops a_iops = {
	.f = a_int1,
};

void a_setup(struct dev_ops *ops)
{
	ops->xmit = a_x2;
}
`;

const M_C = `#include "ops.h"

static int m_x(struct pkt *p, struct dev *d)
{
	return 4;
}

static int m_y(struct pkt *p, struct dev *d)
{
	return 5;
}

const struct dev_ops m_ops = {
	.xmit = m_x,
};
`;

const S_C = `#include "ops.h"

int s_rx(struct hooks *h, struct pkt *p, struct dev *d)
{
	return h->rx(p, d);
}

int s_probe(struct hooks *h, struct dev *d)
{
	return h->probe(d);
}

int s_ctl(struct hooks *h, struct dev *d, struct pkt *p)
{
	s_probe(h, d);
	h->probe(d);
	h->ctl(d, p);
	return s_rx(h, p, d);
}
`;

/** `count` functions taking a struct dev, bound to poll_ops members: candidates of s_probe's fallback. */
function pollers(count: number): string {
  let text = '#include "ops.h"\n';
  for (let i = 0; i < count; i++) text += `\nstatic int g_poll${i}(struct dev *d)\n{\n\treturn ${i};\n}\n\nconst struct poll_ops g_ops${i} = {\n\t.poll = g_poll${i},\n};\n`;
  text += '\nstatic int g_more(struct dev *d)\n{\n\treturn -1;\n}\n\nstatic int g_most(struct dev *d)\n{\n\treturn -2;\n}\n\nvoid g_setup(struct poll_ops *o)\n{\n\to->poll = g_poll0;\n}\n';
  return text;
}

/** A new tree (ops.h, a.c, m.c, s.c, and g.c with `pollers` functions), indexed once with its cache. */
async function tree(pollerCount: number): Promise<{ root: string; cache: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'pathfind-incr-fallback-'));
  const root = join(dir, 'tree');
  mkdirSync(root);
  put(root, 'ops.h', HEADER);
  put(root, 'a.c', A_C);
  put(root, 'm.c', M_C);
  put(root, 's.c', S_C);
  put(root, 'g.c', pollers(pollerCount));
  const cache = join(dir, 'cache');
  await openTreeReport({ root, cache });
  return { root, cache, dir };
}

/** One step: a change to the tree, and whether the patch must take it (else the reason a full resolution gives). */
type Step = [what: string, apply: (root: string) => void, expect: true | RegExp];

const G_SET = '\to->poll = g_poll0;\n';
const X1 = '\t.xmit = a_x1,\n';
const SETUP = '\tops->xmit = a_x2;\n';
const NEW_FILE = '#include "ops.h"\n\nstatic int b_new(struct pkt *p, struct dev *d)\n{\n\treturn 9;\n}\n\nstatic const struct dev_ops b_ops = {\n\t.xmit = b_new,\n};\n';

const CASES: [string, number, Step[]][] = [
  [
    'an initializer names a function not taken before, then the one before',
    2,
    [
      ['retargeted', (r) => edit(r, 'a.c', X1, '\t.xmit = a_spare,\n'), true],
      ['restored', (r) => edit(r, 'a.c', '\t.xmit = a_spare,\n', X1), true],
    ],
  ],
  [
    'an assignment takes a function, then is removed',
    2,
    [
      ['added', (r) => edit(r, 'a.c', SETUP, `${SETUP}\tops->xmit = a_spare;\n`), true],
      ['removed', (r) => edit(r, 'a.c', `${SETUP}\tops->xmit = a_spare;\n`, SETUP), true],
    ],
  ],
  [
    'a function passed as an argument, then no longer',
    2,
    [
      ['passed', (r) => edit(r, 'a.c', SETUP, `${SETUP}\treg_xmit(a_spare);\n`), true],
      ['no longer passed', (r) => edit(r, 'a.c', `${SETUP}\treg_xmit(a_spare);\n`, SETUP), true],
    ],
  ],
  [
    'a function taken as an argument, then by a plain assignment too: it moves up among the plain-bound ones',
    2,
    [
      ['passed', (r) => edit(r, 'a.c', SETUP, `${SETUP}\treg_xmit(a_spare);\n`), true],
      ['assigned too', (r) => edit(r, 'a.c', `${SETUP}\treg_xmit(a_spare);\n`, `${SETUP}\tops->xmit = a_spare;\n\treg_xmit(a_spare);\n`), true],
      ['no longer assigned', (r) => edit(r, 'a.c', `${SETUP}\tops->xmit = a_spare;\n\treg_xmit(a_spare);\n`, `${SETUP}\treg_xmit(a_spare);\n`), true],
    ],
  ],
  [
    'a call site the fallback listed nothing for lists a function that joins, among its caller\'s other edges, then none',
    2,
    [
      ['joins', (r) => edit(r, 'a.c', '\tc->ctl = a_noop;\n', '\tc->ctl = a_noop;\n\tc->ctl = a_ctl;\n'), true],
      ['leaves', (r) => edit(r, 'a.c', '\tc->ctl = a_ctl;\n', ''), true],
    ],
  ],
  [
    'a file added whose initializer takes a new function, then deleted',
    2,
    [
      ['added', (r) => put(r, 'b.c', NEW_FILE), true],
      ['deleted', (r) => rmSync(join(r, 'b.c')), true],
    ],
  ],
  [
    'a function that fits no fallback call site joins and leaves',
    2,
    [
      ['retargeted', (r) => edit(r, 'a.c', '\t.f = a_int1,\n', '\t.f = a_int2,\n'), true],
      ['restored', (r) => edit(r, 'a.c', '\t.f = a_int2,\n', '\t.f = a_int1,\n'), true],
    ],
  ],
  [
    'a function leaves while another of the same site joins, in another place of the order',
    2,
    [
      ['m.c binds m_y for m_x', (r) => edit(r, 'm.c', '\t.xmit = m_x,\n', '\t.xmit = m_y,\n'), true],
      ['a.c binds a_spare for a_x1', (r) => edit(r, 'a.c', X1, '\t.xmit = a_spare,\n'), true],
      ['m.c binds m_x again', (r) => edit(r, 'm.c', '\t.xmit = m_y,\n', '\t.xmit = m_x,\n'), true],
    ],
  ],
  [
    'a call site goes over the signature cap, and one over it stays over it',
    16,
    [
      ['the 17th', (r) => edit(r, 'g.c', G_SET, `${G_SET}\to->poll = g_more;\n`), true],
      ['the 18th', (r) => edit(r, 'g.c', `${G_SET}\to->poll = g_more;\n`, `${G_SET}\to->poll = g_more;\n\to->poll = g_most;\n`), true],
      ['back to 17', (r) => edit(r, 'g.c', `${G_SET}\to->poll = g_more;\n\to->poll = g_most;\n`, `${G_SET}\to->poll = g_more;\n`), true],
      ['back to 16: under the cap', (r) => edit(r, 'g.c', `${G_SET}\to->poll = g_more;\n`, G_SET), /comes under it/],
    ],
  ],
];

describe('functions joining or leaving the address-taken ones patch the signature fallback exactly', () => {
  for (const [what, count, steps] of CASES) {
    it(what, async () => {
      const { root, cache, dir } = await tree(count);
      try {
        for (const [step, apply, want] of steps) {
          apply(root);
          const r = await compare(root, cache);
          expect(r.got, step).toEqual(r.want);
          if (want === true) expect(r.incremental, `${step}: ${r.why}`).toBe(true);
          else {
            expect(r.incremental, step).toBe(false);
            expect(r.why, step).toMatch(want);
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true, maxRetries: 100, retryDelay: 50 });
      }
    });
  }

  it('patches a function joining and leaving in a tree where no call site took the fallback (its types were never read)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-incr-fallback-'));
    const root = join(dir, 'tree');
    mkdirSync(root);
    try {
      put(root, 'ops.h', 'struct file { int mode; };\nstruct file_ops {\n\tint (*open)(struct file *f);\n};\n');
      put(root, 'f.c', '#include "ops.h"\n\nstatic int f_open(struct file *f)\n{\n\treturn 1;\n}\n\nstatic int f_open_ro(struct file *f)\n{\n\treturn 2;\n}\n\nconst struct file_ops f_ops = {\n\t.open = f_open,\n};\n\nint f_run(const struct file_ops *o, struct file *f)\n{\n\treturn o->open(f);\n}\n');
      const cache = join(dir, 'cache');
      await openTreeReport({ root, cache });
      for (const [from, to] of [['f_open,', 'f_open_ro,'], ['f_open_ro,', 'f_open,']] as const) {
        edit(root, 'f.c', `\t.open = ${from}\n`, `\t.open = ${to}\n`);
        const r = await compare(root, cache);
        expect(r.got, to).toEqual(r.want);
        expect(r.incremental, `${to}: ${r.why}`).toBe(true);
        expect(r.got.some((row) => row.startsWith('edge f_run@') && row.includes(`-> ${to.slice(0, -1)}@`)), to).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true, maxRetries: 100, retryDelay: 50 });
    }
  });

  it('lists the fallback candidates the cases rely on', async () => {
    const { root, dir } = await tree(2);
    try {
      const { project } = await openTreeReport({ root, cache: false });
      const rows = canonicalGraph(project).filter((r) => r.startsWith('order s_rx') || r.startsWith('order s_probe'));
      // s_rx's fallback lists the plain-bound functions in the order the table took them (a.c: its assignment first); s_probe's the pollers.
      expect(rows.join('\n')).toMatch(/order s_rx@s\.c:\d+: a_x2@a\.c:\d+ signature at 5, a_x1@a\.c:\d+ signature at 5, m_x@m\.c:\d+ signature at 5/);
      expect(rows.join('\n')).toMatch(/order s_probe@s\.c:\d+: g_poll0@g\.c:\d+ signature at 10, g_poll1@g\.c:\d+ signature at 10/);
    } finally {
      rmSync(dir, { recursive: true, force: true, maxRetries: 100, retryDelay: 50 });
    }
  });
});
