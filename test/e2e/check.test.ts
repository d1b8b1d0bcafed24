import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { bin, cliEnv } from '../support/run-cli.js';

/** `pathfind check` as a process, on fixture documents written for the minikernel (fixtures/docs/check/). */
const repo = join(import.meta.dirname, '../..');
const minikernel = join(repo, 'fixtures/minikernel');
const cache = mkdtempSync(join(tmpdir(), 'pathfind-check-e2e-'));

/** Runs `pathfind -q --cache C -C minikernel check ARGS` from `cwd` (the repository by default). */
function check(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [bin, '-q', '--cache', cache, '-C', minikernel, 'check', ...args], { encoding: 'utf8', cwd: options.cwd ?? repo, env: { ...cliEnv(), GITHUB_STEP_SUMMARY: '', ...options.env } });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

const broken = 'fixtures/docs/check/broken/tcp-output.md';
const brokenLines = [
  `${broken}:6:19: error: tcp_write_xmit does not call __tcp_transmit_skb; now tcp_write_xmit -> tcp_transmit_skb -> __tcp_transmit_skb (tcp_transmit_skb is static: if the document leaves it out on purpose, write tcp_write_xmit -> ... -> __tcp_transmit_skb or pass --max-gap 1)`,
  `${broken}:7:20: error: sock_sendmsg_locked is not in the tree (did you mean sock_sendmsg_nosec, tcp_sendmsg_locked?); now sock_write_iter -> __sock_sendmsg -> sock_sendmsg_nosec -> inet_sendmsg`,
  `${broken}:8:24: error: ip_local_out does not reach ksys_write (the document skips calls there): no call path from ip_local_out to ksys_write`,
];

