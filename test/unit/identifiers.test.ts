import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loopMacroNames } from '../../src/parse/block-macros.js';
import { extractFile } from '../../src/parse/extract-file.js';
import { macroFact } from '../../src/parse/extract-macros.js';
import { decodeSource } from '../../src/parse/file-parser.js';
import { makeNeutraliser } from '../../src/parse/neutralise.js';
import { callRules } from '../../src/parse/rules.js';
import { scanFile } from '../../src/parse/scan/extract-scan.js';
import { genericProfile } from '../../src/profiles/generic.js';
import { linuxProfile } from '../../src/profiles/linux.js';
import type { FileFacts } from '../../src/types/facts.js';
import { normaliseIdentifier } from '../../src/util/c-identifier.js';

const extractors: [string, (text: string, path: string) => FileFacts][] = [
  ['scan', (text, path) => scanFile(path, text, makeNeutraliser(linuxProfile, 'definers'), callRules(linuxProfile))],
  ['tree-sitter', (text, path) => extractFile(path, text, makeNeutraliser(linuxProfile), callRules(linuxProfile))],
];

const source = readFileSync('fixtures/utf8/comptoir.c', 'utf8');
const header = readFileSync('fixtures/utf8/include/comptoir.h', 'utf8');

describe('identifiers with UTF-8 letters and universal character names', () => {
  it('normalises a universal character name to the character it denotes', () => {
    expect(normaliseIdentifier('caf\\u00e9')).toBe('café');
    expect(normaliseIdentifier('th\\U000000E9')).toBe('thé');
    expect(normaliseIdentifier('\\U0001d465_y')).toBe('𝑥_y');
    expect(normaliseIdentifier('café')).toBe('café');
    // Not a character: a surrogate or past U+10FFFF stays as written.
    expect(normaliseIdentifier('a\\ud800')).toBe('a\\ud800');
    expect(normaliseIdentifier('a\\U00110000')).toBe('a\\U00110000');
  });

  for (const [name, extract] of extractors) {
    describe(name, () => {
      const facts = extract(source, 'comptoir.c');
      const fn = (n: string) => facts.functions.find((f) => f.name === n);

      it('keeps every byte of a function name', () => {
        expect(facts.functions.map((f) => f.name)).toEqual(['café', 'thé', 'brûler_grains', 'servir_tasse', 'commande', '日本_entrée']);
        expect(fn('café')!.line).toBe(5);
        expect(fn('brûler_grains')!.calls.map((c) => c.name)).toEqual(['café']);
      });

      it('reads calls by either spelling, with columns right after non-ASCII text', () => {
        const lines = source.split('\n');
        const calls = fn('commande')!.calls.map((c) => ({ name: c.name ?? `->${c.field}`, line: c.line, col: c.col }));
        const at = (line: number, written: string) => ({ line, col: lines[line - 1]!.indexOf(written) });
        expect(calls).toEqual([
          { name: 'café', ...at(23, 'caf\\u00e9(') },
          { name: 'noter', ...at(24, 'noter(') },
          { name: 'PRÉPARER', ...at(24, 'PRÉPARER(') },
          { name: '->brûler', ...at(25, 'ops->brûler(') },
          { name: 'thé', ...at(25, 'thé(') },
          { name: '->servir', ...at(26, 'ops->servir(') },
        ]);
        expect(fn('commande')!.calls[3]!.recv).toEqual({ k: 'type', name: 'struct café_ops' });
      });

      it('binds an ops initializer field with a UTF-8 name', () => {
        expect(facts.bindings.map((b) => [b.root, b.path.join('.'), b.fn])).toEqual([
          [{ k: 'type', name: 'struct café_ops' }, 'brûler', 'brûler_grains'],
          [{ k: 'type', name: 'struct café_ops' }, 'servir', 'servir_tasse'],
        ]);
      });

      it('reads a struct and a macro with UTF-8 names from a header', () => {
        const h = extract(header, 'include/comptoir.h');
        expect(h.structs.map((s) => [s.name, s.fields.map((f) => f.name)])).toEqual([['struct café_ops', ['brûler', 'servir']]]);
        expect(h.macros.map((m) => [m.name, m.calls.map((c) => c.name)])).toEqual([['PRÉPARER', ['café']]]);
        expect(h.prototypes.map(([n]) => n)).toEqual(['café', 'thé']);
      });

      it('reads a definer macro naming a UTF-8 function', () => {
        const f = extract('SYSCALL_DEFINE1(café, int, n)\n{\n\treturn th\\u00e9(n);\n}\n', 'sys.c');
        expect(f.functions.map((x) => [x.name, x.calls.map((c) => c.name)])).toEqual([['sys_café', ['thé']]]);
      });
    });
  }

  it('finds calls in macro values and loop macros by UTF-8 or escaped names', () => {
    expect(macroFact('M', ['x'], 'caf\\u00e9(x) + é_f(x) + (x)->ñ(1)', 1, 1).calls.map((c) => c.name)).toEqual(['café', 'é_f']);
    const text = 'void f(void)\n{\n\tpour_chaque_é(p, l) {\n\t\tg(p);\n\t}\n}\n';
    expect(loopMacroNames(text).map(([at, n]) => text.slice(at, at + n))).toEqual(['pour_chaque_é']);
  });

  it('drops an annotation word only as a whole identifier, not inside a UTF-8 one', () => {
    const neutraliser = makeNeutraliser({ ...genericProfile, annotations: { __init: '' }, annotationsWithArgs: [] });
    expect(neutraliser.run('int é__init(void);').text).toBe('int é__init(void);');
    expect(neutraliser.run('int __init\\u00e9(void);').text).toBe('int __init\\u00e9(void);');
    expect(neutraliser.run('int __init é(void);').text).toBe('int        é(void);');
    const signature = callRules({ ...genericProfile, annotations: { __init: '' }, annotationsWithArgs: ['__acquires'] }).signature;
    expect(signature('static int __init é__init(void) __acquires(x) é__acquires(y)')).toBe('static int é__init(void) é__acquires(y)');
  });

  it('decodes sources as UTF-8, and a file that is not UTF-8 as Latin-1, byte for byte', () => {
    expect(decodeSource(Buffer.from('int café(void);\n', 'utf8'))).toBe('int café(void);\n');
    const latin1 = Buffer.from([0x2f, 0x2a, 0x20, 0x52, 0xe9, 0x6d, 0x79, 0x20, 0x2a, 0x2f, 0x0a]);
    expect(decodeSource(latin1)).toBe('/* Rémy */\n');
  });

  it('reads white space past ASCII (no-break space, byte order mark) as white space, not as a name', () => {
    for (const [name, extract] of extractors) {
      const facts = extract('\ufeff#define F(x) g(x)\nint\u00a0f(void)\u2003{ return\u00a0h(); }\n', 'ws.c');
      expect(facts.functions.map((f) => [f.name, f.calls.map((c) => c.name)]), name).toEqual([['f', ['h']]]);
      expect(facts.macros.map((m) => m.name), name).toEqual(['F']);
    }
  });
});
