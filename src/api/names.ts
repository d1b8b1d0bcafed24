import type { CodeIndex } from '../index/code-index.js';
import { normaliseIdentifier } from '../util/c-identifier.js';
import { closestNames } from '../util/did-you-mean.js';
import { UsageError } from '../util/errors.js';

/**
 * Nodes a user's name designates: `name`, or `path:name` to pick one of several
 * same-named functions. Unknown names fail (UsageError) with the closest existing names, or,
 * when no name is close, with a hint that the function may be outside the indexed paths.
 * A universal character name in `name` stands for its character (`caf\u00e9` is `café`), as in the
 * indexed source.
 */
export function nodesForName(index: CodeIndex, spec: string): number[] {
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
  if (close.length) throw new UsageError(`unknown function '${name}'${where} (did you mean ${close.join(', ')}?)`);
  throw new UsageError(`unknown function '${name}'${where}: no indexed function has a close name; it may be defined outside the indexed paths (check the path limits, or see what is indexed with 'pathfind stats')`);
}

/** How many `file:name` suggestions an unknown `path:name` gets when the name exists in other files. */
const MAX_ELSEWHERE = 5;

/** `file:name` for a name defined in one file, the bare name when it has several (or none). */
function qualified(index: CodeIndex, name: string): string {
  const files = new Set(index.nodesNamed(name).map((n) => index.file(n)));
  return files.size === 1 ? `${[...files][0]}:${name}` : name;
}