describe('pathfind check: exit codes and text', () => {
  it('exit 0 when every chain holds (a folder walked for documents; code blocks other than pathfind ignored)', () => {
    const r = check(['fixtures/docs/check/holds']);
    expect(r).toEqual({ stdout: 'checked 10 steps in 2 documents: every step holds\n', stderr: '', code: 0 });
  });

  it('exit 1 when a chain is broken: one compiler-style line per finding, then the summary', () => {
    const r = check([broken]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe([...brokenLines, 'checked 4 steps in 1 document: 3 errors, 0 warnings, 0 notes', ''].join('\n'));
  });

  it('a folder is searched for saved traces (.log) too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-check-log-'));
    // An oops saved as a log: leaf first, and tcp_sendmsg never called ip_local_out directly (nor through functions leaving no frame).
    writeFileSync(join(dir, 'oops.log'), 'Call Trace:\n <TASK>\n ip_local_out+0x1c/0x40\n tcp_sendmsg+0x5d6/0xa80\n inet_sendmsg+0x3a9/0x1200\n </TASK>\n');
    const r = check(['.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^(\.\/)?oops\.log:3:2: error: tcp_sendmsg does not call ip_local_out; /);
    expect(r.stdout).toMatch(/checked 2 steps in 1 document: 1 error/);
  });

  it('--max-gap 1 turns a step that skips one call into a note', () => {
    const r = check([broken, '--max-gap', '1']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(`${broken}:6:19: note: tcp_write_xmit -> __tcp_transmit_skb skips 1 call: tcp_write_xmit -> tcp_transmit_skb -> __tcp_transmit_skb`);
  });

  it('a file:line that does not match is a warning (exit 0), an error with --strict (exit 1)', () => {
    const doc = 'fixtures/docs/check/moved/site.md';
    const line = `${doc}:4:19: warning: tcp_write_xmit -> tcp_transmit_skb: net/ipv4/tcp_output.c:70 does not match; the call is at net/ipv4/tcp_output.c:73`;
    expect(check([doc])).toEqual({ stdout: `${line}\nchecked 1 step in 1 document: 0 errors, 1 warning, 0 notes\n`, stderr: '', code: 0 });
    const strict = check([doc, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stdout.split('\n')[0]).toBe(line.replace(': warning: ', ': error: '));
  });

  it('documents are paths relative to the current directory, not to the tree', () => {
    const r = check(['tcp-output.md'], { cwd: join(repo, 'fixtures/docs/check/broken') });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(brokenLines[0]!.replace(broken, 'tcp-output.md'));
  });

  it('--limit PATH limits the files indexed: functions outside it are unknown', () => {
    const doc = 'fixtures/docs/check/holds/transmit.txt';
    expect(check([doc, '--limit', 'net']).code).toBe(0);
    const r = check([doc, '--limit', 'fs']);
    expect(r.code).toBe(1);
    // Said as the query commands say it: the function may be outside the indexed paths.
    expect(r.stdout).toMatch(/^fixtures\/docs\/check\/holds\/transmit\.txt:4:1: error: __tcp_transmit_skb is not in the indexed paths \(--limit fs\)/);
  });

  it.each([
    [['no-such-doc.md'], /^pathfind: cannot read no-such-doc\.md: ENOENT\n$/],
    [['fixtures/minikernel/net/core'], /^pathfind: no documents \(\.md \.rst \.txt \.log \.dot \.gv\) in fixtures\/minikernel\/net\/core\n$/],
    [[broken, '--max-gap', '-1'], /^pathfind: .*--max-gap.*non-negative integer.*\n$/],
    [[broken, '--format', 'dot'], /^pathfind: .*--format.*\n$/],
    [[], /^pathfind: .*missing required argument 'docs'.*\n$/],
  ])('usage and input errors: one line, exit 2 (%j)', (args, message) => {
    const r = check(args);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });

  it('--help of check names its options', () => {
    const r = spawnSync(process.execPath, [bin, 'check', '--help'], { encoding: 'utf8', env: cliEnv() });
    expect(r.status).toBe(0);
    for (const option of ['--max-gap', '--strict', '--allow-empty', '--format', '--repo-root', '-C, --root', '--cache']) expect(r.stdout).toContain(option);
    expect(spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8', env: cliEnv() }).stdout).toMatch(/^\s+check \[options\] <docs\.\.\.>/m);
  });
});

describe('pathfind check: report formats', () => {
  it('json fits the checkDocument schema, and its findings are the text report\'s', () => {
    const schema = JSON.parse(readFileSync(join(repo, 'schema/pathfind.schema.json'), 'utf8')) as { $id: string };
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    ajv.addSchema(schema);
    const r = check([broken, 'fixtures/docs/check/moved', '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { findings: { doc: string; line: number; column: number; severity: string; message: string }[]; documents: string[] };
    for (const id of [`${schema.$id}#/$defs/checkDocument`, schema.$id]) {
      const valid = ajv.getSchema(id)!;
      expect(valid(doc), JSON.stringify(valid.errors?.slice(0, 3))).toBe(true);
    }
    expect(doc).toMatchObject({ version: 2, documents: [broken, 'fixtures/docs/check/moved/site.md'], steps: 5, errors: 3, warnings: 1, notes: 0 });
    expect(doc.findings.slice(0, 3).map((f) => `${f.doc}:${f.line}:${f.column}: ${f.severity}: ${f.message}`)).toEqual(brokenLines);
    expect(check([broken, 'fixtures/docs/check/moved', '--format', 'json']).stdout).toBe(r.stdout);
  });

  it('github: annotations on stdout, the step summary appended to $GITHUB_STEP_SUMMARY', () => {
    const summary = join(mkdtempSync(join(tmpdir(), 'pathfind-check-summary-')), 'summary.md');
    writeFileSync(summary, 'earlier step\n');
    const r = check([broken, '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(
      `::error file=${broken},line=6,col=19,title=pathfind broken-call::tcp_write_xmit does not call __tcp_transmit_skb; now tcp_write_xmit -> tcp_transmit_skb -> __tcp_transmit_skb (tcp_transmit_skb is static: if the document leaves it out on purpose, write tcp_write_xmit -> ... -> __tcp_transmit_skb or pass --max-gap 1)`,
    );
    expect(readFileSync(summary, 'utf8')).toBe('earlier step\n## pathfind check\n\nchecked 4 steps in 1 document: 3 errors, 0 warnings, 0 notes\n');
  });

  it('sarif: a 2.1.0 log whose locations are relative to --repo-root', () => {
    const r = check(['broken/tcp-output.md', '--format', 'sarif', '--repo-root', '../../..'], { cwd: join(repo, 'fixtures/docs/check') });
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as { version: string; runs: { tool: { driver: { name: string; version: string } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[] };
    expect(log.version).toBe('2.1.0');
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
    expect(log.runs[0]!.tool.driver).toMatchObject({ name: 'pathfind', version: pkg.version });
    expect(log.runs[0]!.results.map((x) => [x.ruleId, x.level, x.locations[0]!.physicalLocation.artifactLocation.uri, x.locations[0]!.physicalLocation.region.startLine])).toEqual([
      ['broken-call', 'error', broken, 6],
      ['unknown-function', 'error', broken, 7],
      ['broken-call', 'error', broken, 8],
    ]);
  });
});
