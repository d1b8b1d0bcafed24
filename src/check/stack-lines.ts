/**
 * Line shapes of the leaf-first stacks kernel tools print. Each style says how its stack starts,
 * what one frame line looks like, and which lines break the chain without ending the stack.
 * Kept apart from read-stack.ts, which walks lines and turns frames into claims.
 */
import { SYMBOL } from './trace-symbol.js';

/**
 * What one line of a stack is: a frame (name, its 0-based index in the line, and the module its
 * tag names when it has one: `[e1000e]`), a line to skip, a break in the chain, or the end of the stack.
 */
export type StackLine =
  | { kind: 'frame'; name: string; index: number; module?: string; file?: string }
  | { kind: 'skip' }
  | { kind: 'break' }
  | { kind: 'end' };

/** The stack styles read: ftrace `stacktrace`, an oops or WARN `Call Trace:`, bpftrace `kstack` map keys, `perf script` callchains, the ftrace stack tracer's `stack_trace` file. */
export type StackStyle = 'ftrace' | 'oops' | 'bpftrace' | 'perf' | 'stack-tracer';

const END: StackLine = { kind: 'end' };
const SKIP: StackLine = { kind: 'skip' };
const BREAK: StackLine = { kind: 'break' };

/**
 * The frame a regex match names: group `g` is the bare name (SYMBOL's first group), the group named
 * `module` (or `module2`, `bare`) its module tag (`module` overrides it), the groups `place` or `places` the
 * source place a symbolizer wrote (SOURCE_PLACE: the frame's file is the last place's).
 */
function frame(m: RegExpExecArray, g: number, module = m.groups?.module ?? m.groups?.module2 ?? m.groups?.bare): StackLine {
  const file = m.groups?.place ?? [...(m.groups?.places ?? '').matchAll(PLACE_IN_TEXT)].at(-1)?.[1];
  return { kind: 'frame', name: m[g]!, index: m.indices![g]![0], ...(module ? { module } : {}), ...(file ? { file } : {}) };
}

/**
 * A frame's module tag as the kernel prints it after the symbol (kernel/module/kallsyms.c: `%pS` of
 * a module's address adds ` [name]`, with the module's build id after the name when
 * CONFIG_STACKTRACE_BUILD_ID is set): the name in the group `module`.
 */
const MODULE_TAG = String.raw`(?:\s+\[(?<module>[A-Za-z0-9_-]+)(?:\s+[0-9a-fA-F]+)?\])?`;

/** Each source place (`fs/read_write.c:470`) in a parenthesised list, its file in group 1. */
const PLACE_IN_TEXT = /([A-Za-z0-9_.+/-]+\.[A-Za-z]+):\d+/g;
/**
 * The source place a symbolizer writes after a frame, the code the frame was running (so its
 * file defines the function): syzbot's `vfs_read+0x4e1/0x930 fs/read_write.c:470`, with `[inline]`
 * after a function inlined into the frame below (`new_sync_read fs/read_write.c:389 [inline]`);
 * scripts/decode_stacktrace.sh's `vfs_read (fs/read_write.c:470)`, several places when functions
 * were inlined there, innermost first (`(arch/x86/entry/common.c:50 arch/x86/entry/common.c:80)`),
 * sometimes `(discriminator 1)` after one, and a module's frame ends with the module's bare name
 * (`e1000_watchdog (drivers/net/ethernet/intel/e1000e/netdev.c:5183) e1000e`, the script's
 * parse_symbol). Groups `place`, `places` and `bare`.
 */
const SOURCE_PLACE = String.raw`(?:\s+\((?<places>[^()]*?[A-Za-z0-9_.+/-]+\.[A-Za-z]+:\d+[^()]*(?:\([^()]*\)[^()]*)*)\)(?:\s+(?<bare>[A-Za-z0-9_-]+))?|\s+(?<place>[A-Za-z0-9_.+/-]+\.[A-Za-z]+):\d+(?::\d+)?(?=\s|$))?(?:\s+\[inline\])?`;

/** A note a document adds after a frame: `<---- took the lock`, `# here`, `// here`, `/* here`. */
const NOTE = String.raw`(?:\s+(?:<-|#|\/\/|\/\*).*)?`;

/** ftrace: ` => tcp_write_xmit` or ` => tcp_write_xmit+0x1c/0x40` (kernels print `%pS` in newer versions), optional `[module]`. */
const FTRACE_FRAME = new RegExp(String.raw`^\s*=>\s+${SYMBOL}${MODULE_TAG}${NOTE}\s*$`, 'd');
/** ftrace prints a user-space address (` => <00007f12>`) or a bare kernel address where it has no symbol. */
const FTRACE_OTHER = /^\s*=>\s+\S/;
/** The event line ftrace writes before a kernel stack. */
const FTRACE_HEAD = /<stack trace>/;
// `\u2192` is `→`, escaped so that the CLI's bundle stays ASCII (bin/pathfind.js).
/** A line that ends a wrapped arrow chain (`tcp_push` or `a => tcp_push()`): the `=>` lines after it continue that chain, caller first, not a stack. */
const CHAIN_LINE = /(?:^\s*|(?:=>|->|-->|\u2192)\s*)[A-Za-z_]\w*(?:\(\))?\s*$/;

