import { describe, expect, it } from 'vitest';
import { differences, fn, reference, scan } from '../support/scan-compare.js';
import type { FileFacts } from '../../src/types/facts.js';

describe('the fast extractor and tail calls', () => {
  it('both extractors mark a function whose every call is a tail call (whole returned value, casts and parentheses aside), on any lines', () => {
    const text = `
long dispatch(struct w *w, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case 1:
		return get(w, arg);
	case 2:
		return (long)set(w,
				 arg);
	case 3:
		return ((put(w)));
	default:
		return -25;
	}
}
int through(struct w *w, int x)
{
	return w->ops->run(w,
			   x);
}
int picked(int x)
{
	return pick(x)(x);
}
int guarded(struct w *w)
{
	if (busy(w))
		return -16;
	return get(w, 0);
}
int nested(struct w *w)
{
	return get(w, busy(w));
}
int summed(struct w *w)
{
	return get(w, 0) + 1;
}
int deref(struct w *w)
{
	return *slot(w);
}
void stated(struct w *w)
{
	get(w, 0);
}
void *pointed(struct w *w)
{
	get(w, 0);
}
int chosen(struct w *w, int c)
{
	return c ? get(w, 0)
		 : (long)set(w, 1);
}
int elvis(struct w *w, int c)
{
	return c ?: set(w, 1);
}
int tested(struct w *w)
{
	return get(w, 0) ?: set(w, 1);
}
int half(struct w *w, int c)
{
	return c ? get(w, 0) : 1 + set(w, 1);
}
void ended(struct w *w, int c)
{
	if (c)
		put(w);
}
void elsed(struct w *w, int c)
{
	if (c)
		return;
	else if (c > 1)
		put(w);
	else
		(void)get(w, 0);
}
void looped(struct w *w)
{
	while (busy(w))
		put(w);
}
void blocked(struct w *w, int c)
{
	if (c) {
		put(w);
	}
}
void labelled(struct w *w)
{
out:
	put(w);
}
void first(struct w *w)
{
	put(w);
	get(w, 0);
}
void picks(struct w *w, int c)
{
	c ? put(w) : get(w, 0);
}
void configured(struct w *w)
{
#ifdef CONFIG_W
	put(w);
#endif
}
int none(int x)
{
	return x;
}
static int hidden(int x)
{
	return get(0, x);
}
`;
    const tails = (f: FileFacts) => f.functions.filter((fn) => fn.tailCalls).map((fn) => fn.name);
    // hidden makes tail calls only, but is static: a stack may skip it anyway, and the fact says nothing more.
    // A call is a tail call in either arm of a returned `c ? f() : g()` and as the else of `c ?: g()`
    // (the value tested is no tail call), and, in a function returning void, as the last statement,
    // alone or as the last branch of an `if` (a sibling call: the compiler jumps to it).
    const want = ['dispatch', 'through', 'stated', 'chosen', 'elvis', 'ended', 'picks'];
    expect(tails(scan(text))).toEqual(want);
    expect(tails(reference(text, 'x.c'))).toEqual(want);
    // `pick(x)(x)`: the call of what pick returns is a tail call, pick's own is not.
    expect(fn(scan(text), 'picked')!.calls.length).toBe(2);
    expect(differences(reference(text, 'x.c'), scan(text), 'x.c')).toEqual([]);
  });

  it('both extractors mark each tail call (CallFact.tail), not one passing the address of a variable of the function', () => {
    const text = `
int guarded(struct w *w)
{
	if (busy(w))
		return -16;
	return get(w,
		   0);
}
void first(struct w *w)
{
	put(w);
	get(w, 0);
}
int chosen(struct w *w, int c)
{
	return c ? get(w, 0) : set(w, busy(w));
}
int framed(struct w *w, int c)
{
	struct how how = { c };
	struct how pair[2];

	if (c > 1)
		return open_how(&how);
	if (c > 2)
		return open_pair(&pair[1]);
	if (c > 3)
		return open_arg(&c);
	if (c > 4)
		return open_member(&how.mode);
	if (c > 5)
		return open_ptr(&w->how);
	return open_global(&global_how);
}
`;
    const marked = (f: FileFacts) => f.functions.map((fn) => `${fn.name}: ${fn.calls.filter((c) => c.tail).map((c) => `${c.name}@${c.line}`).join(' ')}`);
    const want = ['guarded: get@6', 'first: get@12', 'chosen: get@16 set@16', 'framed: open_ptr@32 open_global@33'];
    expect(marked(scan(text))).toEqual(want);
    expect(marked(reference(text, 'x.c'))).toEqual(want);
    expect(differences(reference(text, 'x.c'), scan(text), 'x.c')).toEqual([]);
  });
});
