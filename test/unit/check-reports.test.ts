import { describe, expect, it } from 'vitest';
import { annotation, escapeData, escapeProperty, reportGithub } from '../../src/check/report-github.js';
import { artifactUri, reportSarif } from '../../src/check/report-sarif.js';
import { reportText } from '../../src/check/report-text.js';
import type { CheckResult, Finding, Severity } from '../../src/types/findings.js';
import { FINDING_RULES } from '../../src/types/findings.js';
import { claim } from '../support/claims.js';

/** A finding as the verifier makes them, for the report writers. */
function finding(doc: string, line: number, column: number, severity: Severity, message: string): Finding {
  const rule = severity === 'error' ? 'broken-call' : severity === 'warning' ? 'site-mismatch' : 'weak-binding';
  return { doc, line, column, severity, rule, message, claim: claim('a', 'b', { doc, line }), now: {} };
}

const result: CheckResult = {
  documents: ['docs/net.md', 'docs/fs.rst'],
  steps: 7,
  findings: [
    finding('docs/net.md', 12, 5, 'error', 'tcp_connect does not call __tcp_transmit_skb; now tcp_connect -> tcp_transmit_skb -> __tcp_transmit_skb'),
    finding('docs/net.md', 14, 9, 'warning', 'tcp_write_xmit -> tcp_transmit_skb: net/ipv4/tcp_output.c:70 does not match; the call is at net/ipv4/tcp_output.c:73'),
    finding('docs/net.md', 20, 1, 'note', 'a -> b holds only through a field-name binding (a guess from the member name alone)'),
  ],
};

describe('text report', () => {
  it('one compiler-style line per finding, then the summary', () => {
    expect(reportText(result)).toBe(
      [
        'docs/net.md:12:5: error: tcp_connect does not call __tcp_transmit_skb; now tcp_connect -> tcp_transmit_skb -> __tcp_transmit_skb',
        'docs/net.md:14:9: warning: tcp_write_xmit -> tcp_transmit_skb: net/ipv4/tcp_output.c:70 does not match; the call is at net/ipv4/tcp_output.c:73',
        'docs/net.md:20:1: note: a -> b holds only through a field-name binding (a guess from the member name alone)',
        'checked 7 steps in 2 documents: 1 error, 1 warning, 1 note',
        '',
      ].join('\n'),
    );
  });

  it('with no finding, the summary says every step holds (singular counts too)', () => {
    expect(reportText({ documents: ['a.md'], steps: 1, findings: [] })).toBe('checked 1 step in 1 document: every step holds\n');
  });
});

describe('github report', () => {
  it('escapes % CR LF in messages, and : , too in properties', () => {
    expect(escapeData('50% a\r\nb: c, d')).toBe('50%25 a%0D%0Ab: c, d');
    expect(escapeProperty('50% a\r\nb: c, d')).toBe('50%25 a%0D%0Ab%3A c%2C d');
    const f = finding('docs/we,ird:name%.md', 3, 7, 'warning', 'x: y, 100%\nz');
    expect(annotation(f)).toBe('::warning file=docs/we%2Cird%3Aname%25.md,line=3,col=7,title=pathfind site-mismatch::x: y, 100%25%0Az');
  });

  it('annotations per severity: error, warning, notice; then the summary line', () => {
    const { output, summary } = reportGithub(result);
    expect(output.split('\n')).toEqual([
      '::error file=docs/net.md,line=12,col=5,title=pathfind broken-call::tcp_connect does not call __tcp_transmit_skb; now tcp_connect -> tcp_transmit_skb -> __tcp_transmit_skb',
      '::warning file=docs/net.md,line=14,col=9,title=pathfind site-mismatch::tcp_write_xmit -> tcp_transmit_skb: net/ipv4/tcp_output.c:70 does not match; the call is at net/ipv4/tcp_output.c:73',
      '::notice file=docs/net.md,line=20,col=1,title=pathfind weak-binding::a -> b holds only through a field-name binding (a guess from the member name alone)',
      'checked 7 steps in 2 documents: 1 error, 1 warning, 1 note',
      '',
    ]);
    expect(summary).toBe('## pathfind check\n\nchecked 7 steps in 2 documents: 1 error, 1 warning, 1 note\n');
  });

  it('at most 10 annotations per severity; the rest as plain lines and in the step summary table', () => {
    const many: CheckResult = {
      documents: ['d.md'],
      steps: 14,
      findings: [
        ...Array.from({ length: 12 }, (_, i) => finding('d.md', i + 1, 1, 'error', `f${i + 1} does not call g|<h>`)),
        ...Array.from({ length: 2 }, (_, i) => finding('d.md', 20 + i, 1, 'note', `note ${i}`)),
      ],
    };
    const { output, summary } = reportGithub(many);
    const out = output.trimEnd().split('\n');
    expect(out.filter((l) => l.startsWith('::error '))).toHaveLength(10);
    expect(out.filter((l) => l.startsWith('::notice '))).toHaveLength(2);
    expect(out).toContain('d.md:11:1: error: f11 does not call g|<h>');
    expect(out).toContain('d.md:12:1: error: f12 does not call g|<h>');
    expect(out.at(-1)).toBe('checked 14 steps in 1 document: 12 errors, 0 warnings, 2 notes');
    expect(summary.split('\n')).toEqual([
      '## pathfind check',
      '',
      'checked 14 steps in 1 document: 12 errors, 0 warnings, 2 notes',
      '',
      "2 findings past GitHub's 10 annotations per type:",
      '',
      '| document | line | column | severity | finding |',
      '|---|---|---|---|---|',
      '| d.md | 11 | 1 | error | f11 does not call g\\|&lt;h&gt; |',
      '| d.md | 12 | 1 | error | f12 does not call g\\|&lt;h&gt; |',
      '',
    ]);
  });
});

describe('sarif report', () => {
  const sarif = JSON.parse(reportSarif(result, { version: '9.9.9', repoRoot: '/repo', cwd: '/repo' })) as Record<string, any>;

  it('is a SARIF 2.1.0 log with one run naming pathfind and every rule', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.runs).toHaveLength(1);
    const driver = sarif.runs[0].tool.driver;
    expect(driver).toMatchObject({ name: 'pathfind', version: '9.9.9' });
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(FINDING_RULES.map((r) => r.id));
    for (const r of driver.rules) expect(r.shortDescription.text).toMatch(/\S/);
  });

  it('one result per finding: rule, level, message, repository-relative location', () => {
    const results = sarif.runs[0].results as Record<string, any>[];
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([['broken-call', 'error'], ['site-mismatch', 'warning'], ['weak-binding', 'note']]);
    const rules = sarif.runs[0].tool.driver.rules as { id: string }[];
    for (const r of results) expect(rules[r.ruleIndex]!.id).toBe(r.ruleId);
    expect(results[0]!.message).toEqual({ text: result.findings[0]!.message });
    expect(results[0]!.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'docs/net.md' }, region: { startLine: 12, startColumn: 5 } } }]);
  });

  it('URIs are relative to the repository root, not the current directory; encoded; absolute outside the repository', () => {
    expect(artifactUri('net.md', { repoRoot: '..', cwd: '/repo/docs' })).toBe('docs/net.md');
    expect(artifactUri('a b#c.md', { repoRoot: '/repo', cwd: '/repo' })).toBe('a%20b%23c.md');
    expect(artifactUri('/elsewhere/x.md', { repoRoot: '/repo', cwd: '/repo' })).toBe('file:///elsewhere/x.md');
  });
});
