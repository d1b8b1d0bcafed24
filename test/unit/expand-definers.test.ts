import { describe, expect, it } from 'vitest';
import { expandDefiners } from '../../src/index/expand-definers.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileParser, textExtractor } from '../../src/parse/file-parser.js';
import { detectProfile } from '../../src/profiles/index.js';
import type { FileFacts } from '../../src/types/facts.js';

const profile = detectProfile('fixtures/minikernel');
const extract = textExtractor(profile);

/** The parsed facts of files written to a new temporary tree, in the order given. */
function parsed(files: Record<string, string>): FileFacts[] {
  const root = mkdtempSync(join(tmpdir(), 'pathfind-expand-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const parse = fileParser(root, profile);
  return Object.keys(files).map((p) => parse(p));
}

describe('definer expansion of a file', () => {
  it('leaves a file whose invocations make nothing new as the same object, and gives a new one to a file they add to', () => {
    const [header, marks, makes, plain] = parsed({
      'include/mark.h': '#define MARK_FN(sym) static int sym = 0\n#define MAKE_OPS(n) static int n##_get(void) { return 0; }\n',
      // MARK_FN(run) would make a variable named like the file's function run: left out, so nothing is made.
      'lib/marks.c': '#include "../include/mark.h"\nint run(void)\n{\n\treturn 0;\n}\nMARK_FN(run);\n',
      'lib/makes.c': '#include "../include/mark.h"\nint use(void)\n{\n\treturn 1;\n}\nMAKE_OPS(dev);\n',
      'lib/plain.c': 'int idle(void)\n{\n\treturn 2;\n}\n',
    }) as [FileFacts, FileFacts, FileFacts, FileFacts];
    expect(marks.invocations?.some((i) => i.name === 'MARK_FN')).toBe(true);
    const [h, m, k, p] = expandDefiners([header, marks, makes, plain], extract);
    expect(h).toBe(header);
    expect(m).toBe(marks);
    expect(p).toBe(plain);
    expect(k).not.toBe(makes);
    expect(k!.functions.map((f) => f.name)).toEqual(['use', 'dev_get']);
  });
});
