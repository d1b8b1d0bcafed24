/**
 * Config models (types/build.ts ConfigModel) from a config file and the Kconfig facts of a tree.
 *
 * The defconfig model (kind 'defconfig') gives the values `make ARCH=x86 x86_64_defconfig` would
 * give, where the files alone decide them, after scripts/kconfig (symbol.c sym_calc_value):
 * - an option the defconfig sets has that value, except that a bool or tristate whose
 *   dependencies are certainly not met is n, one set to n that a `select` certainly forces is the
 *   forced value, and a choice member set to n picks nothing (the choice still takes its default);
 * - an option no Kconfig file read for the architecture defines is n (CONFIG_PPC64 on x86);
 * - a member of a bool choice: n when another member is set to y, or when the choice's
 *   dependencies are not met, or when the choice's first default whose condition holds names
 *   another member whose own dependencies hold; y when it is that default and the choice's
 *   dependencies hold and it is neither `optional` nor under a `visible if`;
 * - any other bool or tristate: the first `default`/`def_bool`/`def_tristate` whose condition
 *   and entry dependencies hold (n when none), limited by the option's dependencies (the `depends
 *   on` lines of its entry, the `if` blocks and menus around it, and those around the `source`
 *   line that reads its file), raised to what `select` lines force (the selecting option's value
 *   and the select's condition) and, within its dependencies, `imply` lines; m becomes y for a bool;
 * - an int, hex or string option: n (not defined) when its dependencies are not met, else the
 *   first default whose condition holds, when it is a literal (`64`, `"lz4"`, `"$(ARCH)"` with
 *   the architecture put in) and no select names it.
 * Expressions are evaluated three-valued (kconfig-expr.ts); anything that hangs on a value the
 * files do not decide (`$(cc-option,...)` and other shell macros, a symbol with defaults in two
 * entries, a dependency cycle) is unknown. A wrong n would hide real code; a wrong unknown only
 * keeps an extra definition, so every doubt is unknown. The MODULES rule (m needs CONFIG_MODULES)
 * is not applied: m stays m.
 */

import { createHash } from 'node:crypto';
import type { ConfigModel } from '../../types/build.js';
import type { ConfigEntry } from './config-file.js';
import type { KconfigChoice, KconfigFacts, KconfigSelect, KconfigSymbol } from './kconfig.js';
import { evalAll, evalKconfig, type Tri } from './kconfig-expr.js';

/** The facts of one Kconfig file and its path relative to the root. */
export interface KconfigFile {
  path: string;
  facts: KconfigFacts;
}

interface Decision {
  value: string | undefined;
  why: string | undefined;
}

/** A model that knows nothing (kind 'none'): every option is unknown. */
export function noConfigModel(): ConfigModel {
  return { kind: 'none', source: '', key: 'none', value: () => undefined, why: () => undefined, valuesDigest: () => valuesDigestOf('none', [], undefined) };
}

/**
 * ConfigModel.valuesDigest: SHA-1 of the model's kind, the value any option it does not name has
 * (`others`: 'n', or undefined for unknown) and every option it names (`named`, in any order) whose
 * value is another: an option added whose value is that of the unnamed ones (a new driver's
 * tristate, n until a config sets it) changes no value, and leaves the digest as it was.
 */
function valuesDigestOf(kind: string, named: Iterable<string>, others: string | undefined, value: (option: string) => string | undefined = () => undefined): string {
  const hash = createHash('sha1').update(`${kind}\0${others ?? '?'}\0`);
  for (const name of [...new Set(named)].sort()) {
    const v = value(name);
    if (v !== others) hash.update(`${name}=${v ?? '?'}\0`);
  }
  return hash.digest('hex');
}

/**
 * The model of a full configuration (kind 'config'): an option it lists has that value, any other
 * is not set (n), as scripts/kconfig writes every visible option into a .config.
 * `source` names the file for users; `key` must change with its content.
 */
export function fullConfigModel(entries: Map<string, ConfigEntry>, source: string, key: string): ConfigModel {
  return {
    kind: 'config',
    source,
    key,
    value: (option) => entries.get(option)?.value ?? 'n',
    valuesDigest: () => valuesDigestOf('config', entries.keys(), 'n', (option) => entries.get(option)!.value),
    why(option) {
      const e = entries.get(option);
      if (!e) return `not in ${source}`;
      return e.value === 'n' ? `not set in ${source}:${e.line}` : `set in ${source}:${e.line}`;
    },
  };
}

/** Kleene max and min of tristates (null unknown). */
const triMax = (a: Tri, b: Tri): Tri => (a === 2 || b === 2 ? 2 : a === null || b === null ? null : (Math.max(a, b) as Tri));
const triMin = (a: Tri, b: Tri): Tri => (a === 0 || b === 0 ? 0 : a === null || b === null ? null : (Math.min(a, b) as Tri));
const triOf = (v: string | undefined): Tri => (v === 'y' ? 2 : v === 'm' ? 1 : v === 'n' ? 0 : null);

