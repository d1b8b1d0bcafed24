import type { Claim } from './claims.js';

/**
 * What `pathfind check` reports about the claims read from documents: one finding per claim
 * step that does not simply hold (broken, unknown name, moved call site, weak binding, skipped
 * calls). A claim that holds plainly gives no finding.
 */

/** How bad a finding is: errors fail the check (exit 1); warnings too with `--strict`; notes never. */
export type Severity = 'error' | 'warning' | 'note';

/** Which rule a finding reports (stable ids: SARIF rule ids and JSON `rule`). */
export type FindingRule =
  /** The caller does not reach the callee (in one call, or within the allowed gap). */
  | 'broken-call'
  /** A name in the claim is no function of the tree (renamed or removed). */
  | 'unknown-function'
  /** The `file:line` the document gives for the step is not where the call (or the callee) is now. */
  | 'site-mismatch'
  /** The step holds only through a weak binding kind (`field-name`, `signature`): a guess. */
  | 'weak-binding'
  /** The step holds only by skipping calls, as `--max-gap` allows; the finding says which. */
  | 'skipped-calls'
  /** The caller is defined in no indexed file (external), so what it calls is unknown. */
  | 'unverifiable';

/** Every rule, in report order, with the one-line description reports give (SARIF `rules`). */
export const FINDING_RULES: readonly { id: FindingRule; description: string }[] = [
  { id: 'broken-call', description: 'A documented call that the tree does not make' },
  { id: 'unknown-function', description: 'A documented function that is not in the tree' },
  { id: 'site-mismatch', description: 'A documented file:line that does not match the call site' },
  { id: 'weak-binding', description: 'A documented call that holds only through a weak binding (field-name or signature)' },
  { id: 'skipped-calls', description: 'A documented call that holds only by skipping calls (--max-gap)' },
  { id: 'unverifiable', description: 'A documented call from a function defined in no indexed file' },
];

/** What the tree has now, for a finding: the facts its message is made of. */
export interface Current {
  /** The nearest current call path from the claim's caller to its callee, by name (caller first). */
  path?: string[];
  /** Names of existing functions close to an unknown one, the likeliest first. */
  suggestions?: string[];
  /** Where the call is now (site-mismatch): call sites of caller -> callee, and the callee's definitions. */
  sites?: { file: string; line: number }[];
  /** The edge kind the step holds through (weak-binding), e.g. `field-name`. */
  kind?: string;
  /** Functions skipped between caller and callee (skipped-calls), in path order. */
  skipped?: string[];
}

/** One finding, located at a name of the document (1-based line and column). */
export interface Finding {
  /** The document's path as given on the command line. */
  doc: string;
  line: number;
  column: number;
  severity: Severity;
  rule: FindingRule;
  /** One line, saying what the document claims and what the tree has now. */
  message: string;
  /** The claim the finding is about. */
  claim: Claim;
  now: Current;
}

/** The outcome of checking a set of documents. */
export interface CheckResult {
  /** Documents read, in the order given (folders expanded). */
  documents: string[];
  /** Claims (caller -> callee steps) checked. */
  steps: number;
  /** Findings sorted by document, line, column, then rule and message. */
  findings: Finding[];
}
