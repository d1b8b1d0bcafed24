import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTree } from '../../src/index.js';
import { calleeKinds } from '../support/callees.js';
import { putFile } from '../support/edit-files.js';

/**
 * A local holding what a call returns (`ret = make(...)`, a typedef'd local, so the facts keep the
 * store) is not the function called: passed to a function that calls its parameter, or copied
 * into a member, it passes or copies what `make` returns, never `make` itself.
 */
const SOURCE = `typedef long ssize_t;
typedef ssize_t (*act_t)(void);
struct box { act_t act; };
static ssize_t make(void)
{
	return 1;
}
static void call_it(act_t fn)
{
	fn();
}
void run_box(struct box *b)
{
	b->act();
}
void user(struct box *b)
{
	ssize_t ret;

	ret = make();
	call_it(ret);
	b->act = ret;
}
`;

describe("a local holding a call's result", () => {
  it('passes and copies no edge to the function called', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pathfind-result-locals-'));
    putFile(root, 'a.c', SOURCE);
    const project = await openTree({ root, jobs: 1, cache: false });
    expect(calleeKinds(project, 'user')).toEqual(['call_it direct', 'make direct']);
    expect(calleeKinds(project, 'call_it')).toEqual([]);
    expect(calleeKinds(project, 'run_box')).toEqual([]);
  });
});