/** What precedes an oops line's text: a syslog `... kernel: ` prefix, a `<4>` level, a `[  12.345678]` time, a `[  T123]` caller id. */
const LOG_PREFIX = String.raw`^(?:.*?\bkernel:\s?)?(?:<\d>)?(?:\[\s*\d+\.\d+\]\s?)?(?:\[\s*[CT]\d+\]\s?)?`;
/**
 * An oops frame: `[<ffffffff81234567>]` (older kernels), `? ` (unreliable), the symbol, a `[module]`
 * or `[module buildid]` tag, and the source place a symbolizer added (SOURCE_PLACE), the tag after
 * it in syzbot's reports.
 */
const OOPS_FRAME = new RegExp(LOG_PREFIX + String.raw`\s*(\[<[0-9a-fA-F]+>\]\s*)?(\?\s+)?${SYMBOL}${MODULE_TAG}${SOURCE_PLACE}${MODULE_TAG.replace('<module>', '<module2>')}${NOTE}\s*$`, 'd');
/** The context markers of a stack dump: `<IRQ>`, `</IRQ>`, `<TASK>`, `<NMI>`, `<SOFTIRQ>`, `<EOI>`, `<<EOE>>`. */
const OOPS_MARKER = new RegExp(LOG_PREFIX + String.raw`\s*(?:<\/?[A-Z]+>|<<EOE>>)\s*$`);
const OOPS_HEAD = /\bCall Trace:\s*$/i;
/**
 * A line of a register dump inside an oops trace (x86: `RIP: 0010:default_idle+0xb/0x10`, `Code: ...`,
 * `RSP: 0018:... EFLAGS: ...`, `RAX: ... RBX: ...`, `R13: ...`, `FS: ...`, `CR2: ...`, `PKRU: ...`;
 * arm64: `pc : ...`, `lr : ...`, `sp : ...`, `x29: ...`), printed between the interrupt's frames and
 * the interrupted task's (arch/x86/kernel/dumpstack.c show_regs_if_on_stack).
 */
const OOPS_REGISTERS = new RegExp(LOG_PREFIX + String.raw`\s*(?:RIP|Code|RSP|RAX|RBX|RCX|RDX|RSI|RDI|RBP|R\d{1,2}|FS|GS|CS|DS|ES|CR\d|DR\d|PKRU|ORIG_RAX|EFLAGS|pc|lr|sp|pstate|x\d{1,2})\s*:\s`);

/**
 * x86's line of the instruction pointer in an oops (arch/x86/kernel/process_64.c __show_regs, the
 * `%pS` of regs->ip): `RIP: 0010:tcp_v4_rcv+0x5d/0xb10`, with an optional `[module]` tag. A
 * user-space RIP (`RIP: 0033:0x7f3a2b1c4d5e`) names no function.
 */
const OOPS_RIP = new RegExp(LOG_PREFIX + String.raw`\s*RIP:\s*[0-9a-fA-F]{4}:(?:\[<[0-9a-fA-F]+>\]\s*)?${SYMBOL}${MODULE_TAG}\s*$`, 'd');

/** Whether a line is one of an oops's register dump (OOPS_REGISTERS: `RSP: ...`, `Code: ...`, `RIP: ...`). */
export const isRegisterLine = (text: string): boolean => OOPS_REGISTERS.test(text);

/**
 * The function an x86 oops's `RIP:` line names, with its 0-based index in the line, or null. The
 * first frame of the stack below it (its Call Trace, or the frames after a register dump inside
 * one) is that function's caller: the unwinder starts from the interrupted function's return
 * address.
 */
export function ripFunction(text: string): { name: string; index: number; module?: string } | null {
  const m = OOPS_RIP.exec(text);
  return m ? { name: m[1]!, index: m.indices![1]![0], ...(m.groups?.module ? { module: m.groups.module } : {}) } : null;
}

/** A bpftrace map key opening: `@[` or `@name[`. */
const BPF_HEAD = /^@[A-Za-z0-9_]*\[/;
/** A kstack frame: indented, `func+offset` (decimal), or `address func+offset` in `kstack(perf)` mode. */
const BPF_FRAME = new RegExp(String.raw`^\s+(?:[0-9a-fA-F]{8,}\s+)?${SYMBOL}\s*,?\s*$`, 'd');
const BPF_CLOSE = /^\s*\]/;

/** A perf script frame: address, symbol (or `[unknown]`) with optional offset, `(binary)`. */
const PERF_FRAME = new RegExp(String.raw`^\s+[0-9a-fA-F]+\s+(?:${SYMBOL}|(\[unknown\]))\s+\((.+)\)\s*$`, 'd');
/** perf's names of kernel code: `[kernel.kallsyms]`, `[kernel.vmlinux]`, a module `[e1000e]`, a vmlinux or .ko path; not the bracketed user mappings. */
function kernelBinary(binary: string): boolean {
  if (/^\[(?:vdso|vsyscall|vvar|unknown|stack|heap|uprobes)\]$/.test(binary)) return false;
  return /^\[.+\]$/.test(binary) || /(?:^|\/)vmlinux[^/]*$/.test(binary) || /\.ko(?:\.[a-z]+)?$/.test(binary);
}

