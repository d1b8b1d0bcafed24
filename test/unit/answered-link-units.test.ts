import { describe, expect, it } from 'vitest';
import { answeredModel, buildAnswers } from '../../src/cache/build-answers.js';
import { type BuildModel, Truth } from '../../src/types/build.js';

/** Twenty files in four folders; a .c file's link unit is its folder, a header has none. */
const paths = Array.from({ length: 20 }, (_, i) => `dir${i % 4}/f${i}.${i % 5 === 0 ? 'h' : 'c'}`);
const unitOf = (p: string): string | undefined => (p.endsWith('.c') ? `${p.slice(0, p.indexOf('/'))}/built-in.a` : undefined);
const model = {
  config: { kind: 'kconfig', source: '.config', key: 'k', value: () => undefined, why: () => '' },
  includeFlags: { flags: new Map(), makefiles: new Set() },
  built: () => Truth.Yes,
  builtRules: () => ({}),
  linkUnit: unitOf,
} as unknown as BuildModel;
const profile = { predefinedMacros: {}, undefinedMacros: [] } as never;

describe('answeredModel linkUnit', () => {
  it('answers as the model from the file id a caller gives, checked against the path, without the map of every path', () => {
    const answers = buildAnswers(model, paths, []);
    let listed = 0;
    const m = answeredModel(answers, 'k', profile, () => (listed++, paths), () => model, (f) => paths[f]!);
    // Past the first few files asked, the units' map is made: the answers stay the same.
    for (let round = 0; round < 2; round++) paths.forEach((p, f) => expect(m.linkUnit(p, f), p).toBe(unitOf(p)));
    expect(listed).toBe(0);
  });

  it('finds the file by its path when the id given is not its own, or none is given', () => {
    const answers = buildAnswers(model, paths, []);
    let listed = 0;
    const m = answeredModel(answers, 'k', profile, () => (listed++, paths), () => model, (f) => paths[f]!);
    expect(m.linkUnit(paths[3]!, 4)).toBe(unitOf(paths[3]!));
    expect(m.linkUnit(paths[7]!)).toBe(unitOf(paths[7]!));
    expect(listed).toBe(1);
    const plain = answeredModel(answers, 'k', profile, () => paths, () => model);
    paths.forEach((p, f) => expect(plain.linkUnit(p, f), p).toBe(unitOf(p)));
  });
});
