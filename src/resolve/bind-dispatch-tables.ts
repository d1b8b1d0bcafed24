import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeIndex } from '../index/code-index.js';
import { kindId } from './edge-kind.js';
import { surveyed } from './site-survey.js';
import type { EdgeList, Evidence } from './edge-list.js';

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
    let text: string;
    // Resolving needs the tree: an index from an export is resolved already.
    if (index.root === null) continue;
    try {
      text = readFileSync(join(index.root, rule.table), 'utf8');
    } catch {
      continue;
    }
    // A function in several entries is one edge per dispatcher, with each entry as a binding.
    const entries = new Map<number, Evidence[]>();
    text.split('\n').forEach((line, i) => {
      const name = rule.entry(line);
      if (!name) return;
      for (const target of index.nodesNamed(name)) {
        const list = entries.get(target) ?? [];
        list.push({ file: rule.table, line: i + 1, text: line.trim().replace(/\s+/g, ' ') });
        entries.set(target, list);
      }
    });
    for (const [target, evidence] of entries) {
      const set = edges.evidenceSet(evidence);
      for (const [d, site] of dispatchers) edges.add(d, target, kind, site, site >= 0 ? index.calls(d)[site]!.line : index.nodeLine[d]!, set);
    }
  }
}
