import { describe, expect, it } from 'vitest';
import { mergedBindings } from '../../src/render/binding-lines.js';
import { renderExplainText } from '../../src/render/text.js';
import type { Explanation } from '../../src/types/results.js';

const stored = (line: number, file = 'kernel/irq/chip.c') => ({
  file: 'arch/x86/platform/uv/uv_irq.c',
  line: 100,
  text: `handle_percpu_irq passed by uv_domain_alloc to irq_domain_set_info, through __irq_set_handler, stored in struct irq_desc.handle_irq by __irq_do_set_handler (${file}:${line})`,
});

describe('bindings listed', () => {
  it('one passing stored by two lines of one function is one binding naming both lines', () => {
    const merged = mergedBindings([stored(1017), stored(1033), { file: 'drivers/x.c', line: 5, text: '.handler = x_irq in struct irq_chip x_chip' }]);
    expect(merged.map((b) => b.text)).toEqual([
      'handle_percpu_irq passed by uv_domain_alloc to irq_domain_set_info, through __irq_set_handler, stored in struct irq_desc.handle_irq by __irq_do_set_handler (kernel/irq/chip.c:1017, 1033)',
      '.handler = x_irq in struct irq_chip x_chip',
    ]);
  });

  it('keeps apart what differs otherwise: another file of the store, another binding line', () => {
    expect(mergedBindings([stored(1017), stored(1033, 'kernel/irq/other.c')])).toHaveLength(2);
    expect(mergedBindings([stored(1017), { ...stored(1033), line: 101 }])).toHaveLength(2);
    expect(mergedBindings([stored(1017), stored(1017)])).toHaveLength(1);
  });

  it('explain lists the merged bindings', () => {
    const x = {
      caller: 'generic_handle_irq_desc',
      callee: 'handle_percpu_irq',
      edges: [{ from: { name: 'generic_handle_irq_desc', file: 'include/linux/irqdesc.h', line: 150 }, to: { name: 'handle_percpu_irq', file: 'kernel/irq/chip.c', line: 900 }, kind: 'param-to-field', file: 'include/linux/irqdesc.h', line: 158, evidence: [stored(1017), stored(1033)] }],
      unresolved: [],
      throughMacros: [],
      throughInlined: [],
      passedOn: [],
      throughParameter: [],
    } as unknown as Explanation;
    const text = renderExplainText(x, { color: false });
    expect(text.match(/bound at/g)).toHaveLength(1);
    expect(text).toContain('(kernel/irq/chip.c:1017, 1033)');
  });
});
