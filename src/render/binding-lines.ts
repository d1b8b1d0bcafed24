import type { BindingRef } from '../types/results.js';

/** A binding's text ending in the place of its store: `..., stored in struct irq_desc.handle_irq by __irq_do_set_handler (kernel/irq/chip.c:1017)`. */
const STORE_PLACE = /^(.*) \(([^()\s]+):(\d+)\)$/;

/**
 * `evidence` for a reader: bindings that differ only in the line of the store that ends their
 * text, in one file, are one binding naming each line (`(kernel/irq/chip.c:1017, 1033)`, in the
 * order met); exact repeats are dropped. One passing of a function stored by a function that
 * stores its parameter twice is one binding to a reader: __irq_do_set_handler
 * (kernel/irq/chip.c, Linux 6.1) writes `desc->handle_irq = handle` on two lines, which listed
 * every flow handler's binding twice. Order is kept, each merged binding where its first was.
 */
export function mergedBindings(evidence: readonly BindingRef[]): BindingRef[] {
  const out: BindingRef[] = [];
  const at = new Map<string, { index: number; head: string; file: string; lines: string[] }>();
  for (const b of evidence) {
    const m = STORE_PLACE.exec(b.text);
    const key = m ? `${b.file}\0${b.line}\0${m[1]}\0${m[2]}` : `${b.file}\0${b.line}\0${b.text}`;
    const seen = at.get(key);
    if (!seen) {
      at.set(key, { index: out.length, head: m?.[1] ?? b.text, file: m?.[2] ?? '', lines: m ? [m[3]!] : [] });
      out.push(b);
      continue;
    }
    if (!m || seen.lines.includes(m[3]!)) continue;
    seen.lines.push(m[3]!);
    out[seen.index] = { ...out[seen.index]!, text: `${seen.head} (${seen.file}:${seen.lines.join(', ')})` };
  }
  return out;
}
