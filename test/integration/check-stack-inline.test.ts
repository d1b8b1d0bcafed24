import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../src/check/read-document.js';
import { verifyClaims } from '../../src/check/verify.js';
import { openTree, type Project } from '../../src/index.js';

/**
 * A user's finding on Linux 6.1: an interrupt's stack trace goes handle_irq_event ->
 * __handle_irq_event_percpu, without handle_irq_event_percpu between (kernel/irq/handle.c): a
 * global function of ten lines that its own file calls, which GCC inlines there. check called the
 * trace broken. A global function the caller's own file calls by name may be inlined into it, so
 * its missing frame is a note, not an error; a function of another file keeps its frame.
 */
let tree: Project;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pathfind-stack-inline-'));
  const put = (path: string, text: string): void => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  // The middle functions are global, longer than a short function, and call on several lines.
  const middle = (name: string, callee: string): string => `int ${name}(int irq)\n{\n\tint ret;\n\n\tret = ${callee}(irq);\n\tadd_randomness(irq);\n\tif (ret)\n\t\tnote_irq(irq, ret);\n\treturn ret;\n}\n`;
  put('kernel/irq/handle.c', `int __handle_event(int irq)\n{\n\treturn irq;\n}\nvoid add_randomness(int irq)\n{\n}\nvoid note_irq(int irq, int ret)\n{\n}\n${middle('handle_event_percpu', '__handle_event')}int handle_event(int irq)\n{\n\tint ret;\n\n\tret = handle_event_percpu(irq);\n\tnote_irq(irq, ret);\n\treturn ret;\n}\nint handle_remote(int irq)\n{\n\tint ret;\n\n\tret = remote_percpu(irq);\n\tnote_irq(irq, ret);\n\treturn ret;\n}\n`);
  put('kernel/irq/remote.c', `int __handle_event(int irq);\nvoid add_randomness(int irq);\nvoid note_irq(int irq, int ret);\n${middle('remote_percpu', '__handle_event')}`);
  // net/ipv4/ip_output.c's shape: __ip_queue_xmit calls ip_local_out (10 lines, global), which calls
  // the static inline dst_output, which calls ip_output: syzbot's traces show `__ip_queue_xmit -> ip_output`.
  put('net/ipv4/ip_output.c', `int prep_out(int skb)\n{\n\treturn skb;\n}\nvoid note_out(int ret)\n{\n}\nint ip_out(int skb)\n{\n\tnote_out(skb);\n\treturn 0;\n}\nstatic inline int dst_out(int skb)\n{\n\tnote_out(skb);\n\treturn ip_out(skb);\n}\nint local_out(int skb)\n{\n\tint err;\n\n\terr = prep_out(skb);\n\tif (err == 1)\n\t\terr = dst_out(skb);\n\tnote_out(err);\n\treturn err;\n}\nint queue_xmit(int skb)\n{\n\tint ret;\n\n\tret = local_out(skb);\n\tnote_out(ret);\n\treturn ret;\n}\n`);
  tree = await openTree({ root: dir, jobs: 1, cache: false });
});

const findings = (text: string): string[] => verifyClaims(tree, readDocument('oops.log', text), ['oops.log']).findings.map((f) => `${f.severity}: ${f.rule}: ${f.message}`);

describe('a stack trace skipping a function its caller may have inlined', () => {
  it("notes a missing frame of a global function the caller's own file calls", () => {
    expect(findings('Call Trace:\n <IRQ>\n __handle_event+0x10/0x20\n handle_event+0x30/0x40\n')).toEqual([
      'note: skipped-calls: handle_event -> __handle_event skips handle_event_percpu (kernel/irq/handle.c), which a compiler may inline into handle_event: a function of the same file called by name',
    ]);
  });

  it('notes a missing frame of such a function followed by functions a stack trace folds (a static inline, a tail call)', () => {
    expect(findings('Call Trace:\n ip_out+0x10/0x20\n queue_xmit+0x30/0x40\n')).toEqual([
      'note: skipped-calls: queue_xmit -> ip_out skips local_out (net/ipv4/ip_output.c), then dst_out, which a compiler may inline into queue_xmit: a function of the same file called by name, then functions a stack trace folds',
    ]);
  });

  it('still calls the trace broken when the missing function is in another file', () => {
    const [f] = findings('Call Trace:\n <IRQ>\n __handle_event+0x10/0x20\n handle_remote+0x30/0x40\n');
    expect(f).toMatch(/^error: broken-call: handle_remote does not call __handle_event/);
  });
});
