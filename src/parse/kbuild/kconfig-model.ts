/**
 * Config models (types/build.ts ConfigModel) from a config file and the Kconfig facts of a tree.
 *
 * The defconfig model (kind 'defconfig') answers for an option the user's build would most likely
 * have without saying more than the files do. scripts/kconfig's savedefconfig writes only the
 * options whose value differs from what Kconfig would pick, so an option a defconfig does not list
 * has its Kconfig value, which depends on the values of others. This model settles it only where
 * that value is certain whatever the other options are:
 * - listed in the defconfig: that value (`# CONFIG_X is not set` is n);
 * - no Kconfig file read for the architecture defines the option: n (CONFIG_PPC64 on x86);
 * - a member of a bool choice: n when another member is set in the defconfig, or when the choice's
 *   first default is unconditional, names another member that has no dependency, and that member
 *   is not unset in the defconfig; y when it is itself that unconditional first default, has no
 *   dependency, no member of the choice is set in the defconfig, and the choice is neither optional
 *   nor dependent (no `depends on`/`visible if`, not inside an `if` block or a menu with one);
 * - a bool or tristate option that no `select` or `imply` names, whose every default line
 *   (`default`, `def_bool`, `def_tristate`, conditional or not, over all its entries) is `n`, or
 *   that has none: n;
 * - anything else (defaults that may hold, selected options, numbers and strings): unknown.
 * A wrong n would hide real code; a wrong unknown only keeps an extra definition, so every doubt
 * is unknown.
 */

import type { ConfigModel } from '../../types/build.js';
import type { ConfigEntry } from './config-file.js';
import type { KconfigChoice, KconfigFacts, KconfigSymbol } from './kconfig.js';

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
  return { kind: 'none', source: '', key: 'none', value: () => undefined, why: () => undefined };
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
    why(option) {
      const e = entries.get(option);
      if (!e) return `not in ${source}`;
      return e.value === 'n' ? `not set in ${source}:${e.line}` : `set in ${source}:${e.line}`;
    },
  };
}

/**
 * The defconfig model (see the module comment) from the defconfig's entries and the facts of every
 * Kconfig file of the architecture. With no Kconfig file at all, an option the defconfig does not
 * list is unknown. Decisions are computed on first use and remembered.
 */
export function defconfigModel(kconfig: KconfigFile[], entries: Map<string, ConfigEntry>, source: string, key: string): ConfigModel {
  const symbols = new Map<string, { path: string; sym: KconfigSymbol }[]>();
  const choices = new Map<string, KconfigChoice[]>();
  const selected = new Set<string>();
  for (const file of kconfig) {
    for (const sym of file.facts.symbols) {
      let list = symbols.get(sym.name);
      if (!list) symbols.set(sym.name, (list = []));
      list.push({ path: file.path, sym });
    }
    choices.set(file.path, file.facts.choices);
    for (const name of file.facts.selected) selected.add(name);
  }
  const unknown: Decision = { value: undefined, why: undefined };
  const decided = new Map<string, Decision>();

  const decideChoiceMember = (name: string, path: string, c: KconfigChoice, self: KconfigSymbol): Decision => {
    const at = `${path}:${c.line}`;
    if (c.tristate) return unknown;
    const setMember = c.members.find((m) => m !== name && entries.get(m)?.value === 'y');
    if (setMember) return { value: 'n', why: `${setMember} is set in ${source} (choice at ${at})` };
    const first = c.defaults[0];
    if (!first || first.conditional) return unknown;
    const target = symbols.get(first.value);
    if (!target || target.some((t) => t.sym.dependent || t.sym.choice === undefined)) return unknown;
    if (first.value === name) {
      if (c.optional || c.dependent || self.dependent || c.members.some((m) => entries.has(m))) return unknown;
      return { value: 'y', why: `default of the choice at ${at}, no member set in ${source}` };
    }
    if (entries.has(first.value)) return unknown;
    return { value: 'n', why: `not the default (${first.value}) of the choice at ${at}` };
  };

  const decide = (name: string): Decision => {
    const e = entries.get(name);
    if (e) return { value: e.value, why: e.value === 'n' ? `not set in ${source}:${e.line}` : `set in ${source}:${e.line}` };
    if (kconfig.length === 0) return unknown;
    const defs = symbols.get(name);
    if (!defs) return { value: 'n', why: 'defined by no Kconfig file of this architecture' };
    const members = defs.filter((d) => d.sym.choice !== undefined);
    if (members.length) {
      if (members.length !== defs.length || members.length > 1) return unknown;
      const d = members[0]!;
      return decideChoiceMember(name, d.path, choices.get(d.path)![d.sym.choice!]!, d.sym);
    }
    if (selected.has(name)) return unknown;
    if (!defs.some((d) => d.sym.type === 'bool' || d.sym.type === 'tristate')) return unknown;
    const defaults = defs.flatMap((d) => d.sym.defaults.map((x) => ({ path: d.path, x })));
    if (defaults.some((d) => d.x.value !== 'n')) return unknown;
    const where = defaults[0] ? `${defaults[0].path}:${defaults[0].x.line}` : `${defs[0]!.path}:${defs[0]!.sym.line}`;
    return { value: 'n', why: `${defaults.length ? 'default n' : 'no default'} in Kconfig (${where}), not set in ${source}` };
  };

  const get = (name: string): Decision => {
    let d = decided.get(name);
    if (!d) {
      d = decide(name);
      decided.set(name, d);
    }
    return d;
  };
  return { kind: 'defconfig', source, key, value: (option) => get(option).value, why: (option) => get(option).why };
}
