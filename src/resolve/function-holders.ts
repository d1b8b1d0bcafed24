import type { CodeIndex } from '../index/code-index.js';
/**
 * Which members and parameters can hold a function: a parameter stored into a member is followed
 * to its callers (a "stored" seed of EdgeList.paramUses, propagate-params.ts) only when a function
 * can flow through the store. A struct, union or enum value or pointer (`b->dev = dev` with
 * `struct net_device *dev`), or an integer narrower than a pointer (`d->irq = irq`), holds no
 * function without a cast to it, which C code does not write for callbacks (the kernel casts
 * callbacks to `void *` and `unsigned long`: those are kept, as are typedef names, which may name a
 * function pointer type: facts record a typedef's base type only).
 */

/** C's own integer and floating types narrower than a pointer on the 64-bit targets indexed (`long` and `long long` are not). */
const NARROW_C_TYPES = new Set(['_Bool', 'bool', 'char', 'signed char', 'unsigned char', 'short', 'short int', 'signed short', 'signed short int', 'unsigned short', 'unsigned short int', 'short unsigned int', 'int', 'signed', 'signed int', 'unsigned', 'unsigned int', 'float', 'double']);

/** `const ` and `volatile ` as whole words, which base types (VarFact.type, StructFact fields) may keep. */
const QUALIFIERS = /\b(?:const|volatile)\s+/g;

/**
 * True when a value of base type `type` (pointers not counted, as facts write it: `struct sock`,
 * `unsigned int`, `u32`, `work_func_t`) can hold no function: a struct, union or enum, an integer or
 * floating type of C narrower than a pointer, or one of `narrow` (a profile's integer typedefs:
 * Profile.narrowTypes). False for a function pointer (`fnptr`), `void`, `unsigned long`, any other
 * name and an unknown (empty) type: those may carry a function.
 */
export function holdsNoFunction(type: string, fnptr: boolean, narrow: ReadonlySet<string>): boolean {
  if (fnptr) return false;
  const t = type.replace(QUALIFIERS, '').trim();
  return /^(?:struct|union|enum) \S/.test(t) || NARROW_C_TYPES.has(t) || narrow.has(t);
}

/** The profile's narrow typedefs as a set, made once per profile. */
const narrowSets = new WeakMap<object, ReadonlySet<string>>();

/**
 * True when parameter `param` of function `node` can hold no function (holdsNoFunction of its
 * declared type, with the profile's narrow typedefs): what a caller passes into it carries no
 * function on (`register_irq_proc(unsigned int irq, ...)` passing `(void *)(long)irq` to be stored
 * in a `void *` member), so propagateParams does not follow it to the callers. False for a macro's
 * parameter (untyped) and a position past the parameters.
 */
export function paramHoldsNoFunction(index: CodeIndex, node: number, param: number): boolean {
  if (index.isMacro(node)) return false;
  const p = index.fileFacts(index.nodeFile[node]!).functions[index.nodeItem[node]!]?.params[param];
  if (!p) return false;
  const profile = index.profile;
  let narrow = narrowSets.get(profile);
  if (!narrow) narrowSets.set(profile, (narrow = new Set(profile.narrowTypes ?? [])));
  return holdsNoFunction(p.type, !!p.fnptr, narrow);
}
