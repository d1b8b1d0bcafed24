import type { CodeIndex } from '../index/code-index.js';
import { directTargets } from './bind-direct.js';
import type { BindingTable } from './binding-table.js';

/**
 * The functions whose address the tree takes anywhere, the candidates of the signature fallback
 * (a function never named as a value cannot be called through a pointer): those bound to a member
 * (`table.addressTaken`: initializers, assignments, parameters stored), stored into a pointer
 * variable or array (BindingFact.pointer), through an out-parameter or returned (BindingFact.out,
 * .returned), passed as a call's argument (CallFact.args naming a
 * function, not a variable of the caller), or registered by a profile macro (`module_init(fn)`).
 * Names bind as calls by name would (directTargets) from the file that names them; macros are
 * left out. Returns node ids, in the order they were first taken (the table's first). With
 * `beyond`, adds to it every function taken by a way other than the table (an argument, a pointer
 * variable, an out-parameter, a return, a registration), even one the table has. `byArgument`:
 * the functions the calls name as arguments, as the walk over every node's calls below finds them
 * (SiteSurvey.argumentTaken), so that the walk is not made again.
 */
export function addressTakenFunctions(index: CodeIndex, table: BindingTable, beyond?: Set<number>, byArgument?: Int32Array): Set<number> {
  const taken = new Set<number>(table.addressTaken);
  // A name no node has binds to nothing (directTargets answers it with one lookup of the name).
  const add = (file: number, name: string): void => {
    for (const target of directTargets(index, file, name)) {
      if (index.isMacro(target)) continue;
      taken.add(target);
      beyond?.add(target);
    }
  };
  if (byArgument) {
    for (const target of byArgument) {
      taken.add(target);
      beyond?.add(target);
    }
  } else {
    for (let node = 0; node < index.nodeCount; node++) {
      if (index.isExternal(node)) continue;
      const file = index.nodeFile[node]!;
      const params = index.isMacro(node) ? [] : index.files[file]!.functions[index.nodeItem[node]!]!.params.map((p) => p.name);
      for (const call of index.calls(node)) for (const arg of call.args) if (arg !== null && !params.includes(arg)) add(file, arg);
    }
  }
  index.files.forEach((facts, file) => {
    for (const b of facts.bindings) {
      // A function named as a value: stored in a pointer variable or array, through an
      // out-parameter, or returned; not a loaded member, a call's result, a parameter or a local.
      const named = b.pointer ? !b.from && !b.call : b.out !== undefined || b.returned === 'value';
      if (named && b.param === undefined) add(file, b.fn);
    }
    for (const r of facts.registrations ?? []) add(file, r.fn);
  });
  return taken;
}
