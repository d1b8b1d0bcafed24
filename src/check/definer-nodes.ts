/**
 * GNU cflow reads a definer macro's invocation (`SYSCALL_DEFINE3(write, ...)` in fs/read_write.c)
 * as a function named after the macro, and merges every invocation of one file into a single node
 * placed at the last of them: `SYSCALL_DEFINE3() <... at fs/read_write.c:646>` stands for
 * sys_read, sys_write and every other SYSCALL_DEFINE3 of that file. The index knows each function
 * such a macro made (FunctionFact.definer), so a document's place for the macro's name means them.
 */
import type { CodeIndex } from '../index/code-index.js';
import type { ClaimName } from '../types/claims.js';
import type { FunctionFact } from '../types/facts.js';
import { sameFile } from './call-sites.js';

/**
 * The functions the definer macro `n.name` defines in the file of `n.defined` (any line: cflow
 * places them all at one), in node order; empty when the name is no definer macro of the profile,
 * the document gives no place, or that file has none of its functions.
 */
export function definerNodes(index: CodeIndex, n: ClaimName): number[] {
  const written = n.defined;
  if (!written || !index.profile.definers.some((r) => r.macro.test(n.name))) return [];
  const out: number[] = [];
  for (let file = 0; file < index.fileCount; file++) {
    if (!sameFile(written.file, index.filePath(file))) continue;
    // A cached index holds paths alone: the file's facts are read when asked for (none to read: an export).
    let functions: FunctionFact[];
    try {
      functions = index.fileFacts(file).functions;
    } catch {
      continue;
    }
    for (const fn of functions) {
      if (fn.definer !== n.name) continue;
      for (const node of index.nodesNamed(fn.name)) if (index.nodeFile[node] === file && index.nodeLine[node] === fn.line && !index.isMacro(node)) out.push(node);
    }
  }
  return out.sort((a, b) => a - b);
}
