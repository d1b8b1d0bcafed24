/**
 * Notes on stderr about the function names a query was given (start, target, tree root, explain
 * ends): another name a definer macro gives a function, names that are external, and what may call a callers tree's root that no bound call reaches.
 */
import type { Project } from '../api/project.js';
import { notBuiltMark } from '../api/unbuilt.js';
import { NodeFlag } from '../index/code-index.js';
import type { PathResult, TreeResult } from '../types/results.js';
import { leftOutCaller, namingLine } from '../api/no-path-hint.js';

/** The notes of noteAliases and noteExternal, in that order. */
export function noteNames(project: Project, names: string[], paths: string[]): void {
  noteAliases(project, names);
  noteExternal(project, names, paths);
}

/**
 * For a path query whose start or target names several functions (same-named statics of two
 * drivers: e1000's and e1000e's e1000_watchdog): one note each naming them, the one the first path
 * took and how to take another (`path:name`); at most three places listed, each one Kbuild does not
 * build marked as a path's step is (`mm/nommu.c:1687 [not built with arch/x86/configs/x86_64_defconfig]`). Nothing for a name written
 * `path:name`, nor when every definition is in the file the path took (path:name cannot choose), nor
 * when the path ends at the name's external node (noteExternal explains that one).
 */
export function noteSeveralDefinitions(project: Project, start: string, target: string, path: PathResult | undefined): void {
  if (!path) return;
  const { index } = project;
  const ends = [['-s', start, path.nodes[0]!, 'starts'], ['-t', target, path.nodes.at(-1)!, 'ends']] as const;
  for (const [flag, name, took, verb] of ends) {
    // The path's end is the name's external node (its callers see none of the definitions): noteExternal says so.
    if (name.includes(':') || took.external) continue;
    const defs = project
      .nodes(name)
      .filter((n) => !index.isExternal(n))
      .map((n) => ({ file: index.file(n), line: index.lineOf(n), notBuilt: notBuiltMark(index, n) }))
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    // Definitions in one file only (`#ifdef CONFIG_SMP` one body, `#else` another): path:name cannot choose, so nothing is said.
    const other = defs.find((d) => d.file !== took.file);
    if (!other) continue;
    const at = (d: { file: string; line: number }): string => `${d.file}:${d.line}`;
    const marked = (d: (typeof defs)[number]): string => `${at(d)}${d.notBuilt ? ` [${d.notBuilt}]` : ''}`;
    const shown = `${defs.slice(0, 3).map(marked).join(', ')}${defs.length > 3 ? `, +${defs.length - 3} more` : ''}`;
    process.stderr.write(`pathfind: note: ${flag} ${name} names ${defs.length} functions (${shown}); the path ${verb} at ${at(took)}; write ${flag} ${other.file}:${name} to take ${defs.length === 2 ? 'the other' : 'another'}\n`);
  }
}

/**
 * For a callers tree (`trees`, of `name`) none of whose roots has a caller, nor one Kbuild does
 * not build: the note saying so (a root alone reads like a tree cut short; a tree is still an
 * answer), naming the first call the configuration leaves out (leftOutCaller: "no call is found"
 * would read as none written) or else a line that names the function without calling it
 * (namingLine). Empty otherwise.
 */
export function noCallersNotes(project: Project, trees: readonly TreeResult[], name: string): string[] {
  if (trees.length === 0 || !trees.every((t) => t.root.children.length === 0 && !t.root.leftOutNotBuilt)) return [];
  const fn = trees[0]!.function.name;
  const leftOut = leftOutCaller(project, name);
  if (leftOut) return [`no call of ${fn} is compiled under the configuration: ${leftOut}`];
  const named = namingLine(project, name);
  return [`no call of ${fn} is found in the indexed files${named ? `; ${named}` : ''}`];
}

