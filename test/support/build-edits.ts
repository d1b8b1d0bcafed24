import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Objects of the miniature kernel that no Kbuild rule names (whether Kbuild builds them is unknown), named one per buildAnswerEdit. */
const UNNAMED = ['net/socket.o', 'net/core/utils.o', 'net/core/sock.o', 'net/core/dst.o', 'net/core/skbuff.o'];

/**
 * Appends to the root Makefile of a copy of the miniature kernel a rule naming the next of its
 * files no rule names yet (`obj-y += net/socket.o`), so that whether Kbuild builds it moves from
 * unknown to yes: a build file edit that changes an answer the cached graph was resolved with, so
 * its record is never carried over (cache/build-renew.ts) and the tree resolves in full. A comment
 * added to a Makefile no longer does that. Returns the rule's object.
 */
export function buildAnswerEdit(root: string): string {
  const makefile = join(root, 'Makefile');
  const text = readFileSync(makefile, 'utf8');
  const next = UNNAMED.find((o) => !text.includes(`obj-y += ${o}\n`));
  if (!next) throw new Error('every object of the list is named already');
  appendFileSync(makefile, `\nobj-y += ${next}\n`);
  return next;
}
