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
  // At most one hash a byte.
  const values = new Uint32Array(bytes.length);
  let count = 0;
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
    values[count++] = last;
    gap = 0;
    scale = 1;
  }
  return values.slice(0, count);
}

/** The ascending union of two ascending lists of distinct hashes (one merge, no set nor sort of the whole). */
export function mergedHashes(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out[k++] = a[i++]!;
    else if (i >= a.length || b[j]! < a[i]!) out[k++] = b[j++]!;
    else {
      out[k++] = a[i++]!;
      j++;
    }
  }
  return out.slice(0, k);
}
