import { beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../src/check/read-document.js';
import { verifyClaims } from '../../src/check/verify.js';
import { openTree, type Project } from '../../src/index.js';

/**
 * A frame's `[module]` tag in a stack trace (an oops's `join_timeout_handler+0x9/0x20 [wlan_b]`,
 * ftrace's, perf's `[wlan_b]` binary) names the module the function was running in: among
 * same-named definitions, the frame means those linked into that module (fixtures/linkunits: the
 * staging drivers wlan_a and wlan_b, both modules, each define join_timeout_handler).
 */
let tree: Project;
beforeAll(async () => {
  tree = await openTree({ root: 'fixtures/linkunits', jobs: 1, cache: false });
});

const findings = (text: string): string[] => verifyClaims(tree, readDocument('oops.txt', text), ['oops.txt']).findings.map((f) => `${f.line}: ${f.severity}: ${f.rule}: ${f.message}`);

describe('check reads the module tags of stack frames', () => {
  it('reads the tag of oops, ftrace and perf frames into the claim', () => {
    const oops = readDocument('oops.txt', 'Call Trace:\n <TASK>\n join_timeout_handler+0x9/0x20 [wlan_b]\n leave_network+0x12/0x30 [wlan_b 3c4f8a21d0e6b7a9c5d2e1f0a3b4c5d6e7f8a9b0]\n </TASK>\n');
    expect(oops.map((c) => `${c.from.name} [${c.from.module}] -> ${c.to.name} [${c.to.module}]`)).toEqual(['leave_network [wlan_b] -> join_timeout_handler [wlan_b]']);
    const ftrace = readDocument('trace.txt', ' => join_timeout_handler [wlan_a]\n => expire_join [wlan_a]\n');
    expect(ftrace.map((c) => `${c.from.module} ${c.to.module}`)).toEqual(['wlan_a wlan_a']);
    const perf = readDocument('perf.txt', 'swapper     0 [000] 12.5: cycles:\n\tffffffffc0a01010 join_timeout_handler+0x10 ([wlan_b])\n\tffffffffc0a02020 leave_network+0x20 (/lib/modules/6.1.0/kernel/drivers/staging/wlan_b/wlan_b.ko)\n');
    expect(perf.map((c) => `${c.from.module} ${c.to.module}`)).toEqual(['wlan_b wlan_b']);
  });

  it("a frame tagged with one module is not satisfied by another module's same-named function", () => {
    // expire_join (wlan_a) calls wlan_a's join_timeout_handler, not wlan_b's the frame names.
    const got = findings('Call Trace:\n join_timeout_handler+0x9/0x20 [wlan_b]\n expire_join+0x12/0x30 [wlan_a]\n');
    expect(got).toEqual(['2: error: broken-call: expire_join -> join_timeout_handler: the document places join_timeout_handler in module wlan_b, but expire_join calls the join_timeout_handler defined at drivers/staging/wlan_a/core/mlme.c:3']);
    // The frame of the right module holds, and so does an untagged one (either definition).
    expect(findings('Call Trace:\n join_timeout_handler+0x9/0x20 [wlan_a]\n expire_join+0x12/0x30 [wlan_a]\n')).toEqual([]);
    expect(findings('Call Trace:\n join_timeout_handler+0x9/0x20\n expire_join+0x12/0x30\n')).toEqual([]);
  });

  it('a tag naming no module of the tree is passed over', () => {
    expect(findings('Call Trace:\n join_timeout_handler+0x9/0x20 [wlan_c]\n expire_join+0x12/0x30 [wlan_c]\n')).toEqual([]);
  });
});
