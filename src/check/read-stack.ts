/**
 * Reads leaf-first stacks (ftrace stack traces, oops `Call Trace:` dumps, bpftrace `kstack` keys,
 * `perf script` callchains, the ftrace stack tracer) into claims: each frame is called by the frame
 * on the line below it. Pure: text in, claims out, no call graph.
 */
import type { Claim, ClaimName } from '../types/claims.js';
import { isRegisterLine, ripFunction, stackLine, stackStart, type StackStyle } from './stack-lines.js';
import { placeLines, type PlacedLine, type TextBlock } from './trace-symbol.js';

/** A frame of a stack: its name where the document writes it. */
type Frame = ClaimName;

/**
 * Entry code in assembly, which the CPU enters, no function calls, and which calls into C from
 * no indexed C file: the x86 interrupt and exception stubs (`asm_sysvec_apic_timer_interrupt`,
 * `asm_exc_page_fault`, `asm_common_interrupt`: all `asm_` since Linux 5.8,
 * arch/x86/include/asm/idtentry.h), the x86 system call entries
 * (`entry_SYSCALL_64_after_hwframe`, `entry_SYSENTER_compat`, `entry_INT80_compat`...,
 * arch/x86/entry/entry_64.S and entry_64_compat.S), `ret_from_fork`, the x86 boot entries
 * (`startup_64`, `secondary_startup_64_no_verify`: arch/x86/kernel/head_64.S, at the bottom of
 * every idle task's stack), and arm64's exception
 * vectors (`el1h_64_irq`, `el0t_64_sync`..., arch/arm64/kernel/entry.S). A stack taken in an
 * interrupt runs on through the interrupted code below such a frame; that code does not call it.
 */
const ENTRY_STUB = /^(?:asm_\w+|(?:secondary_|common_)?startup_64(?:_no_verify)?|entry_(?:SYSCALL|SYSENTER|INT80)_\w+|ret_from_fork(?:_asm)?|el[01][ht]?_(?:64|32)_(?:irq|fiq|sync|error)|el[01]_(?:irq|fiq|sync|error|interrupt))$/;

/**
 * The x86 entry points that were assembly before Linux 5.8 (arch/x86/entry/entry_64.S of 5.7:
 * `common_interrupt`, `apic_timer_interrupt`, `page_fault`, `ret_from_intr`...). Some names live
 * on as C functions: DEFINE_IDTENTRY_IRQ(common_interrupt) in arch/x86/kernel/irq.c of 6.1 makes
 * `common_interrupt`, which calls `__common_interrupt`. A frame so named is marked
 * (ClaimName.oldEntry) and the verifier decides by the tree: entry code where no C file defines
 * the name, a function like any other where one does.
 */
const OLD_ENTRY = /^(?:ret_from_intr|common_interrupt|apic_timer_interrupt|reschedule_interrupt|call_function_interrupt|page_fault)$/;

/**
 * The runtime entries of the kernel's sanitizers, which the compiler calls from the code it
 * instruments, no call written in C: KASAN's report (`kasan_report`, reached from the
 * `__asan_load8`/`__asan_report_*` checks: mm/kasan/report.c, shadow.c), UBSAN's handlers
 * (`__ubsan_handle_*`, lib/ubsan.c), KCSAN's and KMSAN's checks (`__tsan_*`, `__msan_*`,
 * kernel/kcsan/core.c, mm/kmsan/instrumentation.c) and KCOV's (`__sanitizer_cov_*`,
 * kernel/kcov.c). A step from an instrumented function into one claims nothing; their own calls are C.
 */
const COMPILER_INSERTED = /^(?:kasan_report|__kasan_report|kasan_report_invalid_free|__asan_\w+|__hwasan_\w+|__ubsan_handle_\w+|__tsan_\w+|__msan_\w+|__sanitizer_cov_\w+)$/;

