import type { Explanation } from '../types/results.js';
import type { EdgeRef, NodeRef, PathsResult, StatsResult, TreeItem, TreeResult } from '../types/results.js';
import { type RenderOptions, styler } from './style.js';

const where = (file: string, line: number): string => `${file}:${line}`;

/** `name  file:line  [kind: evidence]` for the callee end of an edge. */
function edgeLine(node: NodeRef, edge: EdgeRef, options: RenderOptions): string {
  const c = styler(options);
  const name = `${c.bold(node.name)}${node.macro ? ` ${c.dim('(macro)')}` : ''}${node.external ? ` ${c.dim('(external)')}` : node.ambiguous ? ` ${c.dim(`(${node.file})`)}` : ''}`;
  let line = `${name}  ${c.cyan(where(edge.file, edge.line))}`;
  if (edge.kind !== 'direct') line += `  ${c.yellow(`[${edge.kind}${edge.evidence ? `: ${edge.evidence}` : ''}]`)}`;
  return line;
}

function rootLine(node: NodeRef, options: RenderOptions): string {
  const c = styler(options);
  if (node.external) return `${c.bold(node.name)}  ${c.dim('(external: not defined in the indexed files)')}`;
  return `${c.bold(node.name)}${node.macro ? c.dim(' (macro)') : ''}  ${c.dim(`defined at ${where(node.file, node.line)}`)}`;
}

/** Each path as an indented chain, one call per line with its call site. */
export function renderPathsText(result: PathsResult, options: RenderOptions): string {
  const c = styler(options);
  const blocks = result.paths.map((path, i) => {
    const lines: string[] = [];
    if (result.paths.length > 1) lines.push(c.dim(`# path ${i + 1} of ${result.paths.length}, ${path.edges.length} calls`));
    lines.push(rootLine(path.nodes[0]!, options));
    path.edges.forEach((edge, j) => lines.push(`${'  '.repeat(j)}└─ ${edgeLine(path.nodes[j + 1]!, edge, options)}`));
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

/** A callees or callers tree, cflow style. */
export function renderTreeText(trees: TreeResult[], options: RenderOptions): string {
  const c = styler(options);
  const out: string[] = [];
  for (const tree of trees) {
    out.push(rootLine(tree.function, options));
    const walk = (item: TreeItem, prefix: string): void => {
      item.children.forEach((child, i) => {
        const last = i === item.children.length - 1;
        const mark = child.repeat === 'recursive' ? c.dim(' (recursive)') : child.repeat === 'shown' ? c.dim(' (see above)') : '';
        out.push(`${prefix}${last ? '└─ ' : '├─ '}${edgeLine(child.node, child.edge!, options)}${mark}`);
        walk(child, prefix + (last ? '   ' : '│  '));
      });
    };
    walk(tree.root, '');
  }
  return `${out.join('\n')}\n`;
}

export function renderStatsText(stats: StatsResult): string {
  const rows: [string, string | number][] = [
    ['files', stats.files],
    ['files with parse errors', stats.filesWithParseErrors],
    ['functions', stats.functions],
    ['macros', stats.macros],
    ['external functions', stats.external],
    ['call sites', stats.callSites.total],
    ['  direct', stats.callSites.direct],
    ['  indirect', stats.callSites.indirect],
    ['  through a parameter', stats.callSites.throughParameter],
    ['indirect sites resolved', `${stats.indirect.resolved} (${stats.callSites.indirect ? ((100 * stats.indirect.resolved) / stats.callSites.indirect).toFixed(1) : '0.0'}%)`],
    ['indirect sites unresolved', stats.indirect.unresolved],
    ...Object.entries(stats.indirect.byKind).map(([k, v]): [string, number] => [`  resolved by ${k}`, v]),
    ['targets per resolved site', `median ${stats.indirect.targetsPerSite.median}, p90 ${stats.indirect.targetsPerSite.p90}, max ${stats.indirect.targetsPerSite.max}`],
    ['edges', Object.values(stats.edges).reduce((a, b) => a + b, 0)],
    ...Object.entries(stats.edges).filter(([, v]) => v > 0).map(([k, v]): [string, number] => [`  ${k}`, v]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return `${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`;
}

export function renderExplainText(x: Explanation, options: RenderOptions): string {
  const c = styler(options);
  const lines: string[] = [];
  if (x.edges.length) {
    lines.push(`${c.bold(x.caller)} calls ${c.bold(x.callee)}:`);
    for (const e of x.edges) {
      lines.push(`  ${c.cyan(where(e.file, e.line))}  ${c.yellow(e.kind)}${e.evidence ? `\n    bound at ${e.evidence}` : ''}`);
    }
  } else {
    lines.push(`no edge from ${c.bold(x.caller)} to ${c.bold(x.callee)}`);
    if (x.unresolved.length) {
      lines.push(`unresolved indirect calls in ${x.caller}:`);
      for (const u of x.unresolved) lines.push(`  ${c.cyan(where(u.file, u.line))}  ${u.call}`);
    } else lines.push(`${x.caller} makes no unresolved indirect call`);
  }
  return `${lines.join('\n')}\n`;
}
