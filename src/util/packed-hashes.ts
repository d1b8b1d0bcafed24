/**
 * A set of 32-bit hashes, ascending and each once, packed as the gaps between them in LEB128
 * (7 bits a byte, the high bit set on every byte but a number's last): a few hundred thousand
 * hashes spread over 2^32 take about 2.2 bytes each instead of 4. For hash tables kept with the
 * graph cache (GraphPayload.typeReads, .definedOtherwise).
 */
export function packHashes(sorted: Uint32Array): Uint8Array {
  const out = new Uint8Array(sorted.length * 5);
  let at = 0;
  let last = 0;
  for (let i = 0; i < sorted.length; i++) {
    let gap = sorted[i]! - last;
    if (gap < 0 || (i > 0 && gap === 0)) throw new RangeError('packHashes: hashes must be ascending and distinct');
    last = sorted[i]!;
    while (gap >= 0x80) {
      out[at++] = (gap & 0x7f) | 0x80;
      gap = Math.floor(gap / 0x80);
    }
    out[at++] = gap;
  }
  return out.slice(0, at);
}

/** The ascending hashes packHashes packed. */
export function unpackHashes(bytes: Uint8Array): Uint32Array {
  const values: number[] = [];
  let last = 0;
  let gap = 0;
  let scale = 1;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    gap += (b & 0x7f) * scale;
    if (b & 0x80) {
      scale *= 0x80;
      continue;
    }
    last += gap;
    values.push(last);
    gap = 0;
    scale = 1;
  }
  return Uint32Array.from(values);
}
