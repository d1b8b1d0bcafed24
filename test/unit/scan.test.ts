import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSource } from '../../src/parse/file-parser.js';
import { differences, fn, reference, scan, sourcesUnder } from '../support/scan-compare.js';
import type { FileFacts } from '../../src/types/facts.js';

describe('the fast extractor', () => {
  it('gives the same facts as the tree-sitter extractor on every fixture file, but for listed differences', () => {
    const found: string[] = [];
    for (const tree of ['fixtures/minikernel', 'fixtures/golden', 'fixtures/utf8', 'fixtures/ptrvar', 'fixtures/outret', 'fixtures/macrostore', 'fixtures/fieldcopy', 'fixtures/tailcalls', 'fixtures/sametag']) {
      for (const path of sourcesUnder(tree)) {
        const text = decodeSource(readFileSync(join(tree, path)));
        found.push(...differences(reference(text, path), scan(text, path), path));
      }
    }
    // Where the two differ, the scanner is right: tree-sitter-c splits `struct x` type arguments
    // into two, knows size_t/ssize_t/bool as primitive types, reads `volatile` after a type into it,
    // and its error recovery runs an unclosed body to the end of the file.
    const typeArgumentSplit = found.filter((d) => / calls [-+] .*"name":"(container_of|list_entry)"/.test(d));
    expect(typeArgumentSplit.length).toBe(found.filter((d) => / calls /.test(d)).length);
    const rest = found.filter((d) => !/ calls /.test(d)).map((d) => d.replace(/\{.*?"name":"(\w+)".*\}|\["(\w+)",.*\]/, '$1$2'));
    expect(rest.sort()).toEqual(
      [
        'drivers/misc/broken.c functions + broken_op',
        'drivers/misc/broken.c functions - broken_op',
        'include/linux/kernel.h globals + jiffies',
        'include/linux/kernel.h globals - jiffies',
        'include/linux/types.h typedefs + bool',
        'include/linux/types.h typedefs + size_t',
        'include/linux/types.h typedefs + ssize_t',
      ].sort(),
    );
  });

  it('follows the first branch of an #if whose braces do not balance, and skips #if 0', () => {
    const facts = scan(`
static void f(int a)
{
#ifdef CONFIG_X
	if (a) {
#else
	if (!a) {
#endif
		one(a);
	}
#if 0
	never();
#endif
}

int g(void) { return two(); }
`);
    expect(facts.functions.map((f) => f.name)).toEqual(['f', 'g']);
    expect(fn(facts, 'f')!.calls.map((c) => c.name)).toEqual(['one']);
    expect(fn(facts, 'g')!.calls.map((c) => c.name)).toEqual(['two']);
    expect(facts.parseErrors).toBe(0);
  });

  it('recovers at a column-0 brace from a body left open', () => {
    const facts = scan('int a(int x)\n{\n\tswitch (x) {\n\tcase 1:\n\t\treturn b();\n\n\treturn 0;\n}\n\nint c(void)\n{\n\treturn d();\n}\n');
    expect(facts.functions.map((f) => [f.name, f.line, f.endLine])).toEqual([
      ['a', 1, 8],
      ['c', 10, 13],
    ]);
    expect(facts.parseErrors).toBe(1);
  });

  it('keeps a body whose inner block closes in column 0 while indented code follows (a type as a macro argument after it)', () => {
    const text = `static void send_bytes(struct par *par, int len, ...)
{
	va_list args;
	unsigned char *buf = par->buf;

	if (par->debug) {
		va_start(args, len);
		dump(par, buf, len);
}

	va_start(args, len);
	*buf = (unsigned char)va_arg(args, unsigned int);

	if (*buf > 1) {
		va_end(args);
		complain(par, *buf);
		return;
	}
	for (int i = 1; i < len; i++)
		buf[i] = (unsigned char)va_arg(args, unsigned int);
	va_end(args);
	push_out(par, buf, len);
}

int after(void) { return 0; }
`;
    const facts = scan(text);
    expect(facts.functions.map((f) => [f.name, f.line, f.endLine])).toEqual([
      ['send_bytes', 1, 23],
      ['after', 25, 25],
    ]);
    expect(fn(facts, 'send_bytes')!.calls.map((c) => c.name)).toEqual(['va_start', 'dump', 'va_start', 'va_arg', 'va_end', 'complain', 'va_arg', 'va_end', 'push_out']);
    // tree-sitter-c splits the type argument `unsigned int` in two, as it does `struct x` (see above); all else agrees.
    const diff = differences(reference(text, 'x.c'), facts, 'x.c');
    expect(diff.filter((d) => !/"args":\["args","unsigned",null\],"name":"va_arg"|"args":\["args",null\],"name":"va_arg"/.test(d))).toEqual([]);
    expect(diff.length).toBe(4);
  });

  it('never names a function, macro or callee after a C keyword, even where the braces go wrong', () => {
    // A stray `}` ends the body early; what follows is statements at file scope.
    const text = 'int a(int x)\n{\n\treturn x;\n}\n}\nif (x > 1) {\n\tb();\n}\nwhile (y) {\n\tc();\n}\n#define switch(x) d(x)\nint e(void) { return 0; }\n';
    for (const facts of [scan(text), reference(text, 'x.c')]) {
      const names = [...facts.functions.map((f) => f.name), ...facts.macros.map((m) => m.name), ...facts.functions.flatMap((f) => f.calls.map((c) => c.name ?? ''))];
      expect(names.filter((n) => ['if', 'while', 'switch'].includes(n))).toEqual([]);
      expect(facts.functions.map((f) => f.name)).toContain('e');
    }
  });

  it('drops annotations, reads definer macros and passes over macro invocations without a semicolon', () => {
    const facts = scan(`
BTF_ID_LIST_SINGLE(ids, struct, thing)
static __always_inline int __must_check helper(struct sock *sk) __acquires(sk->lock)
{
	return 0;
}
SYSCALL_DEFINE3(write, unsigned int, fd, const char __user *, buf, size_t, count)
{
	return ksys_write(fd, buf, count);
}
`);
    expect(fn(facts, 'helper')).toMatchObject({ signature: 'static inline int helper(struct sock *sk)', returns: 'int', isStatic: true, params: [{ name: 'sk', type: 'struct sock' }] });
    expect(fn(facts, 'sys_write')).toMatchObject({ definer: 'SYSCALL_DEFINE3', aliases: expect.arrayContaining(['__x64_sys_write']) });
    expect(fn(facts, 'sys_write')!.calls[0]).toMatchObject({ name: 'ksys_write', args: ['fd', 'buf', 'count'] });
  });

  it('notes which arguments of a call registering or queueing work by an object name a local variable, as the tree-sitter extractor does', () => {
    const text = [
      'struct work_struct gw;',
      'void run(struct work_struct *p, struct drv *d)',
      '{',
      '\tstruct work_struct w;',
      '\tstruct work_struct *held = p;',
      '',
      '\tINIT_WORK(&w, fn);',
      '\tschedule_work(&w);',
      '\tschedule_work(held);',
      '\tschedule_work(p);',
      '\tschedule_work(&gw);',
      '\tschedule_work(&d->work);',
      '\tkfree(&w);',
      '}',
      '',
    ].join('\n');
    const locals = (facts: FileFacts): string[] => fn(facts, 'run')!.calls.map((c) => `${c.name}:${JSON.stringify(c.locals ?? [])}`);
    expect(locals(scan(text))).toEqual(['INIT_WORK:[0]', 'schedule_work:[0]', 'schedule_work:[0]', 'schedule_work:[]', 'schedule_work:[]', 'schedule_work:[]', 'kfree:[]']);
    expect(locals(reference(text, 'x.c'))).toEqual(locals(scan(text)));
  });

  it('reads no call site in an asm statement\'s operands (CC_OUT(c) (v) is a constraint and an lvalue)', () => {
    const facts = scan('int test_bit(long nr, const unsigned long *addr)\n{\n\tint oldbit;\n\n\tasm volatile("btl %2,%1" CC_SET(c) : CC_OUT(c) (oldbit) : "m" (*addr), "Ir" (nr));\n\treturn oldbit + check(nr);\n}\n');
    expect(facts.functions[0]!.calls.map((c) => c.name ?? '?')).toEqual(['check']);
  });

  it('reads a parenthesised group ending with `*` before a value as a cast, not a call (`(ELF(Phdr) *)(p)`)', () => {
    const facts = scan('int f(char *raw)\n{\n\tELF(Phdr) *pt = (ELF(Phdr) *)(raw + 4);\n\treturn use(pt);\n}\n');
    expect(facts.functions[0]!.calls.map((c) => c.name ?? '?')).toEqual(['ELF', 'ELF', 'use']);
  });

  it('describes callees: members with receiver types, parameters, arrays, wrappers and casts', () => {
    const facts = scan(`
int f(struct socket *sock, int (*cb)(int), struct sk_buff *skb)
{
	struct sock *sk = sock->sk;
	sk->sk_prot->sendmsg(sk, msg);
	skb_dst(skb)->output(net, sk, skb);
	((struct foo *)p)->run();
	READ_ONCE(sock->ops)->poll(sock);
	INDIRECT_CALL_2(sock->ops->recvmsg, inet_recvmsg, inet6_recvmsg, sock, m);
	cb(1);
	(*cb)(2);
	table[nr](regs);
	(u32)(x);
	(void)(y);
	list_for_each_entry(pos, head_of(sock), list)
		visit(pos);
	return container_of(skb, struct thing, skb)->ops->done(NULL, &handler);
}
`);
    const calls = fn(facts, 'f')!.calls;
    const sendmsg = calls.find((c) => c.field === 'sendmsg')!;
    expect(sendmsg.recv).toEqual({ k: 'field', of: { k: 'type', name: 'struct sock' }, field: 'sk_prot' });
    expect(calls.find((c) => c.field === 'output')!.recv).toEqual({ k: 'ret', fn: 'skb_dst' });
    expect(calls.find((c) => c.field === 'run')!.recv).toEqual({ k: 'type', name: 'struct foo' });
    expect(calls.find((c) => c.field === 'poll')!.recv).toEqual({ k: 'field', of: { k: 'type', name: 'struct socket' }, field: 'ops' });
    expect(calls.find((c) => c.field === 'recvmsg')).toMatchObject({ hints: ['inet_recvmsg', 'inet6_recvmsg'], args: ['sock', 'm'] });
    expect(calls.filter((c) => c.param === 1).length).toBe(2);
    expect(calls.find((c) => c.array === 'table')).toBeDefined();
    expect(calls.some((c) => c.name === 'u32')).toBe(true);
    expect(calls.some((c) => c.name === 'void' || c.name === 'y')).toBe(false);
    expect(calls.some((c) => c.name === 'list_for_each_entry')).toBe(false);
    expect(calls.filter((c) => c.name === 'head_of' || c.name === 'visit').length).toBe(2);
    const done = calls.find((c) => c.field === 'done')!;
    expect(done.recv).toEqual({ k: 'field', of: { k: 'type', name: 'struct thing' }, field: 'ops' });
    expect(done.args).toEqual([null, 'handler']);
    // Document order: an enclosing call before the calls in its callee and arguments.
    const lines = calls.map((c) => c.line);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });

  it('reads initializers, member stores, structs and file-scope declarations', () => {
    const facts = scan(`
struct proto_ops {
	int (*sendmsg)(struct socket *, struct msghdr *);
	union { int a; struct { long b; }; };
	struct inner { void (*fn)(void); } in;
};
typedef struct { int x; } anon_t;
extern unsigned long volatile jiffies;
int ksys_write(unsigned int fd, const char *buf, size_t count);
const struct proto_ops inet_stream_ops = {
	.sendmsg = inet_sendmsg,
	.in = { .fn = &inet_fn },
};
static struct ctl_table tbl[] = { { .proc_handler = proc_dointvec }, { } };
EXPORT_SYMBOL(inet_stream_ops);
void setup(struct net_device *dev, void (*poll)(void))
{
	dev->netdev_ops->ndo_open = poll;
	dev->priv = NULL;
}
`);
    expect(facts.structs.map((s) => s.name)).toEqual(['struct proto_ops', 'union <anon x.c:4>', 'struct <anon x.c:4>', 'struct inner', 'anon_t']);
    expect(facts.structs[0]!.fields).toEqual([
      { name: 'sendmsg', type: 'int', fnptr: true, params: ['struct socket', 'struct msghdr'] },
      { name: 'a', type: 'int' },
      { name: 'b', type: 'long' },
      { name: 'in', type: 'struct inner' },
    ]);
    expect(facts.globals.map((g) => g.name)).toEqual(['jiffies', 'inet_stream_ops', 'tbl']);
    expect(facts.prototypes).toEqual([['ksys_write', 'int']]);
    const bindings = facts.bindings.map((b) => [b.path.join('.'), b.fn, b.how, b.param ?? -1]);
    expect(bindings).toEqual([
      ['ndo_open', 'poll', 'assign', 1],
      ['sendmsg', 'inet_sendmsg', 'init', -1],
      ['in.fn', 'inet_fn', 'init', -1],
      ['proc_handler', 'proc_dointvec', 'init', -1],
    ]);
    expect(facts.bindings[0]!.root).toEqual({ k: 'field', of: { k: 'type', name: 'struct net_device' }, field: 'netdev_ops' });
  });
});
