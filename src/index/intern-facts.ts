/**
 * One copy of each long string in the facts the parse workers hand over.
 *
 * Why: facts reach the main thread as JSON text (index/parse-files.ts), and V8's JSON.parse gives
 * every string value of more than 10 characters a copy of its own (shorter ones it shares through
 * its string table). On a kernel the same long texts come back hundreds of thousands of times: a
 * base type (`struct net_device`), a called name (`spin_lock_irqsave`), a preprocessor condition
 * shared by every definition under one `#if`. Sharing them saves heap and collector work, and a
 * name looked up in a map or set many times (binding by name, the call-site summary) is hashed
 * once and compared by identity.
 */

/** Strings this long or shorter are already shared by JSON.parse (V8's limit for internalizing JSON string values). */
const SHARED_BY_PARSE = 10;

/**
 * Replaces, in place, every string value longer than SHARED_BY_PARSE characters found in
 * `value` (plain data: objects, arrays, strings, numbers, booleans, null) by the first equal
 * string `pool` has seen, and adds those it has not seen. Object keys are left alone (JSON.parse
 * shares them). The data is equal before and after; only which string objects it holds changes.
 * Returns how many string values were replaced by an earlier copy.
 */
export function internLongStrings(value: unknown, pool: Map<string, string>): number {
  let replaced = 0;
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x === 'string') {
          if (x.length > SHARED_BY_PARSE) {
            const kept = pool.get(x);
            if (kept === undefined) pool.set(x, x);
            else {
              v[i] = kept;
              replaced++;
            }
          }
        } else walk(x);
      }
      return;
    }
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const x = o[k];
      if (typeof x === 'string') {
        if (x.length > SHARED_BY_PARSE) {
          const kept = pool.get(x);
          if (kept === undefined) pool.set(x, x);
          else {
            o[k] = kept;
            replaced++;
          }
        }
      } else walk(x);
    }
  };
  walk(value);
  return replaced;
}
