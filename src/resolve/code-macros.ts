/**
 * Conditions over macros defined in code (`#ifndef __HAVE_ARCH_MEMSET`, `#ifdef __WARN_FLAGS`,
 * `#ifndef WARN_ON_ONCE`), decided per translation unit: a macro is defined in a unit when a
 * `#define` of it sits in the unit's include closure (the unit's .c file and every header it
 * includes) under a condition that holds there. The config model alone leaves them unknown.
 *
 * Approximations, documented for users in the README: the order of definitions across files is
 * not followed (a definition anywhere in the closure counts, except one later in the same file
 * as the test), `#undef` is not read, and a macro no indexed file defines is not defined (names
 * defined only by `-D` flags or generated headers are read as undefined).
 */
import type { CodeIndex } from '../index/code-index.js';
import { conditionNames } from '../parse/kbuild/condition.js';
import { type BuildModel, Truth } from '../types/build.js';

/** One `#define` of a macro: file id, line, and the condition it sits under. */
export interface MacroDefinition {
  file: number;
  line: number;
  cond?: string;
}

/** Definitions by macro name, for the names some condition of the tree tests. */
export type MacroDefinitions = Map<string, MacroDefinition[]>;

/** How deep a definition's own condition is decided the same way (`#ifdef A` around `#define B` tested by `#ifndef B`). */
const MAX_DEPTH = 3;

/**
 * From every file's facts: the definitions (function-like macros and feature macros, DefineFact)
 * of the code macros that the conditions of definitions, calls in bodies (CallFact.cond),
 * feature macros and includes test.
 */
export function testedMacroDefinitions(index: CodeIndex): MacroDefinitions {
  const tested = new Set<string>();
  const note = (cond: string | undefined): void => {
    if (cond) for (const n of conditionNames(cond)) if (!n.startsWith('CONFIG_')) tested.add(n);
  };
  for (const f of index.files) {
    for (const fn of f.functions) {
      note(fn.cond);
      for (const c of fn.calls) note(c.cond);
    }
    for (const m of f.macros) note(m.cond);
    for (const d of f.defines ?? []) note(d.cond);
  }
  const defs: MacroDefinitions = new Map();
  const add = (name: string, d: MacroDefinition): void => {
    if (!tested.has(name)) return;
    const list = defs.get(name);
    if (list) list.push(d);
    else defs.set(name, [d]);
  };
  index.files.forEach((f, file) => {
    for (const m of f.macros) add(m.name, { file, line: m.line, ...(m.cond ? { cond: m.cond } : {}) });
    for (const d of f.defines ?? []) add(d.name, { file, line: d.line, ...(d.cond ? { cond: d.cond } : {}) });
  });
  return defs;
}

/** Decides conditions over code macros in a translation unit (see the module comment). */
export class CodeMacroTruth {
  constructor(
    private readonly build: BuildModel,
    private readonly defs: MacroDefinitions,
    /** True when `file` is in the include closure of the unit's .c file `unit` (or is it). */
    private readonly sees: (unit: number, file: number) => boolean,
  ) {}

  /** The truth of `cond`, written at `line` of file `at`, in the translation unit of `unit`. */
  truth(cond: string | undefined, unit: number, at: number, line: number, depth = 0): Truth {
    return this.build.conditionIn(cond, (name) => this.defined(name, unit, at, line, depth));
  }

  /** explainCondition for `cond` in the translation unit of `unit`. */
  explain(cond: string, unit: number, at: number, line: number): string {
    return this.build.explainConditionIn(cond, (name) => this.defined(name, unit, at, line, 0));
  }

  /** Whether `name` is defined in the unit at the test in `at`:`line` (Kleene OR over its visible definitions). */
  private defined(name: string, unit: number, at: number, line: number, depth: number): Truth | undefined {
    const defs = this.defs.get(name);
    if (!defs) return Truth.No;
    let any: Truth = Truth.No;
    for (const d of defs) {
      if (d.file === at && d.line >= line) continue; // later in the same file, or the definition under test itself
      if (d.file !== unit && !this.sees(unit, d.file)) continue;
      const t = d.cond === undefined ? Truth.Yes : depth >= MAX_DEPTH ? this.build.condition(d.cond) : this.truth(d.cond, unit, d.file, d.line, depth + 1);
      if (t === Truth.Yes) return Truth.Yes;
      if (t === Truth.Unknown) any = Truth.Unknown;
    }
    return any;
  }
}
