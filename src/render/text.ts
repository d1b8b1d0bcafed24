import type { Explanation, HandedOver } from '../types/results.js';
import type { BindingRef, EdgeRef, NodeRef, PathsResult, TreeItem, TreeResult } from '../types/results.js';
import { mergedBindings } from './binding-lines.js';
import { counted, formatCount } from './count.js';
import { type RenderOptions, styler } from './style.js';

const where = (file: string, line: number): string => `${file}:${line}`;

/** A binding as one line: `net/ipv4/af_inet.c:1050 .sendmsg = inet_sendmsg in struct proto_ops inet_stream_ops`. */
const bindingText = (b: BindingRef): string => `${where(b.file, b.line)} ${b.text}`;

/** The first binding of an edge, and how many more there are: `file:line text, +4 more bindings`. */
function firstBinding(all: BindingRef[]): string {
  const evidence = mergedBindings(all);
  const more = evidence.length - 1;
  return `${bindingText(evidence[0]!)}${more > 0 ? `, +${more} more binding${more > 1 ? 's' : ''}` : ''}`;
}

/** `name  file:line  [kind: evidence]` for the callee end of an edge. */
function edgeLine(node: NodeRef, edge: EdgeRef, options: RenderOptions & { merged?: boolean }): string {
  const c = styler(options);
  const merged = edge.configDependent && options.merged;
  const name = `${c.bold(node.name)}${node.macro && !merged ? ` ${c.dim('(macro)')}` : ''}${node.external ? ` ${c.dim('(external)')}` : node.ambiguous && !merged ? ` ${c.dim(`(${node.file})`)}` : ''}`;
  let line = `${name}  ${c.cyan(where(edge.file, edge.line))}`;
  if (node.notBuilt) line += `  ${c.magenta(`[${node.notBuilt}]`)}`;
  if (edge.unbuiltBinding) line += `  ${c.magenta(`[${edge.unbuiltBinding}]`)}`;
  if (edge.configDependent) line += `  ${c.magenta(merged ? `[${edge.definitions} definitions, config-dependent]` : `[one of ${edge.definitions} definitions, config-dependent]`)}`;
  // Right after the call site: the evidence after it can run past any terminal's width.
  if (edge.deferred) line += `  ${c.magenta('[deferred]')}`;
  if (edge.through?.length) line += `  ${c.yellow(throughMark(edge.through))}`;
  if (edge.kind !== 'direct') line += `  ${c.yellow(`[${edge.kind}${edge.evidence?.length ? `: ${firstBinding(edge.evidence)}` : ''}]`)}`;
  return line;
}

/** `[through call_timer_fn, which calls it at kernel/time/timer.c:1701]`: a tree's callback-arg call's EdgeRef.through. */
const throughMark = (through: NonNullable<EdgeRef['through']>): string => {
  const last = through[through.length - 1]!;
  return `[through ${through.map((t) => t.name).join(', ')}, which calls it at ${where(last.file, last.line)}]`;
};

function rootLine(node: NodeRef, options: RenderOptions): string {
  const c = styler(options);
  if (node.external) return `${c.bold(node.name)}  ${c.dim('(external: not defined in the indexed files)')}`;
  return `${c.bold(node.name)}${node.macro ? c.dim(' (macro)') : ''}  ${c.dim(`defined at ${where(node.file, node.line)}`)}${node.notBuilt ? `  ${c.magenta(`[${node.notBuilt}]`)}` : ''}${node.inactive ? `  ${c.magenta(`[${node.inactive}]`)}` : ''}`;
}

/**
 * A path step through a pointer call binding at least this many targets gets a hint line
 * saying so and how to steer: with 4 or more, the path shown is one choice among several that
 * a user may not have meant (a debugfs `.write` handler where a socket was meant).
 */
export const MANY_TARGETS = 4;

/** `  [deferred]` after a step that hands work to another context (EdgeRef.deferred), as path output marks it; empty otherwise. */
const deferredMark = (e: EdgeRef, c: ReturnType<typeof styler>): string => (e.deferred ? `  ${c.magenta('[deferred]')}` : '');

/**
 * `  [not built with ...]  [bound only in files not built with ...]` after a call explain lists:
 * its callee's NodeRef.notBuilt and its EdgeRef.unbuiltBinding, as a path's step shows them; empty
 * when it has neither.
 */
