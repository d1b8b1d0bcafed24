import type { Evidence } from './edge-list.js';

/** The folder part of a path: `net/ipv4` for `net/ipv4/af_inet.c`, `` for a file at the root. */
const folderOf = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf('/')));

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The order bindings are shown in, relative to the target's file: first those in that file,
 * then those in its folder, then the rest; in each group those whose text names the target
 * (`targetName`: a registration, an initializer) before those that name none (a load `fn =
 * timer->function in expire_timers`, a passing), then by file, line and text. Returns a new array.
 */
export function orderBindings(list: readonly Evidence[], targetFile: string, targetName = ''): Evidence[] {
  const folder = folderOf(targetFile);
  const group = (e: Evidence): number => (e.file === targetFile ? 0 : folderOf(e.file) === folder ? 1 : 2);
  const named = targetName ? new RegExp(`(?<![\\w$])${targetName.replace(/\$/g, '\\$')}(?![\\w$])`) : null;
  const unnamed = (e: Evidence): number => (named && !named.test(e.text) ? 1 : 0);
  return [...list].sort((a, b) => group(a) - group(b) || unnamed(a) - unnamed(b) || byText(a.file, b.file) || a.line - b.line || byText(a.text, b.text));
}
