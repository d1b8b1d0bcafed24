import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { readDocument } from '../../src/check/read-document.js';
import { verifyClaims } from '../../src/check/verify.js';
import { openTree, type Project } from '../../src/index.js';
import { claim } from '../support/claims.js';

/** A user's findings on the minikernel (net/core/utils.c and net/ipv4/tcp.c each define helper_flush; utils.c's calls wake_up, a macro of __wake_up). */
let mini: Project;
beforeAll(async () => {
  mini = await openTree({ root: join(import.meta.dirname, '../../fixtures/minikernel'), jobs: 1, cache: false });
});

const findings = (text: string): string[] => verifyClaims(mini, readDocument('doc.md', text), ['doc.md']).findings.map((f) => `${f.line}:${f.column}: ${f.severity}: ${f.rule}: ${f.message}`);

describe('check and explain on same-named definitions and unknown names', () => {
  it('a chain naming the definition that makes no such call is an error, as the same chain inferring it is', () => {
    expect(findings(['```', 'net/ipv4/tcp.c:helper_flush() -> __wake_up()', '```', ''].join('\n'))).toEqual([
      '2:34: error: broken-call: helper_flush -> __wake_up: the document places helper_flush at net/ipv4/tcp.c, which does not call __wake_up; the helper_flush defined at net/core/utils.c:11 does',
    ]);
    expect(findings(['```', 'tcp_sendmsg_locked() -> helper_flush() -> __wake_up()', '```', ''].join('\n')).map((f) => f.split(': ').slice(0, 2).join(': '))).toEqual(['2:43: error']);
  });

  it("explain counts a definition of the caller that calls through macros only as calling", () => {
    const x = explainEdge(mini, 'helper_flush', '__wake_up');
    expect(x.throughMacros.length).toBeGreaterThan(0);
    expect(x.callerDefinitions).toEqual([
      { file: 'net/core/utils.c', line: 11, calls: true, through: 'macros' },
      { file: 'net/ipv4/tcp.c', line: 12, calls: false },
    ]);
  });

  it("an unknown name with no close name says what its neighbours call or are called by", () => {
    const [f] = verifyClaims(mini, [claim('pipe_reader_gone', 'pipe_wake_readers')], ['doc.md']).findings;
    expect(f!.message).toBe('pipe_reader_gone is not in the tree: no indexed function has a close name; pipe_wake_readers is called by pipe_write');
  });
});