const buildMarks = (e: EdgeRef, c: ReturnType<typeof styler>): string => [e.to.notBuilt, e.unbuiltBinding].map((m) => (m ? `  ${c.magenta(`[${m}]`)}` : '')).join('');

/**
 * A path's steps as `a -> b [deferred] -> c [not built] -> d [bound only in files not built]`
 * (a name other functions share with its file: `e1000_watchdog (drivers/.../netdev.c)`): a step
 * handing work to another context marked as path output marks it, a function the build
 * leaves out (NodeRef.notBuilt on a step's end) and a pointer step bound only by such code
 * (EdgeRef.unbuiltBinding) marked short (the configuration is named where the chain is explained);
 * and how many of the steps go through pointers (not plain or macro calls).
 */
export function chainSummary(steps: readonly EdgeRef[]): { text: string; pointers: number } {
  // A name other functions share names its file, as a step's line does (NodeRef.ambiguous).
  const name = (end: EdgeRef['to']): string => `${end.name}${end.ambiguous && end.file ? ` (${end.file})` : ''}${end.notBuilt ? ' [not built]' : ''}`;
  const step = (e: EdgeRef): string => `${name(e.to)}${e.deferred ? ' [deferred]' : ''}${e.unbuiltBinding ? ' [bound only in files not built]' : ''}`;
  const text = steps.length ? [name(steps[0]!.from), ...steps.map(step)].join(' -> ') : '';
  return { text, pointers: steps.filter((e) => e.kind !== 'direct' && e.kind !== 'macro').length };
}


/**
 * `one of 1,312 targets of file->f_op->write; steer with --via or --avoid`, or null below
 * MANY_TARGETS. What the targets are of: the syscall table (a dispatch table, named by the
 * profile), the callbacks passed to a function at this call site or, on a path, at the call
 * before (callback-arg: EdgeRef.passedAt), or the called
 * expression as written, with the members loaded into it when it is a local or a parameter (loadedFrom).
 */
export function steerHint(edge: EdgeRef): string | null {
  if (edge.targets === undefined || edge.targets < MANY_TARGETS) return null;
  const n = formatCount(edge.targets);
  const steer = 'steer with --via or --avoid';
  if (edge.dispatchTable) return `one of ${n} targets of the ${edge.dispatchTable.name} (${edge.dispatchTable.file})${edge.via ? ` through ${edge.via}` : ''}; ${steer}`;
  if (edge.kind === 'callback-arg') return `one of ${n} functions passed as callbacks ${edge.passedTo ? `to ${edge.passedTo} ` : ''}${edge.passedAt ? `at ${edge.passedAt.file}:${edge.passedAt.line}` : 'at this call site'}${passedLoadedFrom(edge)}; ${steer}`;
  if (edge.kind === 'dispatch-table') return `one of ${n} targets of a dispatch table; ${steer}`;
  return `one of ${n} targets of ${edge.via ?? 'this pointer call'}${loadedFrom(edge)}; ${steer}`;
}

/**
 * For a call through a local or a parameter (`open(inode, f)` in do_dentry_open): `, loaded from
 * f->f_op->open (fs/open.c:880)`, the members the caller loads into it, read from the edge's
 * evidence (a load's binding reads `open = f->f_op->open in do_dentry_open`); empty otherwise.
 */
function loadedFrom(edge: EdgeRef): string {
  const loads = loadsInto(edge, edge.via);
  return loads ? `, loaded from ${loads}` : '';
}

/**
 * For a callback-arg step passing a local or a parameter (`call_timer_fn(timer, fn, clk)` in
 * expire_timers): `, fn loaded from timer->function (kernel/time/timer.c:1462)`, the name read from
 * the passing's evidence (`fn passed to call_timer_fn, which calls it (...)`); empty otherwise.
 */
function passedLoadedFrom(edge: EdgeRef): string {
  const passing = edge.passedTo ? ` passed to ${edge.passedTo}` : undefined;
  // The passing is bound in the caller's file (on a path's step, the caller that passed it: passedAt).
  const caller = edge.passedAt ? { name: edge.passedAt.caller, file: edge.passedAt.file } : edge.from;
  const names = new Set((edge.evidence ?? []).filter((b) => passing && b.file === caller.file && b.text.includes(passing)).map((b) => b.text.slice(0, b.text.indexOf(passing!))));
  const said = [...names].flatMap((name) => {
    const loads = loadsInto(edge, name, caller);
    return loads ? [`${name} loaded from ${loads}`] : [];
  });
  return said.length ? `, ${said.join('; ')}` : '';
}

