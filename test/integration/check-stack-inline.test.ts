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
  tree = await openTree({ root: dir, jobs: 1, cache: false });
});

const findings = (text: string): string[] => verifyClaims(tree, readDocument('oops.log', text), ['oops.log']).findings.map((f) => `${f.severity}: ${f.rule}: ${f.message}`);

describe('a stack trace skipping a function its caller may have inlined', () => {
  it("notes a missing frame of a global function the caller's own file calls", () => {
    expect(findings('Call Trace:\n <IRQ>\n __handle_event+0x10/0x20\n handle_event+0x30/0x40\n')).toEqual([
      'note: skipped-calls: handle_event -> __handle_event skips handle_event_percpu (kernel/irq/handle.c), which a compiler may inline into handle_event: a function of the same file called by name',
    ]);
  });

  it('still calls the trace broken when the missing function is in another file', () => {
    const [f] = findings('Call Trace:\n <IRQ>\n __handle_event+0x10/0x20\n handle_remote+0x30/0x40\n');
    expect(f).toMatch(/^error: broken-call: handle_remote does not call __handle_event/);
  });
});
