import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FINDING_RULES, type CheckResult, type FindingRule, type Severity } from '../types/findings.js';

/** Where SARIF locations are relative to, and which pathfind wrote the log. */
export interface SarifOptions {
  /** pathfind's version (tool.driver.version). */
  version: string;
  /** The repository's root: artifact URIs are relative to it (GitHub code scanning resolves them from the checkout). */
  repoRoot: string;
  /** The folder the documents' paths are relative to (the current directory). */
  cwd: string;
}

const DEFAULT_LEVEL: Record<FindingRule, Severity> = {
  'broken-call': 'error',
  'unknown-function': 'error',
  'site-mismatch': 'warning',
  'weak-binding': 'note',
  'skipped-calls': 'note',
  unverifiable: 'warning',
};

/**
 * A document's URI relative to the repository root (`docs/net.md`, each segment percent-encoded),
 * or an absolute `file://` URI for a document outside it.
 */
export function artifactUri(doc: string, options: Pick<SarifOptions, 'repoRoot' | 'cwd'>): string {
  const absolute = resolve(options.cwd, doc);
  const rel = relative(resolve(options.cwd, options.repoRoot), absolute);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return pathToFileURL(absolute).href;
  return rel.split(sep).map(encodeURIComponent).join('/');
}

/**
 * The SARIF 2.1.0 report (OASIS Static Analysis Results Interchange Format): one run, its
 * tool.driver naming pathfind with every rule (FINDING_RULES), one result per finding with its
 * level, message and location (artifact URI relative to the repository, start line and column).
 */
export function reportSarif(result: CheckResult, options: SarifOptions): string {
  const ruleIndex = new Map(FINDING_RULES.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pathfind',
            version: options.version,
            rules: FINDING_RULES.map((r) => ({ id: r.id, shortDescription: { text: r.description }, defaultConfiguration: { level: DEFAULT_LEVEL[r.id] } })),
          },
        },
        results: result.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIndex.get(f.rule)!,
          level: f.severity,
          message: { text: f.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(f.doc, options) }, region: { startLine: f.line, startColumn: f.column } } }],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
