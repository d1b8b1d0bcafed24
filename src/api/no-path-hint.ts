import type { EdgeFilter, Project } from './project.js';
import { macroPointerCalls } from './macro-pointer-calls.js';
import { namedUses } from './named-uses.js';
import { notBuiltReason } from './unbuilt.js';
import { unresolvedCalls } from './unresolved-calls.js';

/**
 * What a path query that found no path adds to its one-line answer, so that "no call path" is not
 * read as the whole truth ('' when nothing applies):
 * - when Kbuild builds none of the target's definitions under the configuration, why, for each
 *   (`filemap_fault (mm/nommu.c:1687) is not built: ...`, Linux 6.1 on x86): nothing else matters then
 *   (not with filter.builtOnly, whose answer names the ends not built already);
 * - the calls of the start that pathfind does not bind, any of which may be the missing step: its
 *   pointer calls that bound nothing (`static_call(kvm_x86_vcpu_run)(vcpu)`, a call over a
 *   fallback's cap) and the pointer calls in the bodies of macros it expands (the LSM's
 *   `call_int_hook`: `P->hook.FUNC(...)`), the first named, with the `explain` command that lists them;
 * - else, when no edge of the graph under `filter` enters any definition of the target, that
 *   nothing calls it, and where a file of its folder (or the one above) names it without calling it when one does
 *   (namedUses: `DRM_IOCTL_DEF(DRM_IOCTL_MODE_ADDFB2, drm_mode_addfb2_ioctl, 0)` in drm_ioctl.c's
 *   table; selinux_file_open, stored only in LSM_HOOK_INIT initializers of hooks the LSM's macros call).
 * The build model is made for the first (a second or so on a kernel), the start's facts are read
 * (lazily) for the second, the graph's reverse rows for the third.
 */
export function noPathHint(project: Project, start: string, target: string, filter: EdgeFilter): string {
  const index = project.index;
  const own = (name: string): number[] => project.nodes(name).filter((n) => !index.isExternal(n));
  const to = own(target);
  const unbuilt = to.map((n) => ({ n, why: notBuiltReason(index, n) }));
  if (!filter.builtOnly && unbuilt.length && unbuilt.every((u) => u.why !== undefined)) return `; ${unbuilt.map((u) => `${index.name(u.n)} (${index.file(u.n)}:${index.nodeLine[u.n]}) is ${u.why}`).join('; ')}`;
  const from = own(start);
  const graph = project.graph(filter);
  const unresolved = from.length && index.factsReadable ? [...unresolvedCalls(index, project.edges, project.callSiteSummary(), from).values()].flat() : [];
  const inMacros = from.length && index.factsReadable ? macroPointerCalls(index, graph, from).flatMap((m) => m.calls.map((call) => `${call}(...) in the macro ${m.macro}, ${m.file}:${m.line}`)) : [];
  const calls = [...unresolved.map((u) => `${u.call} at ${u.file}:${u.line}`), ...inMacros];
  if (calls.length) {
    const n = calls.length;
    return `; ${start} makes ${n} pointer call${n === 1 ? '' : 's'} pathfind does not bind, which may be the missing step (${calls[0]}${n > 1 ? `, ${n - 1} more` : ''}): pathfind explain ${start} ${target} lists ${n === 1 ? 'it' : 'them'}`;
  }
  const whole = project.graph({});
  const called = to.some((n) => whole.inStart[n + 1]! > whole.inStart[n]!);
  if (!to.length || called) return '';
  // Named in its folder other than by a call: a use pathfind does not follow, most likely (an ioctl table a macro writes).
  const [named] = namedUses(index, index.name(to[0]!), to);
  if (named) return `; no C call pathfind binds reaches ${target}, but ${named.file}:${named.line} names it without calling it (\`${named.text}\`): a use pathfind does not follow may be how it is called`;
  return `; no C call pathfind binds reaches ${target} (it may be entered from assembly, called through a call pathfind does not bind such as a pointer call inside a macro body or static_call(...)(...), or not called at all)`;
}
