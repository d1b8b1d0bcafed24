import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeIndex } from '../index/code-index.js';
import { kindId } from './edge-kind.js';
import { surveyed } from './site-survey.js';
import type { EdgeList, Evidence } from './edge-list.js';
import type { DispatchTable } from '../profiles/profile.js';

/**
 * Build-time dispatch tables (the syscall table): the dispatcher reaches every entry. `callers`:
 * the nodes with a call through a table's array (SiteSurvey.tableCallers); every node is read without it.
 */
export function resolveDispatchTables(index: CodeIndex, edges: EdgeList, callers?: Int32Array): void {
  const kind = kindId('dispatch-table');
  for (const rule of index.profile.dispatchTables) {
    // [node, call site] pairs that dispatch: named dispatchers, and calls through the table's array.
    const dispatchers: [number, number][] = rule.dispatchers.flatMap((name) => index.nodesNamed(name).map((n): [number, number] => [n, -1]));
    if (rule.array) {
      for (const node of surveyed(index, callers)) {
        index.calls(node).forEach((call, site) => {
          if (call.array === rule.array) dispatchers.push([node, site]);
        });
      }
    }
    if (dispatchers.length === 0) continue;
    // Resolving needs the tree: an index from an export is resolved already.
    if (index.root === null) continue;
    const rows = tableEntries(index.root, rule);
    if (!rows) continue;
    // A function in several entries is one edge per dispatcher, with each entry as a binding.
    const entries = new Map<number, Evidence[]>();
    for (const row of rows) {
      for (const target of index.nodesNamed(row.name)) {
        const list = entries.get(target) ?? [];
        list.push({ file: rule.table, line: row.line, text: row.text });
        entries.set(target, list);
      }
    }
    for (const [target, evidence] of entries) {
      const set = edges.evidenceSet(evidence);
      for (const [d, site] of dispatchers) edges.add(d, target, kind, site, site >= 0 ? index.calls(d)[site]!.line : index.nodeLine[d]!, set);
    }
  }
}

/**
 * The entries of a dispatch table (DispatchTable.table under `root`, read by its `entry`): the
 * function each names, its line (1-based) and its text with runs of blanks made one space. Null
 * when the table cannot be read.
 */
export function tableEntries(root: string, rule: DispatchTable): { name: string; line: number; text: string }[] | null {
  let text: string;
  try {
    text = readFileSync(join(root, rule.table), 'utf8');
  } catch {
    return null;
  }
  const rows: { name: string; line: number; text: string }[] = [];
  text.split('\n').forEach((line, i) => {
    const name = rule.entry(line);
    if (name) rows.push({ name, line: i + 1, text: line.trim().replace(/\s+/g, ' ') });
  });
  return rows;
}

/**
 * Why a patch whose edits change the definitions of `names` cannot follow the dispatch tables
 * (Profile.dispatchTables), or null: a name a table's entry names, or a dispatcher's name. A
 * table names its functions outside any C file, so no mention of them counts it, and the
 * resolution binds its entries to every function of the name (resolveDispatchTables).
 */
export function dispatchTableNamesReason(root: string, tables: readonly DispatchTable[], names: ReadonlySet<string>): string | null {
  if (names.size === 0) return null;
  for (const rule of tables) {
    const dispatcher = rule.dispatchers.find((d) => names.has(d));
    if (dispatcher) return `${dispatcher}, which calls every entry of the ${rule.name} (${rule.table}), was added or removed`;
    const named = tableEntries(root, rule)?.find((row) => names.has(row.name));
    if (named) return `${named.name} was added or removed, and the ${rule.name} names it (${rule.table}:${named.line})`;
  }
  return null;
}
