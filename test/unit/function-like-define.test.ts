import { isAscii } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { definesFunctionLikeMacro } from '../../src/parse/file-parser.js';

describe('a file with a #define of a function-like macro', () => {
  it('finds one whatever letters its name has, and only a name followed at once by (', () => {
    const cases: [string, boolean][] = [
      ['#define f(x) g(x)\n', true],
      ['  #  define\tREG_OFFSET(n) (0x10 + (n))\n', true],
      ['#define REG_A 0x1\n#define REG_B (0x2)\n', false],
      ['/* © vendor */\n#define REG_A 0x1\n', false],
      ['/* © vendor */\n#define REG_A(n) (n)\n', true],
      ['#define café(x) x\n', true],
      ['#define é (x)\n', false],
      ['#define \\u00e9t(x) x\n', true],
      ['#define a\\u00e9(x) x\n', true],
      ['#define \\u00e9 (x)\n', false],
      ['#define\n', false],
      ['int f(void);\n', false],
    ];
    for (const [text, want] of cases) expect([text, definesFunctionLikeMacro(text)]).toEqual([text, want]);
  });

  it('answers the same when told whether the text is ASCII (as fileParser tells it from the bytes)', () => {
    const texts = ['#define f(x) g(x)\n', '#define REG_A 0x1\n#define REG_B (0x2)\n', '/* © vendor */\n#define REG_A 0x1\n', '/* © vendor */\n#define REG_A(n) (n)\n', '#define café(x) x\n', '#define é (x)\n', '#define \\u00e9t(x) x\n', '#define a\\U000000e9(x) x\n', '#define \\u00e9 (x)\n', '#define\n'];
    for (const text of texts) {
      const ascii = isAscii(Buffer.from(text, 'utf8'));
      expect([text, definesFunctionLikeMacro(text, ascii)]).toEqual([text, definesFunctionLikeMacro(text)]);
    }
  });
});
