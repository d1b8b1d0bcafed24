import type { CodeIndex } from '../index/code-index.js';
import type { FileFacts } from '../types/facts.js';
import type { EditedFile } from './patch-definitions.js';
import { mayYield } from './plan-file-edit.js';

/**
 * True when some function named `name` in `index` may return a function (a `return` binding,
 * BindingFact.returned, in its body that may yield one: mayYield): a store of its result (`ret =
 * name(...)`) then holds those functions (resolve/bind-flows.ts keys the returns by the node
 * whose file and name the binding's `inFunction` gives). The edited files are read in both
 * versions (`edited`), the others as `index` holds them. Macros return nothing to a store
 * (bind-flows reads functions only).
 */
function returnsFunction(index: CodeIndex, name: string, edited: readonly EditedFile[]): boolean {
  for (const node of index.nodesNamed(name)) {
    if (index.isMacro(node) || index.isExternal(node)) continue;
    const file = index.nodeFile[node]!;
    const path = index.filePath(file);
    const t = edited.find((e) => e.after.path === path);
    const versions: FileFacts[] = t ? [t.before, t.after] : [index.fileFacts(file)];
    const own = index.name(node);
    for (const facts of versions) if (facts.bindings.some((b) => b.returned && b.inFunction !== undefined && index.nodesNamed(b.inFunction).includes(node) && mayYield(facts, own, b))) return true;
  }
  return false;
}

/**
 * The reason a patch cannot leave out the stores of a call's result the edits added or removed
 * (FilePlan.results), or keep those of the edited files whose called name the edits define or
 * take out (FilePlan.names: value-mentions.ts counts no such store as a mention of it), or null:
 * such a store binds nothing while no function of the called name returns a function, in the
 * index before the edits (`before`) and after (`after`).
 */
export function storedResultsReason(before: CodeIndex, after: CodeIndex, edited: readonly EditedFile[]): string | null {
  const defined = new Set(edited.flatMap((t) => [...t.plan.names]));
  for (const t of edited) {
    for (const name of t.plan.results) {
      if (returnsFunction(before, name, edited) || returnsFunction(after, name, edited)) return `${t.after.path}: a store of what ${name} returns was added or removed, and ${name} returns a function`;
    }
    const stored = new Set([...t.before.bindings, ...t.after.bindings].filter((b) => b.call && defined.has(b.fn)).map((b) => b.fn));
    for (const name of stored) {
      if (returnsFunction(before, name, edited) || returnsFunction(after, name, edited)) return `${t.after.path}: a store of what ${name} returns stands in it, ${name} was added, removed or renamed, and ${name} returns a function`;
    }
  }
  return null;
}
