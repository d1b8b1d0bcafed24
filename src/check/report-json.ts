import { JSON_VERSION } from '../render/json.js';
import type { ClaimName } from '../types/claims.js';
import type { CheckResult, Finding } from '../types/findings.js';
import { severityCounts } from './report-text.js';

/**
 * The JSON report, `checkDocument` in schema/pathfind.schema.json:
 * `{"version","documents":[...],"steps","errors","warnings","notes","findings":[...]}`, each finding
 * `{"doc","line","column","severity","rule","message","claim":{"form","from","to","gap"?,"mayInline"?},"now":{...}}`.
 * Keys in a fixed order, so the same check gives the same bytes.
 */
export function reportJson(result: CheckResult): string {
  const c = severityCounts(result);
  const doc = { version: JSON_VERSION, documents: result.documents, steps: result.steps, errors: c.error, warnings: c.warning, notes: c.note, findings: result.findings.map(findingJson) };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function nameJson(n: ClaimName): Record<string, unknown> {
  return { name: n.name, line: n.line, column: n.column, ...(n.site ? { site: { file: n.site.file, line: n.site.line } } : {}) };
}

function findingJson(f: Finding): Record<string, unknown> {
  const { claim, now } = f;
  const claimOut = { form: claim.form, from: nameJson(claim.from), to: nameJson(claim.to), ...(claim.gap ? { gap: true } : {}), ...(claim.mayInline ? { mayInline: true } : {}) };
  const nowOut: Record<string, unknown> = {};
  for (const key of ['path', 'suggestions', 'sites', 'kind', 'skipped'] as const) if (now[key] !== undefined) nowOut[key] = now[key];
  return { doc: f.doc, line: f.line, column: f.column, severity: f.severity, rule: f.rule, message: f.message, claim: claimOut, now: nowOut };
}
