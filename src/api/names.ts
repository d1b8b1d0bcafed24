import type { CodeIndex } from '../index/code-index.js';
import { Truth } from '../types/build.js';
import { normaliseIdentifier } from '../util/c-identifier.js';
import { closestNames } from '../util/did-you-mean.js';
import { UsageError } from '../util/errors.js';
import { asmCalls, asmDefinitions, builtRank } from './asm-definitions.js';
import { otherArchNote } from './other-arch.js';

/**
 * Nodes a user's name designates: `name`, or `path:name` to pick one of several
 * same-named functions. Unknown names fail (UsageError) with the closest existing names, or,
 * when no name is close, with a hint that the function may be outside the indexed paths (with
 * `pathLimits`, the paths the index was limited to, said with close names too); a name
 * another architecture's folder defines gets that folder's `--arch` (other-arch.ts), and one
 * the indexed architecture's assembly defines says so with the functions its code calls (assemblyNote).
 * A universal character name in `name` stands for its character (`caf\u00e9` is `café`), as in the
 * indexed source.
 */
export function nodesForName(index: CodeIndex, spec: string, pathLimits: readonly string[] = []): number[] {
  const colon = spec.lastIndexOf(':');
  const name = normaliseIdentifier(colon >= 0 ? spec.slice(colon + 1) : spec);
  const file = colon >= 0 ? spec.slice(0, colon) : null;
  let nodes = index.nodesNamed(name);
  if (file !== null) nodes = nodes.filter((n) => index.file(n) === file || index.file(n).endsWith(`/${file}`));
  if (nodes.length) return nodes;
  // A path that names no indexed file is said so: a typo in it, or a file outside the path limits.
  const noFile = file !== null && !index.files.some((f) => f.path === file || f.path.endsWith(`/${file}`));
  const where = file === null ? '' : noFile ? ` in ${file}, which is no indexed file` : ` in ${file}`;
  // With a file given, the name itself may exist elsewhere: suggest it qualified with its files.
  const elsewhere = file !== null ? [...new Set(index.nodesNamed(name).map((n) => `${index.file(n)}:${name}`))].sort() : [];
  const close = elsewhere.length ? elsewhere.slice(0, MAX_ELSEWHERE) : closestNames(name, index.names()).map((n) => (file !== null ? qualified(index, n) : n));
  const arch = file === null ? otherArchNote(index, name) : null;
  // With path limits, a close name is no proof that the one asked for is not outside them.
  const limits = pathLimits.length ? ` It may also lie outside the path limits: ${pathLimits.join(' ')}` : '';
  const meant = close.length ? ` (did you mean ${close.join(', ')}?${limits})` : '';
  if (arch?.place) throw new UsageError(`unknown function '${name}': defined in ${arch.place}, which the index leaves out (it keeps ${arch.kept}: try --arch ${arch.arch})`);
  if (arch?.arch) throw new UsageError(`unknown function '${name}': the index keeps ${arch.kept} only: a function of ${arch.kept.replace(/[^/]+$/, arch.arch)} needs --arch ${arch.arch}${meant}`);
  const asm = file === null ? assemblyNote(index, name) : null;
  if (asm) throw new UsageError(`unknown function '${name}': ${asm}`);
  if (close.length) throw new UsageError(`unknown function '${name}'${where}${meant}`);
  const archHint = arch ? ` or under another architecture's folder (the index keeps ${arch.kept} only; --arch all keeps every one)` : '';
  throw new UsageError(`unknown function '${name}'${where}: no indexed function has a close name; it may be defined outside ${pathLimits.length ? `the path limits (${pathLimits.join(' ')})` : indexedFiles(index)}${archHint} (${pathLimits.length ? 'check the path limits, or ' : ''}see what is indexed with 'pathfind stats')`);
}

/**
 * `the indexed files (pathfind reads the tree's .c and .h files except those under tools/, ...)`: what
 * an index with no path limits reads, its profile's excluded folders named (Profile.excludeDirs).
 */
function indexedFiles(index: CodeIndex): string {
  const dirs = index.profile.excludeDirs.map((d) => `${d}/`);
  const except = dirs.length > 1 ? ` except those under ${dirs.slice(0, -1).join(', ')} and ${dirs.at(-1)}` : dirs.length ? ` except those under ${dirs[0]}` : '';
  return `the indexed files (pathfind reads the tree's .c and .h files${except})`;
}

/**
 * `defined in assembly (arch/x86/entry/entry_64.S:87, SYM_CODE_START), which pathfind does not
 * index; it calls do_syscall_64: start there` for a name the indexed architecture's `.S` files
 * define (asmDefinitions; the first one Kbuild builds, else may build, else the first), naming the indexed functions its code calls
 * (asmCalls); null when none does, or the index keeps no single architecture (or has no tree).
 * For unknown names of queries and of `check`'s chains.
 */
export function assemblyNote(index: CodeIndex, name: string): string | null {
  const { archDir } = index.profile;
  if (index.root === null || !archDir || !index.arch || index.arch === 'all') return null;
  // A definition Kbuild builds first (ret_from_fork of entry_64.S before entry_32.S's on x86-64), then one it may build.
  const built = index.bindingScope?.activity?.pathBuilt;
  const rank = (file: string): number => builtRank(built?.(file)?.built ?? Truth.Unknown);
  const [def] = [...asmDefinitions(index.root, `${archDir}/${index.arch}`, name)].sort((a, b) => rank(a.file) - rank(b.file));
  if (!def) return null;
  const calls = asmCalls(index.root, def).filter((c) => index.nodesNamed(c).length > 0);
  const start = calls.length ? `; it calls ${calls.join(', ')}: start there` : '';
  return `defined in assembly (${def.file}:${def.line}, ${def.macro}), which pathfind does not index${start}`;
}

/** How many `file:name` suggestions an unknown `path:name` gets when the name exists in other files. */
const MAX_ELSEWHERE = 5;

/** `file:name` for a name defined in one file, the bare name when it has several (or none). */
function qualified(index: CodeIndex, name: string): string {
  const files = new Set(index.nodesNamed(name).map((n) => index.file(n)));
  return files.size === 1 ? `${[...files][0]}:${name}` : name;
}
