/**
 * Facts a cold index's resolution never reads, set aside in deflated blocks while it runs and put
 * back after the graph is saved: the peak of a cold index's memory is in the resolution, and the
 * facts are most of what it holds there (bench/heap-owners.mjs).
 *
 * What is set aside: each function's signature text (FunctionFact.signature, a kernel's 56 MiB of
 * unique strings), of which the resolution reads two bits (index/signature-marks.ts: a mark stands
 * in its place meanwhile), and each file's macro invocations at file scope (FileFacts.invocations,
 * 24 MiB), which only the expansion before reads. The graph's save reads neither (its mention table
 * is made from the frames' JSON; when it is made from the facts instead, they are put back first).
 * Put back, the facts' JSON is the same as before they were set aside: queries the same process
 * answers, stats and an export read them as parsed.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { signatureMark } from '../index/signature-marks.js';
import type { FileFacts, MacroInvocation } from '../types/facts.js';

/** Files whose set-aside facts make one block: small enough that one block's JSON text is a fraction of a MiB on a kernel. */
const FILES_PER_BLOCK = 256;

/** One block's JSON: the signatures of its files' functions in order, then each file's invocations (null for none). */
type Block = [string[], (MacroInvocation[] | null)[]];

/**
 * The set-aside facts of `views` (see the module comment): the same files by file id, the facts as
 * parsed first (CodeIndex's raw facts), then any copy of them (the configured facts, whose
 * functions and files are copies of some of the raw ones: each copy is set aside and put back too).
 */
export class SetAsideFacts {
  private blocks: Buffer[] | null = [];

  /** Sets aside the facts of `views` (each an array of the same files by file id; the first the facts as parsed). */
  constructor(private readonly views: readonly FileFacts[][]) {
    const raw = views[0]!;
    for (let first = 0; first < raw.length; first += FILES_PER_BLOCK) {
      const end = Math.min(raw.length, first + FILES_PER_BLOCK);
      const block: Block = [[], []];
      for (let i = first; i < end; i++) {
        const facts = raw[i]!;
        for (const fn of facts.functions) block[0].push(fn.signature);
        block[1].push(facts.invocations ?? null);
      }
      this.blocks!.push(deflateRawSync(JSON.stringify(block), { level: 1 }));
      for (let i = first; i < end; i++) this.each(
        i,
        (facts) => {
          // Only where the key is: adding it to the other files' objects would change their shape (and size).
          if (facts.invocations !== undefined) facts.invocations = undefined;
        },
        (fn) => (fn.signature = signatureMark(fn)),
      );
    }
  }

  /** Puts back what was set aside (once; later calls do nothing). */
  restore(): void {
    const blocks = this.blocks;
    if (!blocks) return;
    this.blocks = null;
    const raw = this.views[0]!;
    blocks.forEach((bytes, b) => {
      const [signatures, invocations] = JSON.parse(inflateRawSync(bytes).toString('utf8')) as Block;
      let next = 0;
      const first = b * FILES_PER_BLOCK;
      for (let i = first; i < Math.min(raw.length, first + FILES_PER_BLOCK); i++) {
        const invoked = invocations[i - first];
        const from = next;
        this.each(
          i,
          (facts) => {
            if (invoked) facts.invocations = invoked;
          },
          (fn, j) => (fn.signature = signatures[from + j]!),
        );
        next += raw[i]!.functions.length;
      }
    });
  }

  /** Calls `file` on each distinct object of file `i` among the views, and `fn` on each distinct function of it (with its index). */
  private each(i: number, file: (facts: FileFacts) => void, fn: (f: FileFacts['functions'][number], j: number) => void): void {
    const raw = this.views[0]![i]!;
    raw.functions.forEach((f, j) => fn(f, j));
    file(raw);
    for (const view of this.views.slice(1)) {
      const copy = view[i]!;
      if (copy === raw) continue;
      file(copy);
      copy.functions.forEach((f, j) => f !== raw.functions[j] && fn(f, j));
    }
  }
}
