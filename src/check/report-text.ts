import type { CheckResult, Finding, Severity } from '../types/findings.js';

/** `doc.md:12:5: error: message`, as compilers write diagnostics (GNU style, 1-based line and column). */
export function findingLine(f: Finding): string {
  return `${f.doc}:${f.line}:${f.column}: ${f.severity}: ${f.message}`;
}

/** How many findings of each severity. */
export function severityCounts(result: CheckResult): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const f of result.findings) counts[f.severity]++;
  return counts;
}

/** `checked 12 steps in 3 documents: 1 error, 2 warnings, 0 notes`, or `...: every step holds` when there is no finding. */
export function summaryLine(result: CheckResult): string {
  const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const head = `checked ${plural(result.steps, 'step')} in ${plural(result.documents.length, 'document')}`;
  if (result.findings.length === 0) return `${head}: every step holds`;
  const c = severityCounts(result);
  return `${head}: ${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.note, 'note')}`;
}

/** The text report: one compiler-style line per finding, in order, then the summary line. */
export function reportText(result: CheckResult): string {
  return [...result.findings.map(findingLine), summaryLine(result)].join('\n') + '\n';
}
