import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PictureNode } from '../types/picture.js';

/** Longest signature kept; a longer one is cut and ends in `...`. */
const MAX_SIGNATURE = 240;
/** Lines a definition's head may span. */
const MAX_LINES = 12;

/**
 * The head of the definition starting at `line` (1-based) of `source`, whitespace collapsed:
 * from the line's start to the `)` closing the first parameter list (`static int tcp_sendmsg(struct
 * sock *sk, ...)`, `#define NF_HOOK(pf, hook, ...)`, `SYSCALL_DEFINE3(write, ...)`), or the line
 * alone when no list closes within a few lines. Null past the end of the source.
 */
export function definitionHead(source: string, line: number): string | null {
  const lines = source.split('\n');
  if (line < 1 || line > lines.length) return null;
  const text = lines.slice(line - 1, line - 1 + MAX_LINES).join('\n');
  // The first `(` opens the parameter list, unless a declaration ends (`;`) or a body opens first.
  const open = text.search(/[(;{]/);
  let end = -1;
  if (open >= 0 && text[open] === '(') {
    let depth = 0;
    for (let i = open; i < text.length && end < 0; i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')' && --depth === 0) end = i + 1;
      else if (text[i] === '{' || text[i] === ';') break;
    }
  }
  const head = (end > 0 ? text.slice(0, end) : lines[line - 1]!).replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
  return head.length > MAX_SIGNATURE ? `${head.slice(0, MAX_SIGNATURE - 3)}...` : head;
}

/**
 * Fills `signature` on the nodes that have a definition, read back from the source under `root`
 * (the index cache may hold no per-file facts): each file read once, only for the nodes given.
 * A file that cannot be read leaves its nodes without a signature.
 */
export function addSignatures(root: string, nodes: PictureNode[]): void {
  const sources = new Map<string, string | null>();
  for (const node of nodes) {
    if (node.file === undefined || node.line === undefined) continue;
    if (!sources.has(node.file)) {
      try {
        sources.set(node.file, readFileSync(join(root, node.file), 'utf8'));
      } catch {
        sources.set(node.file, null);
      }
    }
    const source = sources.get(node.file);
    const head = source ? definitionHead(source, node.line) : null;
    if (head) node.signature = head;
  }
}
