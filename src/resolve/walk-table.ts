/**
 * The walk of a binding record's contributions in table order with the edited files' replaced
 * (split from patch-bindings-record.ts, whose NewRecord reads the old and new contributions through it).
 */

/** An edited file's rows as the walk sees them: its id, its new contributions, and its old ones' range [first, end). */
export interface EditedRows<N> {
  file: number;
  cons: N[];
  oldCons: [number, number];
}

/**
 * Walks a table of `conSlot.length` contributions in order: `old(c)` for each old one kept, or of
 * an edited file when `now` is false; `made(f, n)` for each new one of edited file f when `now`.
 * Edited files are taken in (first old row, file) order, each where the walk reaches its first old
 * row. With `slots`, old ones of other slots are passed over in a tight loop (`old` is not called for them).
 */
export function walkTable<N, F extends EditedRows<N>>(conSlot: Int32Array, files: F[], now: boolean, old: (c: number) => void, made: (f: F, n: N) => void, slots: ReadonlySet<number> | null): void {
  const count = conSlot.length;
  const edited = [...files].sort((x, y) => x.oldCons[0] - y.oldCons[0] || x.file - y.file);
  const one = slots && slots.size === 1 ? [...slots][0]! : -1;
  const wanted = (c: number): boolean => !slots || (one >= 0 ? conSlot[c] === one : slots.has(conSlot[c]!));
  let k = 0;
  for (let c = 0; ; ) {
    while (k < edited.length && edited[k]!.oldCons[0] === c) {
      const f = edited[k++]!;
      if (now) for (const n of f.cons) made(f, n);
      else for (let i = f.oldCons[0]; i < f.oldCons[1]; i++) if (wanted(i)) old(i);
      c = f.oldCons[1];
    }
    if (c >= count) break;
    // The old ones up to the next edited file's (none when the next one's start was passed, as the loop above leaves it).
    const stop = k < edited.length && edited[k]!.oldCons[0] > c ? edited[k]!.oldCons[0] : count;
    for (; c < stop; c++) if (wanted(c)) old(c);
  }
}
