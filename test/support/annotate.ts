import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { edgeRef } from '../../src/api/describe.js';
import type { Project } from '../../src/api/project.js';

/**
 * A file of the tree printed with a caret line under every call site, saying what it
 * bound to: the "annotated source" form of our golden tests.
 */
export function annotateFile(project: Project, path: string): string {
  const { index, edges } = project;
  const fileId = index.files.findIndex((f) => f.path === path);
  if (fileId < 0) throw new Error(`not indexed: ${path}`);
  const raw = readFileSync(join(index.root!, path), 'utf8').split('\n');
  const visual = (line: number, col: number): number => (raw[line - 1] ?? '').slice(0, col).replace(/\t/g, '    ').length;
  const notes = new Map<number, string[]>();
  const note = (line: number, text: string): void => {
    const list = notes.get(line) ?? [];
    list.push(text);
    notes.set(line, list);
  };
  for (let node = 0; node < index.nodeCount; node++) {
    if (index.nodeFile[node] !== fileId) continue;
    index.calls(node).forEach((call, site) => {
      const targets: string[] = [];
      for (let e = 0; e < edges.length; e++) {
        if (edges.from.get(e) !== node || edges.site.get(e) !== site) continue;
        const ref = edgeRef(index, edges, e);
        const to = edges.to.get(e);
        const at = index.isExternal(to) ? 'external' : `${index.file(to)}:${index.nodeLine[to]}`;
        targets.push(`-> ${ref.to.name} (${ref.kind}, ${at})${ref.configDependent ? ` [one of ${ref.definitions} definitions, config-dependent]` : ''}${(ref.evidence ?? []).map((b) => ` bound at ${b.file}:${b.line} ${b.text}`).join(';')}`);
      }
      const what = call.name ?? (call.field !== undefined ? `->${call.field}` : call.param !== undefined ? `param #${call.param}` : 'pointer');
      const col = Math.max(0, (index.isMacro(node) ? 0 : visual(call.line, call.col)) - 2);
      if (targets.length === 0) note(call.line, `${' '.repeat(col)}^ ${what}: unresolved`);
      for (const t of targets.sort()) note(call.line, `${' '.repeat(col)}^ ${what} ${t}`);
    });
  }
  const out: string[] = [];
  raw.forEach((text, i) => {
    out.push(text.replace(/\t/g, '    '));
    for (const n of notes.get(i + 1) ?? []) out.push(`//${n}`);
  });
  return out.join('\n');
}