/**
 * The defconfig model (see the module comment) from the defconfig's entries and the facts of every
 * Kconfig file of the architecture, in the order scripts/kconfig reads them. With no Kconfig file
 * at all, an option the defconfig does not list is unknown. Decisions are computed on first use
 * and remembered; a dependency cycle makes the options on it unknown. `vars` gives the Kconfig
 * macros quoted texts may use (`{ARCH: 'x86', SRCARCH: 'x86'}`, as `make ARCH=x86` sets them).
 */
export function defconfigModel(
  kconfig: KconfigFile[],
  entries: Map<string, ConfigEntry>,
  source: string,
  key: string,
  vars: Readonly<Record<string, string>> = {},
): ConfigModel {
  const symbols = new Map<string, { path: string; sym: KconfigSymbol }[]>();
  const choices = new Map<string, KconfigChoice[]>();
  const selects = new Map<string, KconfigSelect[]>();
  for (const file of kconfig) {
    for (const sym of file.facts.symbols) {
      let list = symbols.get(sym.name);
      if (!list) symbols.set(sym.name, (list = []));
      list.push({ path: file.path, sym });
    }
    choices.set(file.path, file.facts.choices);
    for (const sel of file.facts.selects) {
      const list = selects.get(sel.target);
      if (list) list.push(sel);
      else selects.set(sel.target, [sel]);
    }
  }
  const unknown: Decision = { value: undefined, why: undefined };
  const pending: Decision = { value: undefined, why: undefined };
  const decided = new Map<string, Decision>();
  /** An option's value inside a Kconfig expression: a string, int or hex option that is off reads as "" there. */
  const lookup = (name: string): string | undefined => {
    const v = get(name).value;
    if (v === 'n' && symbols.get(name)?.some((d) => d.sym.type === 'string' || d.sym.type === 'int' || d.sym.type === 'hex')) return '';
    return v;
  };
  const all = (exprs: readonly string[]): Tri => evalAll(exprs, lookup, vars);
  const ev = (expr: string) => evalKconfig(expr, lookup, vars);
  /** A quoted default's text with the known macros put in; undefined when another macro remains (`$(CC_VERSION_TEXT)`). */
  const literal = (text: string): string | undefined => {
    const out = text.replace(/\$\((\w+)\)/g, (all, name: string) => (Object.hasOwn(vars, name) ? vars[name]! : all));
    return out.includes('$(') ? undefined : out;
  };

  /** The dependencies of a symbol: any one of its entries' (kconfig ORs them). */
  const depsOf = (defs: { sym: KconfigSymbol }[]): Tri => defs.reduce<Tri>((acc, d) => triMax(acc, all(d.sym.deps)), 0);
  /** The lowest value `select` (and, within the dependencies, `imply`) lines force on a symbol. */
  const forced = (name: string, deps: Tri): Tri => {
    let selected: Tri = 0;
    let implied: Tri = 0;
    for (const sel of selects.get(name) ?? []) {
      const t = triMin(triOf(lookup(sel.source)), sel.cond ? ev(sel.cond).tri : 2);
      if (sel.imply) implied = triMax(implied, t);
      else selected = triMax(selected, t);
    }
    return triMax(selected, triMin(implied, deps));
  };

  const decideChoiceMember = (name: string, path: string, c: KconfigChoice): Decision => {
    const at = `${path}:${c.line}`;
    if (c.tristate) return unknown;
    const setMember = c.members.find((m) => m !== name && entries.get(m)?.value === 'y');
    if (setMember) return { value: 'n', why: `${setMember} is set in ${source} (choice at ${at})` };
    const visible = all(c.deps);
    if (visible === 0) return { value: 'n', why: `the choice at ${at} is off: its dependencies are not met` };
    if (c.members.some((m) => entries.has(m) && entries.get(m)!.value !== 'n')) return unknown;
    let chosen: string | undefined;
    for (const d of c.defaults) {
      const holds = d.cond ? ev(d.cond).tri : 2;
      if (holds === 0) continue;
      if (holds === null) return unknown;
      chosen = d.value;
      break;
    }
    const target = chosen ? symbols.get(chosen) : undefined;
    // The default member's own dependencies (after the choice's, which it inherits) must hold.
    if (!chosen || !target || target.length !== 1 || target[0]!.sym.choice === undefined || all(target[0]!.sym.deps.slice(c.deps.length)) !== 2) return unknown;
    if (chosen !== name) return { value: 'n', why: `not the default (${chosen}) of the choice at ${at}` };
    if (visible !== 2 || c.optional || c.limitedVisibility) return unknown;
    return { value: 'y', why: `default of the choice at ${at}, no member set in ${source}` };
  };

  /** The Kconfig default of a symbol no config lists: its first default whose condition holds, within its dependencies, raised by selects. */
  const decideDefault = (name: string, defs: { path: string; sym: KconfigSymbol }[]): Decision => {
    const deps = depsOf(defs);
    const tristate = defs.some((d) => d.sym.type === 'bool' || d.sym.type === 'tristate');
    const bool = defs.every((d) => d.sym.type === undefined || d.sym.type === 'bool');
    if (defs.filter((d) => d.sym.defaults.length > 0).length > 1) return unknown; // kconfig's reading order decides: leave it
    if (tristate && deps === 0) {
      const floor = forced(name, 0);
      if (floor === 0) return { value: 'n', why: `dependencies not met (${defs[0]!.path}:${defs[0]!.sym.line}), not set in ${source}` };
    }
    let value: string | undefined = tristate ? 'n' : undefined;
    let where = `${defs[0]!.path}:${defs[0]!.sym.line}`;
    let how = 'no default';
    for (const d of defs) {
      for (const x of d.sym.defaults) {
        // A bool's or tristate's default is limited by its dependencies below (`own`), so its own
        // condition alone picks it: a `default n` under dependencies that hang on a compiler test
        // (kernel/gcov/Kconfig's GCOV_KERNEL) gives n whether they hold or not.
        const cond = x.cond ? ev(x.cond).tri : 2;
        const holds = tristate ? cond : triMin(all(d.sym.deps), cond);
        if (holds === 0) continue;
        if (holds === null) return unknown;
        value = x.quoted ? literal(x.value) : ev(x.value).text;
        where = `${d.path}:${x.line}`;
        how = `default ${x.value}`;
        break;
      }
      if (how !== 'no default') break;
    }
    if (!tristate) {
      if (deps === 0) return { value: 'n', why: `dependencies not met (${where})` };
      return deps === 2 && value !== undefined && !selects.has(name) ? { value, why: `Kconfig ${how} (${where})` } : unknown;
    }
    const own = triMin(triOf(value), deps);
    const floor = forced(name, deps);
    let t = triMax(own, floor);
    if (t === 1 && bool) t = 2;
    if (t === null) return unknown;
    const v = t === 2 ? 'y' : t === 1 ? 'm' : 'n';
    if (own !== null && floor !== null && floor > own) {
      const by = (selects.get(name) ?? []).find((sel) => triOf(lookup(sel.source)) === floor);
      return { value: v, why: `${by?.imply ? 'implied' : 'selected'} by ${by?.source ?? 'another option'}, not set in ${source}` };
    }
    const reason = deps === 0 && how !== 'no default' ? 'dependencies not met' : how;
    return { value: v, why: `Kconfig ${reason} (${where}), not set in ${source}` };
  };

  const decide = (name: string): Decision => {
    const e = entries.get(name);
    const defs = symbols.get(name);
    // A choice member set to n in a config does not pick anything: the choice takes its default unless a member is y.
    const member = defs?.some((d) => d.sym.choice !== undefined);
    if (e && !(member && e.value === 'n')) {
      const set: Decision = { value: e.value, why: e.value === 'n' ? `not set in ${source}:${e.line}` : `set in ${source}:${e.line}` };
      if (!defs || kconfig.length === 0 || !['y', 'm', 'n'].includes(e.value) || defs.some((d) => d.sym.choice !== undefined)) return set;
      const deps = depsOf(defs);
      const floor = forced(name, deps);
      if (e.value === 'n') return floor === 2 || floor === 1 ? { value: floor === 2 ? 'y' : 'm', why: `selected, though not set in ${source}:${e.line}` } : set;
      if (deps === 0 && floor === 0) return { value: 'n', why: `set in ${source}:${e.line}, but its dependencies are not met` };
      return set;
    }
    if (kconfig.length === 0) return unknown;
    if (!defs) return { value: 'n', why: 'defined by no Kconfig file of this architecture' };
    const members = defs.filter((d) => d.sym.choice !== undefined);
    if (members.length) {
      if (members.length !== defs.length || members.length > 1) return unknown;
      const d = members[0]!;
      return decideChoiceMember(name, d.path, choices.get(d.path)![d.sym.choice!]!);
    }
    return decideDefault(name, defs);
  };

  function get(name: string): Decision {
    let d = decided.get(name);
    if (d === pending) return unknown;
    if (!d) {
      decided.set(name, pending);
      d = decide(name);
      decided.set(name, d);
    }
    return d;
  }
  // An option named by no Kconfig file and not listed is n (decide), or unknown when no Kconfig file was read.
  const valuesDigest = (): string => valuesDigestOf('defconfig', [...symbols.keys(), ...entries.keys()], kconfig.length ? 'n' : undefined, (option) => get(option).value);
  return { kind: 'defconfig', source, key, value: (option) => get(option).value, why: (option) => get(option).why, valuesDigest };
}