/**
 * Claims of one unbroken run of frames, leaf first: frame i+1 calls frame i. Frames that repeat
 * the frame above them are one frame: `foo.part.0` under `foo`, or `foo.cold` next to `foo`, are
 * pieces of one C function the compiler split, and the bare names are equal once suffixes go.
 * (Direct recursion is lost with them; a stack is no place to claim it.) A step to or from an
 * entry frame (ENTRY_STUB) claims nothing: nothing calls it, and its calls are assembly's, which
 * no C index can check (`entry_SYSCALL_64_after_hwframe` under `do_syscall_64` was an unknown name).
 * A frame named like old entry code (OLD_ENTRY) is marked `oldEntry` for the verifier to decide.
 * A step into a sanitizer's runtime (COMPILER_INSERTED) from other code claims nothing either.
 */
function runClaims(doc: string, frames: readonly Frame[]): Claim[] {
  const kept = frames.filter((f, i) => i === 0 || f.name !== frames[i - 1]!.name);
  const claims: Claim[] = [];
  for (let i = 0; i + 1 < kept.length; i++) {
    if (ENTRY_STUB.test(kept[i]!.name) || ENTRY_STUB.test(kept[i + 1]!.name)) continue;
    // The compiler's call into a sanitizer, from any instrumented function, unless one sanitizer entry calls another.
    if (COMPILER_INSERTED.test(kept[i]!.name) && !COMPILER_INSERTED.test(kept[i + 1]!.name)) continue;
    const mark = (f: Frame): Frame => (OLD_ENTRY.test(f.name) ? { ...f, oldEntry: true } : f);
    claims.push({ doc, form: 'stack', from: mark(kept[i + 1]!), to: mark(kept[i]!), mayInline: true });
  }
  return claims;
}

/**
 * Claims of every leaf-first stack found in a block of lines, in document order (leaf-most claim
 * of each stack first). Lines that are no stack are ignored, so the block may be a whole log file
 * with prose or other output around its stacks. Every claim has `form: 'stack'` and
 * `mayInline: true` (static functions the compiler inlined leave no frame). Positions are the
 * 1-based line and column of each bare name in the document (offsets from `block.column` added).
 * See stack-lines.ts for the line shapes and for which lines skip or break a chain.
 * An x86 oops's `RIP:` line (before its `Call Trace:`, or in a register dump inside it) names the
 * function the next frame read calls (ripFunction): context markers, register lines and `?`
 * entries between are passed over; any other line before the Call Trace, any other stack style,
 * or the end of the oops drops it.
 */
export function readStackBlock(doc: string, block: TextBlock): Claim[] {
  const lines = placeLines(block);
  const claims: Claim[] = [];
  let style: StackStyle | undefined;
  let run: Frame[] = [];
  // The RIP function waiting for its caller, the next frame.
  let rip: Frame | undefined;
  const flush = (): void => {
    claims.push(...runClaims(doc, run));
    run = [];
  };
  const ripOf = (l: PlacedLine): Frame | undefined => {
    const r = ripFunction(l.text);
    return r ? { name: r.name, line: l.line, column: r.index + 1 + l.offset, ...(r.module ? { module: r.module } : {}) } : undefined;
  };
  const add = (l: PlacedLine, text: string): void => {
    const s = stackLine(style!, text);
    if (s.kind === 'frame') {
      if (rip) run.push(rip);
      rip = undefined;
      // A symbolizer's source place says which file's function ran: a file written with the name, line 0 (ClaimName.defined).
      run.push({ name: s.name, line: l.line, column: s.index + 1 + l.offset, ...(s.module ? { module: s.module } : {}), ...(s.file ? { defined: { file: s.file, line: 0 } } : {}) });
    } else if (s.kind === 'break') {
      flush();
      if (style === 'oops') rip = ripOf(l) ?? rip;
    } else if (s.kind === 'end') {
      flush();
      style = rip = undefined;
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (style) add(l, l.text);
    if (style) continue;
    const start = stackStart(l.text, lines[i - 1]?.text);
    if (!start) {
      // Before a Call Trace only the register dump may follow its RIP line.
      rip = ripOf(l) ?? (isRegisterLine(l.text) ? rip : undefined);
      continue;
    }
    style = start.style;
    if (style !== 'oops') rip = undefined;
    if (start.isFrame) add(l, l.text);
  }
  flush();
  return claims;
}