/** The members the caller loads into the local or parameter `name`, as `f->f_op->open (fs/open.c:880)` joined by ` or `, from the edge's evidence; '' when none or `name` is no identifier. */
function loadsInto(edge: EdgeRef, name: string | undefined, caller: { name: string; file: string } = edge.from): string {
  if (!name || !/^[A-Za-z_]\w*$/.test(name)) return '';
  const head = `${name} = `;
  const tail = ` in ${caller.name}`;
  const loads = (edge.evidence ?? []).filter((b) => b.file === caller.file && b.text.startsWith(head) && b.text.endsWith(tail) && b.text.length > head.length + tail.length);
  return loads.map((b) => `${b.text.slice(head.length, -tail.length)} (${where(b.file, b.line)})`).join(' or ');
}

/** Each path as an indented chain, one call per line with its call site; a dim hint line under steps through many-target pointer calls. */
export { PARSE_ERROR_FILES_SHOWN, renderStatsText, unreadableReason } from './stats-text.js';

export function renderPathsText(result: PathsResult, options: RenderOptions): string {
  const c = styler(options);
  const blocks = result.paths.map((path, i) => {
    const lines: string[] = [];
    if (result.paths.length > 1) lines.push(c.dim(`# path ${i + 1} of ${result.paths.length}, ${path.edges.length} calls`));
    lines.push(rootLine(path.nodes[0]!, options));
    path.edges.forEach((edge, j) => {
      lines.push(`${'  '.repeat(j)}└─ ${edgeLine(path.nodes[j + 1]!, edge, options)}`);
      const hint = steerHint(edge);
      if (hint) lines.push(`${'  '.repeat(j)}   ${c.dim(hint)}`);
    });
    return lines.join('\n');
  });
  if (result.onlyDeferred) blocks.unshift(c.dim('# no synchronous path: shown through deferred hops (marked [deferred]: work handed to another context)'));
  if (result.longerSynchronous) blocks.unshift(c.dim(`# through deferred hops: the shortest synchronous path takes ${result.longerSynchronous.calls} calls (--no-deferred shows it)`));
  if (result.shorterDeferred) {
    const { calls, ranksLower } = result.shorterDeferred;
    const shows = ranksLower ? ' but ranks lower: it enters code not built or error reporting (--deferred with a larger -k lists it)' : ': --deferred shows it';
    blocks.unshift(c.dim(`# a path through deferred hops takes ${calls} calls (this one ${result.paths[0]!.edges.length})${shows}`));
  }
  return `${blocks.join('\n\n')}\n`;
}

/** A callees or callers tree, cflow style. */
export function renderTreeText(trees: TreeResult[], options: RenderOptions): string {
  const c = styler(options);
  const out: string[] = [];
  // A function whose every call --built-only left out says so: it is no leaf of the code.
  const leftOut = (item: TreeItem): string => (item.leftOutNotBuilt ? `  ${c.magenta(`[${counted(item.leftOutNotBuilt, 'call')} left out: not built]`)}` : '');
  for (const tree of trees) {
    // A callers tree says so on its root line, so that it reads right saved without its command (check reads it).
    out.push(`${tree.direction === 'callers' ? `${rootLine(tree.function, options)}  ${c.dim('called by:')}` : rootLine(tree.function, options)}${leftOut(tree.root)}`);
    const walk = (item: TreeItem, prefix: string): void => {
      const groups = sameSiteGroups(item.children);
      // After the callees, the calls with no callee here, in source order: `?` where a callee's name would be.
      const unresolved = [
        ...(item.unresolved ?? []).map((u) => ({ ...u, why: u.overCap ? `unresolved: ${overCapText(u.overCap)}` : 'unresolved: no function is bound to it' })),
        ...(item.parameterCalls ?? []).map((p) => ({ ...p, why: `calls its parameter ${p.parameter}: bound where each caller passes a function` })),
      ].sort((a, b) => a.line - b.line);
      groups.forEach((group, i) => {
        const last = i === groups.length - 1 && unresolved.length === 0;
        const child = group[0]!;
        const repeat = group.every((g) => g.repeat === child.repeat) ? child.repeat : undefined;
        const mark = repeat === 'recursive' ? c.dim(' (recursive)') : repeat === 'shown' ? c.dim(' (see above)') : '';
        out.push(`${prefix}${last ? '└─ ' : '├─ '}${edgeLine(child.node, child.edge!, { ...options, merged: group.length > 1 })}${mark}${group.length === 1 ? leftOut(child) : ''}`);
        walk({ ...child, children: group.flatMap((g) => g.children) }, prefix + (last ? '   ' : '│  '));
      });
      unresolved.forEach((u, i) => {
        out.push(`${prefix}${i === unresolved.length - 1 ? '└─ ' : '├─ '}${c.dim('?')} ${u.call}  ${c.cyan(where(u.file, u.line))}  ${c.dim(`[${u.why}]`)}`);
      });
    };
    walk(tree.root, '');
  }
  return `${out.join('\n')}\n`;
}

