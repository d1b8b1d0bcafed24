import type { CheckResult, Finding, Severity } from '../types/findings.js';
import { findingLine, summaryLine } from './report-text.js';

/**
 * GitHub shows at most this many annotations of each type (error, warning, notice) per step;
 * the rest would be dropped silently, so they go to the step summary instead.
 */
export const GITHUB_ANNOTATION_LIMIT = 10;

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', note: 'notice' };

/** A workflow command's message: `%`, CR and LF escaped, as the runner decodes them. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: as a message, and `:` and `,` too (they delimit properties). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One annotation: `::error file=doc.md,line=12,col=5,title=pathfind broken-call::message`. */
export function annotation(f: Finding): string {
  const props = [`file=${escapeProperty(f.doc)}`, `line=${f.line}`, `col=${f.column}`, `title=${escapeProperty(`pathfind ${f.rule}`)}`];
  return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(f.message)}`;
}

/**
 * The GitHub Actions report. `output` (for the log): an annotation for each of the first
 * `limit` findings of each severity, the others as plain compiler-style lines, then the summary
 * line. `summary` (Markdown for $GITHUB_STEP_SUMMARY): the summary line and a table of the
 * findings that got no annotation.
 */
export function reportGithub(result: CheckResult, limit = GITHUB_ANNOTATION_LIMIT): { output: string; summary: string } {
  const shown: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  const annotated: string[] = [];
  const rest: Finding[] = [];
  for (const f of result.findings) {
    if (shown[f.severity]++ < limit) annotated.push(annotation(f));
    else rest.push(f);
  }
  const head = summaryLine(result);
  const output = [...annotated, ...rest.map(findingLine), head].join('\n') + '\n';
  const lines = ['## pathfind check', '', markdownText(head)];
  if (rest.length) {
    lines.push('', `${rest.length} finding${rest.length === 1 ? '' : 's'} past GitHub's ${limit} annotations per type:`, '', '| document | line | column | severity | finding |', '|---|---|---|---|---|');
    for (const f of rest) lines.push(`| ${markdownText(f.doc)} | ${f.line} | ${f.column} | ${f.severity} | ${markdownText(f.message)} |`);
  }
  return { output, summary: lines.join('\n') + '\n' };
}

/** Text inside a Markdown table cell: HTML and the cell delimiter made inert, one line. */
function markdownText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}
