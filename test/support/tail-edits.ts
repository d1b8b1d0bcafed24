import { type EditContext, lines, pick, type TreeEdit, visibleFrom, write, writtenFunctions } from './tree-edits.js';

/**
 * Edits that change whether a function makes tail calls only (FunctionFact.tailCalls, the node
 * flag NodeFlag.TailCalls) while its head stays: a body made one tail call, and a tail call made
 * none by adding to the returned value (the calls and their lines stay).
 */

/** A written function's body (its lines after the one holding its `{`, to its closing `}` alone on a line) replaced by one tail call of a function of the tree. */
const bodyMadeTailCall: TreeEdit = ({ root, facts, random }: EditContext) => {
  const fns = writtenFunctions(facts).filter((f) => {
    const text = lines(root, f.file.path);
    return text[f.endLine - 1] === '}' && text.slice(f.line - 1, f.endLine - 1).some((l) => l.trimEnd().endsWith('{'));
  });
  const fn = pick(random, fns);
  if (!fn) return null;
  const callee = pick(random, visibleFrom(facts, fn.file));
  if (!callee) return null;
  const text = lines(root, fn.file.path);
  let open = fn.line - 1;
  while (!text[open]!.trimEnd().endsWith('{')) open++;
  text.splice(open + 1, fn.endLine - 2 - open, `\treturn ${callee}(0);`);
  write(root, fn.file.path, text.join('\n'));
  return `body made a tail call: ${fn.file.path}: ${fn.name} returns ${callee}(0)`;
};

/** A `return f(` line made `return 0 + f(`: the call stays where it was, and is no tail call. */
const tailCallUndone: TreeEdit = ({ root, facts, random }: EditContext) => {
  const hits: { path: string; at: number }[] = [];
  for (const file of facts) {
    if (file.unreadable !== undefined || !file.functions.some((f) => f.tailCalls)) continue;
    lines(root, file.path).forEach((l, at) => {
      if (/^\s*return\s+\w+\s*\(/.test(l)) hits.push({ path: file.path, at });
    });
  }
  const hit = pick(random, hits);
  if (!hit) return null;
  const text = lines(root, hit.path);
  text[hit.at] = text[hit.at]!.replace(/return\s+/, 'return 0 + ');
  write(root, hit.path, text.join('\n'));
  return `tail call undone: ${hit.path}:${hit.at + 1}`;
};

export const TAIL_EDITS: Record<string, TreeEdit> = {
  'body made a tail call': bodyMadeTailCall,
  'tail call undone': tailCallUndone,
};
