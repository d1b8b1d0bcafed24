import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDocument } from '../../src/check/read-document.js';
import { verifyClaims } from '../../src/check/verify.js';
import { openTree, type Project } from '../../src/index.js';

/**
 * A user's finding on Linux 6.1: kernel/sched/core.c's `static noinline void __schedule_bug(struct
 * task_struct *prev)` was folded as a static function a compiler inlines, so a stack trace
 * `schedule_debug -> panic` without its frame passed. `noinline` (and `noinline_for_stack`,
 * `__noinline`: GCC's `__attribute__((__noinline__))`, include/linux/compiler_attributes.h) keeps
 * the frame, however short or static the function.
 */
async function tree(extractor: 'scan' | 'tree-sitter'): Promise<Project> {
  const dir = mkdtempSync(join(tmpdir(), 'pathfind-noinline-'));
  mkdirSync(join(dir, 'kernel/sched'), { recursive: true });
  // Two calls on two lines, panic_now first: no wrapper a compiler turns into a jump, and no sibling call of panic_now.
  const reporter = (head: string, name: string): string => `${head} ${name}(int prev)\n{\n\tpanic_now(prev);\n\tnote_done(prev);\n}\n`;
  writeFileSync(
    join(dir, 'kernel/sched/core.c'),
    `void panic_now(int x)\n{\n}\nvoid note_done(int x)\n{\n}\n` +
      reporter('static noinline void', 'schedule_bug') +
      reporter('static void noinline_for_stack', 'stack_bug') +
      reporter('static void', 'plain_bug') +
      // Whose every call is a tail call: a jump, no frame left, noinline as it is.
      `static noinline void tail_bug(int prev)\n{\n\tif (prev)\n\t\tpanic_now(prev);\n}\n` +
      `void tail_debug(int prev)\n{\n\tif (prev)\n\t\ttail_bug(prev);\n\tnote_done(prev);\n}\n` +
      `void schedule_debug(int prev)\n{\n\tif (prev)\n\t\tschedule_bug(prev);\n\tnote_done(prev);\n}\n` +
      `void stack_debug(int prev)\n{\n\tif (prev)\n\t\tstack_bug(prev);\n\tnote_done(prev);\n}\n` +
      `void plain_debug(int prev)\n{\n\tif (prev)\n\t\tplain_bug(prev);\n\tnote_done(prev);\n}\n`,
  );
  return openTree({ root: dir, jobs: 1, cache: false, extractor });
}

const findings = (p: Project, text: string): string[] => verifyClaims(p, readDocument('oops.log', text), ['oops.log']).findings.map((f) => `${f.severity}: ${f.rule}`);

describe('a stack trace skipping a noinline function', () => {
  for (const extractor of ['scan', 'tree-sitter'] as const) {
    it(`is broken: the function keeps its frame, static and short as it is (${extractor})`, async () => {
      const p = await tree(extractor);
      expect(findings(p, 'Call Trace:\n panic_now+0x10/0x20\n schedule_bug+0x10/0x20\n schedule_debug+0x30/0x40\n')).toEqual([]);
      // The frame of a static function a compiler may inline may be missing: no finding.
      expect(findings(p, 'Call Trace:\n panic_now+0x10/0x20\n plain_debug+0x30/0x40\n')).toEqual([]);
      expect(findings(p, 'Call Trace:\n panic_now+0x10/0x20\n schedule_debug+0x30/0x40\n')).not.toEqual([]);
      expect(findings(p, 'Call Trace:\n panic_now+0x10/0x20\n stack_debug+0x30/0x40\n')).not.toEqual([]);
      expect(findings(p, 'Call Trace:\n panic_now+0x10/0x20\n tail_debug+0x30/0x40\n')).toEqual([]);
    });
  }
});