/**
 * Children in groups: the definitions of one config-dependent call by name (same name, same call
 * site), next to each other, make one group shown once; every other child is a group of its own.
 */
function sameSiteGroups(children: TreeItem[]): TreeItem[][] {
  const groups: TreeItem[][] = [];
  for (const child of children) {
    const prev = groups[groups.length - 1]?.[0];
    const same = prev && child.edge?.configDependent && prev.edge?.configDependent && prev.node.name === child.node.name && prev.edge.file === child.edge.file && prev.edge.line === child.edge.line;
    if (same) groups[groups.length - 1]!.push(child);
    else groups.push([child]);
  }
  return groups;
}

/** `7908 candidates by member name, over the cap of 64`. */
const overCapText = (o: NonNullable<Explanation['unresolved'][number]['overCap']>): string => `${o.candidates} candidates by ${o.fallback === 'signature' ? 'signature' : 'member name'}, over the cap of ${o.cap}`;

/** `  through sock->ops->sendmsg, one of 3 targets` for an explained edge through a pointer (EdgeRef.via, .targets); '' for others. */
function calledThrough(e: Explanation['edges'][number]): string {
  const many = e.targets !== undefined && e.targets > 1 ? `one of ${formatCount(e.targets)} targets` : '';
  return e.via ? `  through ${e.via}${many ? `, ${many}` : ''}` : many ? `  ${many}` : '';
}

