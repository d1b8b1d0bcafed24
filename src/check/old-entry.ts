import type { CodeIndex } from '../index/code-index.js';
import type { Claim, ClaimName } from '../types/claims.js';
import { normaliseIdentifier } from '../util/c-identifier.js';

/**
 * The claims a tree can check: a step to or from a frame named like x86 entry code that was
 * assembly before Linux 5.8 (ClaimName.oldEntry: `common_interrupt`) claims nothing when no
 * indexed C file defines that name (an older tree: the frame is entry code), and is kept when one
 * does (Linux 6.1's DEFINE_IDTENTRY_IRQ(common_interrupt), arch/x86/kernel/irq.c). Order kept.
 */
export function withoutEntryCode(index: CodeIndex, claims: readonly Claim[]): Claim[] {
  const inC = (n: ClaimName): boolean => !n.oldEntry || index.nodesNamed(normaliseIdentifier(n.name)).some((x) => !index.isExternal(x) && !index.isMacro(x));
  return claims.filter((c) => inC(c.from) && inC(c.to));
}
