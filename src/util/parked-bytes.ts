/**
 * Bytes held in V8's heap while they wait, instead of in memory malloc'd for them.
 *
 * Why: a cold index holds buffers made by its worker threads (the parse workers' packed frames,
 * the encoders' compressed frames: each some hundreds of KB, a kernel's some 85 to 140 MB) for
 * tens of seconds. A buffer's bytes are malloc'd, below the process's threshold for blocks mapped
 * on their own (cli/young-generation.ts), so they lie in glibc's arena among every other block of
 * every thread, and once freed they leave holes that glibc keeps resident to the end of the
 * process: through the resolution, where the memory peaks. Strings in V8's heap go back to the
 * system when collected (each part here is a large object, with pages of its own).
 *
 * Each part is at most PARKED_PART_BYTES characters: node makes a one-byte string of 0xFBEE9
 * bytes or more (EXTERN_APEX, src/string_bytes.cc) an external string, whose bytes it malloc's.
 */

/** Bytes kept as one-byte strings, each byte one character (see the module comment). */
export interface ParkedBytes {
  /** The bytes in order, at most PARKED_PART_BYTES to a string. */
  parts: string[];
  /** The number of bytes. */
  length: number;
}

/** The most bytes one part holds: half of node's limit for strings kept in the heap, 512 KiB. */
export const PARKED_PART_BYTES = 512 * 1024;

/** `bytes` parked: copied into strings, so the caller may drop them at once. */
export function parkBytes(bytes: Uint8Array): ParkedBytes {
  const whole = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  for (let at = 0; at < whole.length; at += PARKED_PART_BYTES) parts.push(whole.toString('latin1', at, Math.min(whole.length, at + PARKED_PART_BYTES)));
  return { parts, length: whole.length };
}

/**
 * The parked bytes again: written into `into` (its first `parked.length` bytes, returned as a view
 * of it) when given, so that a caller writing many frames in turn reuses one buffer; otherwise in
 * a buffer of their own (its whole ArrayBuffer, transferable). Throws RangeError when `into` is shorter than the bytes.
 */
export function unparkBytes(parked: ParkedBytes, into?: Buffer): Buffer {
  if (into && into.length < parked.length) throw new RangeError(`a buffer of ${into.length} bytes cannot hold ${parked.length} parked bytes`);
  const out = into ?? Buffer.allocUnsafeSlow(parked.length);
  let at = 0;
  for (const part of parked.parts) at += out.write(part, at, 'latin1');
  return out.subarray(0, at);
}