export function renderExplainText(x: Explanation, options: RenderOptions): string {
  const c = styler(options);
  const lines: string[] = [];
  if (x.edges.length) {
    lines.push(`${c.bold(x.caller)} calls ${c.bold(x.callee)}:`);
    // Several definitions of the callee: each edge names the one it reaches, and a call site's choice among them is listed once.
    // The choice is the call site's: it follows the site's last edge, under a heading when the site has several.
    const targets = new Set(x.edges.map((e) => `${e.to.file}:${e.to.line}`));
    const siteOf = (e: (typeof x.edges)[number]): string => `${e.file}:${e.line}:${e.kind}`;
    const edgesAt = new Map<string, number>();
    for (const e of x.edges) edgesAt.set(siteOf(e), (edgesAt.get(siteOf(e)) ?? 0) + 1);
    const seen = new Map<string, number>();
    for (const e of x.edges) {
      const to = targets.size > 1 && e.to.file !== undefined ? `  -> ${where(e.to.file, e.to.line!)}` : '';
      lines.push(`  ${c.cyan(where(e.file, e.line))}  ${c.yellow(e.kind)}${calledThrough(e)}${to}${deferredMark(e, c)}${buildMarks(e, c)}${e.configDependent ? `  ${c.magenta(`[one of ${e.definitions} definitions, config-dependent]`)}` : ''}`);
      if (e.under) lines.push(`    under ${e.under.cond}: ${e.under.why ?? 'it holds'}`);
      if (e.resultOf) lines.push(`    a call of what ${e.resultOf.invocation} expands to: ${e.resultOf.names.join(' or ')}${e.resultOf.names.length > 1 ? ` (one name per definition of ${e.resultOf.macro})` : ''}`);
      for (const b of mergedBindings(e.evidence ?? [])) lines.push(`    bound at ${bindingText(b)}`);
      const site = siteOf(e);
      const n = (seen.get(site) ?? 0) + 1;
      seen.set(site, n);
      if (n !== edgesAt.get(site) || !e.choice?.length) continue;
      if (n > 1) lines.push(`    this call site's choice among the definitions of ${x.callee}:`);
      for (const d of e.choice) lines.push(`    ${d.chosen ? 'chosen  ' : d.assembly ? 'assembly' : 'left out'} ${where(d.file, d.line)}${d.macro ? ' (macro)' : ''}: ${d.reason}`);
    }
  } else if (x.throughParameter.length) {
    // No edge of its own: the caller calls the callee through its parameter, bound where its callers pass it.
    lines.push(`${c.bold(x.caller)} calls ${c.bold(x.callee)} through its own parameter; the call is bound at the call sites that pass ${x.callee} in:`);
    for (const p of x.throughParameter) {
      lines.push(`  ${c.cyan(where(p.calledAt.file, p.calledAt.line))}  called by ${x.caller}; passed by ${p.passed.from.name} at ${c.cyan(where(p.passed.file, p.passed.line))}  ${c.yellow(p.passed.kind)}`);
      for (const b of mergedBindings(p.passed.evidence ?? [])) lines.push(`    bound at ${bindingText(b)}`);
    }
  } else if (x.throughMacros.length) {
    // No edge of its own: the call is written as a macro that expands to the callee (no trace shows the macro).
    lines.push(`${c.bold(x.caller)} calls ${c.bold(x.callee)} through macros only:`);
    for (const e of x.throughMacros) {
      lines.push(`  ${c.cyan(where(e.file, e.line))}  ${e.from.name} -> ${e.to.name}  ${c.yellow(e.kind)}${deferredMark(e, c)}${buildMarks(e, c)}`);
      for (const b of mergedBindings(e.evidence ?? [])) lines.push(`    bound at ${bindingText(b)}`);
    }
  } else if (x.throughInlined.length) {
    // No edge of its own: a stack trace shows the step when the compiler inlined the static functions between.
    lines.push(`no call from ${c.bold(x.caller)} to ${c.bold(x.callee)}; a stack trace may show one when the functions between leave no frame (static ones inlined, wrappers whose calls are tail calls):`);
    for (const e of x.throughInlined) lines.push(`  ${c.cyan(where(e.file, e.line))}  ${e.from.name} -> ${e.to.name}  ${c.yellow(e.kind)}${deferredMark(e, c)}${buildMarks(e, c)}`);
  } else {
    lines.push(`no edge from ${c.bold(x.caller)} to ${c.bold(x.callee)}`);
    if (x.unresolved.length) {
      lines.push(`unresolved indirect calls in ${x.caller}:`);
      for (const u of x.unresolved) lines.push(`  ${c.cyan(where(u.file, u.line))}  ${u.call}${u.overCap ? `  ${overCapText(u.overCap)}` : ''}`);
    } else lines.push(`${x.caller} makes no unresolved indirect call`);
    if (x.ownParameterCalls?.length) {
      lines.push(`${x.caller} calls its own parameter, bound only where its callers pass a function (none passes ${x.callee} here):`);
      for (const p of x.ownParameterCalls) lines.push(`  ${c.cyan(where(p.file, p.line))}  ${p.call}`);
    }
    if (x.macroPointerCalls?.length) {
      lines.push(`pointer calls in the bodies of macros ${x.caller} expands, which pathfind does not bind (one of them may be the missing step):`);
      for (const m of x.macroPointerCalls) lines.push(`  ${c.cyan(where(m.file, m.line))}  ${m.macro}: ${m.calls.map((call) => `${call}(...)`).join(', ')}`);
    }
  }
  // Calls written inside #if blocks the configuration leaves out: of the callee by name, or through pointers (one may have been the step).
  const byName = x.leftOut?.filter((l) => l.call === x.callee) ?? [];
  const pointer = x.leftOut?.filter((l) => l.call !== x.callee) ?? [];
  if (byName.length) lines.push(`${x.caller} calls ${x.callee} ${x.throughInlined.length || x.throughMacros.length ? 'itself' : 'only'} inside #if blocks the configuration leaves out:`);
  for (const l of byName) lines.push(`  ${c.cyan(where(l.file, l.line))}  under ${l.cond}: ${l.why}`);
  if (pointer.length) lines.push(`pointer calls of ${x.caller} inside #if blocks the configuration leaves out (one may have been the step):`);
  for (const l of pointer) lines.push(`  ${c.cyan(where(l.file, l.line))}  ${l.call.startsWith('.') ? `->${l.call.slice(1)}` : l.call}(...) under ${l.cond}: ${l.why}`);
  if (x.passedOn.length) {
    // The caller only passes the callee on: the function that calls it makes the step a trace shows.
    lines.push(`${x.caller} passes ${x.callee} on through a parameter; the function that calls it makes the step:`);
    for (const p of x.passedOn) {
      lines.push(`  ${c.cyan(where(p.calledAt.file, p.calledAt.line))}  called by ${p.user}; passed by ${p.passed.from.name} at ${c.cyan(where(p.passed.file, p.passed.line))}  ${c.yellow(p.passed.kind)}`);
      for (const b of mergedBindings(p.passed.evidence ?? [])) lines.push(`    bound at ${bindingText(b)}`);
    }
  }
  if (x.handedOver?.length) {
    // A registration: the caller hands the callee over, and another function makes the call.
    lines.push(`${x.caller} hands ${x.callee} over, and another function calls it:`);
    // One handover may be called from several places: it is given once, with each of them.
    const byPlace = new Map<string, HandedOver[]>();
    for (const h of x.handedOver) {
      const key = `${h.file}\0${h.line}\0${h.text}`;
      byPlace.set(key, [...(byPlace.get(key) ?? []), h]);
    }
    for (const group of byPlace.values()) {
      lines.push(`  ${c.cyan(where(group[0]!.file, group[0]!.line))}  ${group[0]!.text}`);
      for (const { calledBy: e } of group) lines.push(`    called by ${e.from.name} at ${c.cyan(where(e.file, e.line))}  ${c.yellow(e.kind)}${deferredMark(e, c)}`);
    }
  }
  if (x.nearestPath?.length) {
    // The functions between keep their frames: the path a trace shows, to be followed step by step.
    const { text, pointers } = chainSummary(x.nearestPath);
    lines.push(`${x.caller} reaches ${x.callee} in ${x.nearestPath.length} calls${pointers ? `, ${pointers} of them through pointers` : ''}: ${text}`);
    lines.push(c.dim(`  pathfind -s ${x.caller} -t ${x.callee} shows each step's call site`));
  } else if (x.fartherPath) {
    const through = x.fartherPath.notBuilt ? `, through ${x.fartherPath.notBuilt.join(', ')} [not built]` : '';
    lines.push(`${x.caller} reaches ${x.callee} only in more than ${x.fartherPath.beyond} calls (${x.fartherPath.calls} on the shortest path${through})`);
    lines.push(c.dim(`  pathfind -s ${x.caller} -t ${x.callee} shows each step's call site${x.fartherPath.notBuilt ? '; add --built-only for a path through built code' : ''}`));
  }
  for (const n of x.notBuilt ?? []) lines.push(c.magenta(`${n.name} (${n.file}) is ${n.reason}`));
  if (x.callerDefinitions) {
    lines.push(`${x.caller} has ${x.callerDefinitions.length} definitions:`);
    const defs = x.callerDefinitions;
    // A handover lies in the definition of its file that starts last at or above its line.
    const handsOver = (d: (typeof defs)[number]): boolean => !!x.handedOver?.some((h) => h.file === d.file && d.line <= h.line && !defs.some((o) => o.file === d.file && o.line > d.line && o.line <= h.line));
    const how = { macros: ' through macros only', folded: ' through a chain a stack trace folds (above)' };
    for (const d of defs) lines.push(`  ${c.cyan(where(d.file, d.line))}  ${d.calls ? 'calls' : 'does not call'} ${x.callee}${d.through ? how[d.through] : ''}${!d.calls && handsOver(d) ? '; hands it over (above)' : ''}${d.nearest ? '; the nearest path above starts here' : ''}${d.notCompiled ? c.magenta(`; not compiled: ${d.notCompiled}`) : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
