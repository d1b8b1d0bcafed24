import type { EdgeFilter, Project } from './project.js';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { leftOutCalls } from './left-out-calls.js';
import { macroPointerCalls } from './macro-pointer-calls.js';
import { namedUses } from './named-uses.js';
import { notBuiltReason } from './unbuilt.js';
import { unresolvedCalls } from './unresolved-calls.js';
import { Truth } from '../types/build.js';

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
 * - a call of the target by name the configuration leaves out (an `#ifdef` block it does not
 *   compile: leftOutCalls), made by the start, or, when nothing calls the target, by a function of
 *   the target's folder or the one above: `ksys_read calls net_utils_sync at fs/read_write.c:35
 *   under defined(CONFIG_NET), which the configuration leaves out: CONFIG_NET is not set`;
 * - when every definition of the start sits under a condition the configuration makes false, that
 *   (leftOutDefinitions): its calls are not compiled;
 * - else, when no edge of the graph under `filter` enters any definition of the target, that
 *   nothing calls it, and where a file of its folder (or the one above) names it without calling it when one does
 *   (namedUses: `DRM_IOCTL_DEF(DRM_IOCTL_MODE_ADDFB2, drm_mode_addfb2_ioctl, 0)` in drm_ioctl.c's
 *   table; selinux_file_open, stored only in LSM_HOOK_INIT initializers of hooks the LSM's macros call),
 *   or, when the configuration leaves out every definition of the target, that.
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
  const startOut = leftOutDefinitions(project, from);
  if (startOut) return `; ${startOut}: ${from.length === 1 ? 'its calls are' : 'their calls are'} not compiled`;
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
  const out = index.factsReadable ? leftOutCall(project, from, to, target, called) : undefined;
  if (out) return `; ${out.caller} calls ${target} at ${out.file}:${out.line} under ${out.cond}, which the configuration leaves out: ${out.why}${out.caller === start ? '' : ` (pathfind explain ${out.caller} ${target})`}`;
  if (!to.length || called) return '';
  const targetOut = leftOutDefinitions(project, to);
  if (targetOut) return `; ${targetOut}: no call binds to ${to.length === 1 ? 'it' : 'them'}`;
  // Named in its folder other than by a call: a use pathfind does not follow, most likely (an ioctl table a macro writes).
  const [named] = namedUses(index, index.name(to[0]!), to);
  if (named) return `; no C call pathfind binds reaches ${target}, but ${named.file}:${named.line} names it without calling it (\`${named.text}\`): a use pathfind does not follow may be how it is called`;
  // Files skipped as unreadable may hold the call: said first, since it is the one cause the user can mend.
  const skipped = project.unreadable.length;
  const unread = skipped ? `${skipped} file${skipped === 1 ? '' : 's'} could not be read and may hold the call (pathfind stats lists ${skipped === 1 ? 'it' : 'them'}), or ` : '';
  return `; no C call pathfind binds reaches ${target} (${unread}it may be entered from assembly, called through a call pathfind does not bind such as a pointer call inside a macro body or static_call(...)(...), or not called at all)`;
}

/**
 * For a callers tree of `name` with no caller: the first call of it the configuration leaves out
 * in the functions of the folders of its definitions and the folders above them (leftOutCall),
 * as `schedule_debug calls it at kernel/sched/core.c:29 under defined(CONFIG_X), which the
 * configuration leaves out: CONFIG_X is not set`; undefined when there is none, or the index
 * cannot read facts (an export).
 */
export function leftOutCaller(project: Project, name: string): string | undefined {
  const index = project.index;
  if (!index.factsReadable) return undefined;
  const to = project.nodes(name).filter((n) => !index.isExternal(n));
  const out = to.length ? leftOutCall(project, [], to, name, false) : undefined;
  return out && `${out.caller} calls it at ${out.file}:${out.line} under ${out.cond}, which the configuration leaves out: ${out.why}`;
}

/**
 * For a callers tree of `name` with no caller: the first line of its definitions' folders (and
 * the ones above) that names it without calling it (namedUses), as `fs/pipe.c:34 names it without
 * calling it (\`.llseek = no_llseek,\`): ...`; undefined when there is none.
 */
export function namingLine(project: Project, name: string): string | undefined {
  const index = project.index;
  const to = project.nodes(name).filter((n) => !index.isExternal(n));
  const [named] = to.length ? namedUses(index, index.name(to[0]!), to) : [];
  return named && `${named.file}:${named.line} names it without calling it (\`${named.text}\`): a call through where that puts it, which pathfind did not bind, may be how it is called`;
}

/**
 * The first call of `target` by name that the configuration leaves out (leftOutCalls) in the
 * start's definitions `from`, or, when nothing calls the target (`called` false), in the functions
 * of the folders of its definitions `to` and the folders above them whose text names it (their
 * facts read lazily: a few frames, where every file's would take a kernel half a minute); with
 * the caller's name.
 */
function leftOutCall(project: Project, from: number[], to: number[], target: string, called: boolean): { caller: string; file: string; line: number; cond: string; why: string } | undefined {
  const index = project.index;
  const folders = new Set(to.flatMap((n) => [dirname(index.file(n)), dirname(dirname(index.file(n)))]));
  // Only the files whose text names the target are read for facts.
  const naming = new Set(called || index.root === null ? [] : index.filePaths().flatMap((path, file) => (folders.has(dirname(path)) && names(join(index.root!, path), index.name(to[0]!)) ? [file] : [])));
  const near = naming.size ? [...Array(index.nodeCount).keys()].filter((n) => naming.has(index.nodeFile[n]!) && !index.isExternal(n) && !index.isMacro(n)) : [];
  // Calls are written by name: the target's own, not a `file:name` the query may have given.
  const name = to.length ? index.name(to[0]!) : target;
  for (const n of [...from, ...near]) {
    const [c] = leftOutCalls(index, [n], name);
    if (c) return { caller: index.name(n), ...c };
  }
  return undefined;
}

/**
 * `softirq_lock (kernel/softirq.c:14) is left out by the configuration (defined(CONFIG_PREEMPT_RT)
 * with CONFIG_PREEMPT_RT is not set)` when every one of the definitions `nodes` sits under a
 * preprocessor condition the configuration makes false where it stands (DefinitionActivity asked
 * from the definition's own file; a resolution leaves such a body's calls out, and binds no call
 * to it), each named, joined by `; `; undefined when one is not, there are none, or the index
 * cannot tell (no build model, or facts it cannot read: the conditions are in the facts).
 */
function leftOutDefinitions(project: Project, nodes: number[]): string | undefined {
  const index = project.index;
  const activity = index.bindingScope?.activity;
  if (!activity || !index.factsReadable || nodes.length === 0) return undefined;
  const out: string[] = [];
  for (const n of nodes) {
    const file = index.fileIdOf(n);
    const why = file < 0 || activity.activity(file, n) !== Truth.No ? undefined : activity.why(file, n);
    if (why === undefined) return undefined;
    out.push(`${index.name(n)} (${index.file(n)}:${index.nodeLine[n]}) is left out by the configuration (${why.replace(/^inactive: /, '')})`);
  }
  return out.join('; ');
}

/** True when the file at `path` holds the text `name` (false when it cannot be read). */
function names(path: string, name: string): boolean {
  try {
    return readFileSync(path, 'latin1').includes(name);
  } catch {
    return false;
  }
}