/**
 * One note per name that is another name of a function a definer macro made (FunctionFact.aliases:
 * `SYSCALL_DEFINE3(write, ...)` defines sys_write, known as `__x64_sys_write` and `__do_sys_write`
 * too), since the answer prints the function's own name: `__x64_sys_write is sys_write
 * (fs/read_write.c:95): a definer macro defines it under both names`.
 */
function noteAliases(project: Project, names: string[]): void {
  const { index } = project;
  for (const name of new Set(names)) {
    if (name.includes(':')) continue; // path:name picks a definition by its own name
    let nodes: number[];
    try {
      nodes = project.nodes(name);
    } catch {
      continue; // an unknown name: the query says so
    }
    const others = nodes.filter((n) => !index.isExternal(n) && index.name(n) !== name);
    if (others.length === 0 || others.length !== nodes.length) continue;
    const places = others.map((n) => `${index.name(n)} (${index.file(n)}:${index.nodeLine[n]})`);
    process.stderr.write(`pathfind: note: ${name} is ${places.join(', ')}: a definer macro defines it under both names\n`);
  }
}

/**
 * For noteExternal: when only macros call the external node of `name` (their files see no
 * definition of it), what their expansions do: bind the name where they are expanded
 * (resolve/bind-expansion.ts). Empty otherwise.
 */
function macroCallers(project: Project, name: string): string {
  const { index, edges } = project;
  const external = new Set(project.nodes(name).filter((n) => index.isExternal(n)));
  const callers = new Set<number>();
  for (let e = 0; e < edges.length; e++) if (external.has(edges.to.get(e))) callers.add(edges.from.get(e));
  const macros = [...callers].filter((n) => index.isMacro(n));
  if (macros.length === 0 || macros.length !== callers.size) return '';
  const shown = macros.map((n) => `${index.name(n)} (${index.file(n)}:${index.nodeLine[n]})`).sort();
  const list = `${shown.slice(0, 3).join(', ')}${shown.length > 3 ? `, +${shown.length - 3} more` : ''}`;
  return `; only the body of ${macros.length === 1 ? 'macro' : 'macros'} ${list} calls it, and where a file expands ${macros.length === 1 ? 'it' : 'one'}, the call binds to the definition that file sees`;
}

/**
 * One note on stderr when functions a query names (start, target, tree root, explain ends) are
 * external: called in the indexed files but defined in none, so nothing is known past them. A
 * name that is defined, but where its callers cannot see any definition (each static to another
 * file, or left out by the configuration), gets a note of its own naming those files.
 */
function noteExternal(project: Project, names: string[], paths: string[]): void {
  const { index } = project;
  const external = [...new Set(names)].filter((name) => project.nodes(name).some((n) => index.isExternal(n)));
  const definedIn = (name: string): number[] => project.nodes(name).filter((n) => !index.isExternal(n) && !index.isMacro(n));
  const hidden = external.filter((name) => definedIn(name).length > 0);
  for (const name of hidden) {
    const defs = definedIn(name);
    const files = [...new Set(defs.map((n) => index.file(n)))].sort();
    const shown = `${files.slice(0, 3).join(', ')}${files.length > 3 ? `, +${files.length - 3} more` : ''}`;
    const why = defs.every((n) => index.nodeFlags[n]! & NodeFlag.Static) ? `each is static to its file (${shown})` : `defined in ${shown}`;
    process.stderr.write(`pathfind: note: ${name} is external where it is called from files that see none of its definitions: ${why}${macroCallers(project, name)}\n`);
  }
  const unknown = external.filter((name) => !hidden.includes(name));
  if (unknown.length === 0) return;
  const one = unknown.length === 1;
  const where = paths.length ? `${one ? 'its definition lies' : 'their definitions lie'} outside the paths given` : `${one ? 'it is' : 'they are'} assembly, generated code or in files not indexed`;
  process.stderr.write(`pathfind: note: ${unknown.join(', ')} ${one ? 'is' : 'are'} external: defined in none of the indexed files (${where})\n`);
}
