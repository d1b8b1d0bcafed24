import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { renderExplainText } from '../../src/render/text.js';
import { openTree, type Project } from '../../src/index.js';

/** explain on fixtures/samename, whose drivers/foo and drivers/bar each define a static setup_hw. */
let tree: Project;
beforeAll(async () => {
  tree = await openTree({ root: join(import.meta.dirname, '../../fixtures/samename'), jobs: 1, cache: false });
});

describe('explain with a caller of several definitions', () => {
  // A user's finding: `explain e1000_intr ...` did not say that another e1000_intr (e1000e's) exists and makes no such call.
  it('says which definitions of the caller make the call and which do not', () => {
    const x = explainEdge(tree, 'setup_hw', 'foo_reset');
    expect(x.callerDefinitions).toEqual([
      { file: 'drivers/bar/bar_main.c', line: 4, calls: false },
      { file: 'drivers/foo/foo_main.c', line: 4, calls: true },
    ]);
    expect(renderExplainText(x, { color: false })).toContain(['setup_hw has 2 definitions:', '  drivers/bar/bar_main.c:4  does not call foo_reset', '  drivers/foo/foo_main.c:4  calls foo_reset', ''].join('\n'));
    // One definition, or every definition making the call: nothing to say.
    expect(explainEdge(tree, 'foo_probe', 'setup_hw').callerDefinitions).toBeUndefined();
  });
});

describe('explain of a handover called from several places', () => {
  // A user's finding: the same handover text came once per function that calls the callee, and a
  // definition that hands the callee over was listed as one that "does not call" it.
  it('gives each handover once with every call made later, and says which definition hands the callee over', async () => {
    const deferred = await openTree({ root: join(import.meta.dirname, '../../fixtures/deferred'), jobs: 1, cache: false });
    const x = explainEdge(deferred, 'wifi_probe', 'wifi_wake_txqs');
    const [h] = x.handedOver!;
    const again = { ...h!, calledBy: { ...h!.calledBy, line: h!.calledBy.line + 5 } };
    const text = renderExplainText({ ...x, handedOver: [h!, again], callerDefinitions: [{ file: 'drivers/net/other.c', line: 3, calls: false }, { file: h!.file, line: 60, calls: false }] }, { color: false });
    expect(text).toContain(
      [
        'wifi_probe hands wifi_wake_txqs over, and another function calls it:',
        `  ${h!.file}:${h!.line}  ${h!.text}`,
        `    called by tasklet_action_common at kernel/softirq.c:${h!.calledBy.line}  param-to-field  [deferred]`,
        `    called by tasklet_action_common at kernel/softirq.c:${h!.calledBy.line + 5}  param-to-field  [deferred]`,
        'wifi_probe has 2 definitions:',
        '  drivers/net/other.c:3  does not call wifi_wake_txqs',
        `  ${h!.file}:60  does not call wifi_wake_txqs; hands it over (above)`,
        '',
      ].join('\n'),
    );
  });
});