/** The module a perf binary names (`[e1000e]`, `.../e1000e.ko`, `.../e1000e.ko.xz`); undefined for the kernel image (`[kernel.kallsyms]`, a vmlinux). */
function perfModule(binary: string): string | undefined {
  return /^\[([A-Za-z0-9_-]+)\]$/.exec(binary)?.[1] ?? /(?:^|\/)([A-Za-z0-9_-]+)\.ko(?:\.[a-z]+)?$/.exec(binary)?.[1];
}

/** The stack tracer (`/sys/kernel/tracing/stack_trace`): `  3)     4216      64   func+0x5/0x720`. */
const TRACER_HEAD = /^\s*Depth\s+Size\s+Location\b/;
const TRACER_FRAME = new RegExp(String.raw`^\s*\d+\)\s+\d+\s+\d+\s+${SYMBOL}\s*$`, 'd');
const TRACER_RULE = /^\s*-+\s+-+\s+-+\s*$/;

/**
 * Whether a line is an oops frame that can start a stack whose `Call Trace:` line was cut off (a
 * report quoting only the frames): reliable (no `?`) and written with the offset and size the
 * kernel's symbolizer prints (`tcp_sendmsg+0x28/0x40`, lib/vsprintf.c's `%pS`), which prose and
 * other stack styles do not write whole on a line.
 */
function headlessOopsFrame(text: string): boolean {
  const m = OOPS_FRAME.exec(text);
  return m !== null && !m[2] && /^\+0x[0-9a-f]+\/0x[0-9a-f]+$/i.test(m[5] ?? '');
}

/**
 * The style of stack a line starts, given the line before it, and whether the line itself is
 * already a frame (ftrace and perf frames start their stack, and so does an oops frame with offset
 * and size when its head line is missing; the other styles start after a head line).
 * An ftrace `=>` line starts a stack after a `<stack trace>` event line, or after any line that is
 * not the end of a wrapped arrow chain.
 */
export function stackStart(text: string, previous: string | undefined): { style: StackStyle; isFrame: boolean } | undefined {
  if (FTRACE_FRAME.test(text) && (previous === undefined || FTRACE_HEAD.test(previous) || !CHAIN_LINE.test(previous))) return { style: 'ftrace', isFrame: true };
  if (OOPS_HEAD.test(text)) return { style: 'oops', isFrame: false };
  if (BPF_HEAD.test(text)) return { style: 'bpftrace', isFrame: false };
  if (TRACER_HEAD.test(text)) return { style: 'stack-tracer', isFrame: false };
  if (PERF_FRAME.test(text)) return { style: 'perf', isFrame: true };
  if (headlessOopsFrame(text)) return { style: 'oops', isFrame: true };
  return undefined;
}

/**
 * One line inside a stack of the given style. Decisions (kept in step with the README):
 * - oops `? func` entries are skipped: the unwinder found the address on the stack but could not
 *   tie it to a frame, so it is not evidence of a call; the frames around it are linked directly.
 * - oops context markers (`<IRQ>`, `</IRQ>`, `<NMI>`, `<TASK>`...) and register dumps (`RIP: ...`,
 *   `Code: ...`, `RAX: ...`) break the chain: the lowest frame above one was entered by an interrupt
 *   or exception, not called by the frame below; the frames after a dump are still read.
 * - perf frames outside the kernel (user binaries, `[vdso]`) and `[unknown]` frames break the chain.
 * - ftrace lines without a symbol (`=> <00007f...>` user addresses) break the chain.
 */
export function stackLine(style: StackStyle, text: string): StackLine {
  switch (style) {
    case 'ftrace': {
      const m = FTRACE_FRAME.exec(text);
      if (m) return frame(m, 1);
      return FTRACE_OTHER.test(text) ? BREAK : END;
    }
    case 'oops': {
      // A register dump between frames breaks the chain too: the frames after it are the interrupted code's.
      if (OOPS_MARKER.test(text) || OOPS_REGISTERS.test(text)) return BREAK;
      const m = OOPS_FRAME.exec(text);
      // A frame carries an offset, an address or a source place; a bare word is the text after the trace.
      if (!m || (!m[1] && !m[5]?.includes('/') && !m.groups?.place && !m.groups?.places)) return END;
      return m[2] ? SKIP : frame(m, 3);
    }
    case 'bpftrace': {
      if (BPF_CLOSE.test(text) || BPF_HEAD.test(text)) return END;
      const m = BPF_FRAME.exec(text);
      return m ? frame(m, 1) : BREAK;
    }
    case 'perf': {
      const m = PERF_FRAME.exec(text);
      if (!m) return END;
      return m[4] || !kernelBinary(m[5]!) ? BREAK : frame(m, 1, perfModule(m[5]!));
    }
    case 'stack-tracer': {
      if (TRACER_RULE.test(text)) return SKIP;
      const m = TRACER_FRAME.exec(text);
      return m ? frame(m, 1) : END;
    }
  }
}
