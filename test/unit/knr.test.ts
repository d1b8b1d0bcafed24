import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractFile } from '../../src/parse/extract-file.js';
import { makeNeutraliser } from '../../src/parse/neutralise.js';
import { callRules } from '../../src/parse/rules.js';
import { scanFile } from '../../src/parse/scan/extract-scan.js';
import { linuxProfile } from '../../src/profiles/linux.js';
import type { FileFacts } from '../../src/types/facts.js';

/** K&R (old-style) function definitions and the parse-error count, in both extractors. */
const rules = callRules(linuxProfile);
const extractors: [string, (text: string) => FileFacts][] = [
  ['scanner', (text) => scanFile('x.c', text, makeNeutraliser(linuxProfile, 'definers'), rules)],
  ['tree-sitter', (text) => extractFile('x.c', text, makeNeutraliser(linuxProfile), rules)],
];
const fixture = (name: string): string => readFileSync(`fixtures/knr/${name}`, 'utf8');

/** Each function as `name(type name, ...) -> callee, ...`. */
function summary(facts: FileFacts): string[] {
  return facts.functions.map((f) => `${f.name}(${f.params.map((p) => `${p.type} ${p.name}`).join(', ')}) -> ${f.calls.map((c) => c.name).join(', ')}`);
}

for (const [label, extract] of extractors) {
  describe(`K&R definitions (${label})`, () => {
    it('reads input g of issue 12: a typed K&R definition with one declaration per parameter', () => {
      const facts = extract(fixture('copy.c'));
      expect(summary(facts)).toEqual(['raw_copy(char d, char s, int n) -> ', 'copy_str(char dst, char src, int n) -> raw_copy', 'main() -> copy_str']);
      expect(facts.functions.find((f) => f.name === 'copy_str')!.line).toBe(4);
      expect(facts.parseErrors).toBe(0);
    });

    it('reads the variants: no return type, declarations over lines, several declarators, an undeclared parameter', () => {
      const facts = extract(fixture('variants.c'));
      expect(summary(facts)).toEqual([
        'fill(char p, int c) -> ',
        'leaf(int x) -> ',
        'pair(int a, int b) -> leaf, leaf',
        'join_two(char a, char b, int sep) -> fill',
        'count(int n, int step) -> leaf',
        'run() -> pair, count, join_two',
      ]);
      const join = facts.functions.find((f) => f.name === 'join_two')!;
      expect([join.line, join.endLine, join.isStatic, join.returns]).toEqual([13, 19, true, 'int']);
      expect(facts.parseErrors).toBe(0);
    });

    it.runIf(label === 'scanner')('reads a K&R definition returning a pointer (tree-sitter-c takes it for a declaration)', () => {
      const facts = extract('static char *\njoin(a, b)\n\tchar *a, *b;\n{\n\treturn pick(a, b);\n}\n');
      expect(summary(facts)).toEqual(['join(char a, char b) -> pick']);
      expect([facts.functions[0]!.returns, facts.functions[0]!.isStatic, facts.parseErrors]).toEqual(['char', true, 0]);
    });

    it('invents no function from a declaration list that does not declare the identifier list', () => {
      const facts = extract('int g(a) int b; { return a; }\nint h(void) { return 0; }\n');
      expect(facts.functions.map((f) => f.name)).not.toContain('g');
      expect(facts.parseErrors).toBeGreaterThan(0);
    });

    it('counts a stray block at file scope as a parse error and keeps the definitions around it', () => {
      const facts = extract(fixture('stray.c'));
      expect(facts.functions.map((f) => f.name)).toEqual(['before', 'after']);
      expect(facts.parseErrors).toBe(1);
    });
  });
}

describe('K&R definitions in both extractors', () => {
  it('give the same facts', () => {
    for (const name of ['copy.c', 'variants.c']) {
      const [scan, reference] = extractors.map(([, extract]) => extract(fixture(name)));
      expect(scan!.functions).toEqual(reference!.functions);
      expect(scan!.globals).toEqual(reference!.globals);
      expect(scan!.prototypes).toEqual(reference!.prototypes);
    }
  });
});

describe('parse errors in the scanner', () => {
  it('does not count the #else body of a definition whose head is written once', () => {
    const text = 'int f(int x)\n#ifdef CONFIG_A\n{\n\treturn a(x);\n}\n#else\n{\n\treturn 0;\n}\n#endif\nint g(void) { return f(1); }\n';
    const facts = extractors[0]![1](text);
    expect(summary(facts)).toEqual(['f(int x) -> a', 'g() -> f']);
    expect(facts.parseErrors).toBe(0);
  });
});

describe('file-scope blocks the scanner reads as definitions (no parse error)', () => {
  it('reads a struct whose tag follows an annotation macro or attribute, and the declarations of an extern "C" block', () => {
    const text = 'struct __align4 req { int a; };\nunion __attribute__((packed)) resp { int b; };\nextern "C" {\nint inside(void) { return req_fn(); }\n}\n';
    const facts = extractors[0]![1](text);
    expect(facts.structs.map((s) => s.name)).toEqual(['struct req', 'union resp']);
    expect(summary(facts)).toEqual(['inside() -> req_fn']);
    expect(facts.parseErrors).toBe(0);
  });
});
