/**
 * Reads the build lists of one Kbuild file or Makefile (Documentation/kbuild/makefiles.rst):
 * assignments to `obj-y`, `obj-m`, `obj-$(CONFIG_X)`, `lib-y`, composite objects (`foo-y`,
 * `foo-objs`, `foo-$(CONFIG_X)`), and the top-level lists of the root and arch Makefiles
 * (`core-y`, `drivers-$(CONFIG_PCI)`, `libs-y`...), each entry with the condition under which
 * the build takes it, in the condition syntax of condition.ts.
 *
 * Conditions: a `-y` or `-m` list is unconditional (`1`: a module is compiled too); `-$(CONFIG_X)`
 * and `-$(subst m,y,$(CONFIG_X))` are `IS_ENABLED(CONFIG_X)` (Kconfig sets the variable to y or
 * m, or leaves it empty); another make function in the name is unknown; enclosing
 * `ifdef`/`ifndef`/`ifeq`/`ifneq`/`else` blocks add their terms: `ifdef CONFIG_X` is
 * `IS_ENABLED(CONFIG_X)`, `ifeq ($(CONFIG_X),y)` is `IS_BUILTIN(CONFIG_X)`, `,m)` `IS_MODULE`,
 * `,)` `!IS_ENABLED`, a comparison of two known texts is `1` or `0`. Anything else (another
 * variable, a make function) is the unknown term `__kbuild_unknown`, which evaluates to Unknown.
 * Known variables (`SRCARCH`, `KBUILD_EXTMOD`) are substituted in conditions and entries. A
 * list named in another (`i915-y += $(gt-y)`, `obj-y += $(mmu-y)`) is read as a composite object
 * (`gt.o`) of the outer list, so its parts chain up through it.
 * `subdir-y` and `subdir-$(CONFIG_X)` name folders the build enters for objects it links
 * elsewhere (a boot image, an EFI stub), with or without a trailing slash: they are read as folders.
 * So are the folders a recipe enters with `$(MAKE) $(build)=dir` when the Makefile's folder is
 * given (MakefileOptions.folder): arch/x86/Makefile builds the boot image with `$(build)=$(boot)`
 * (`boot := arch/x86/boot`), arch/x86/boot/Makefile the decompressor with `$(build)=$(obj)/compressed`;
 * they are `subdir` entries (the path taken relative to the Makefile's folder, `$(obj)` being
 * that folder and plain `name := value` variables of the file substituted).
 * An assignment with `:=` or `=` replaces what the list's variable held, as make does, where it
 * takes effect: each earlier entry of the file that it would replace gets the term `!(C)`, C being
 * the condition under which both name the same variable (mm/Makefile of Linux 6.1: `mmu-y :=
 * nommu.o`, then `mmu-$(CONFIG_MMU) := highmem.o ...`, which replaces mmu-y when CONFIG_MMU is y:
 * nommu.o is built only without an MMU); `obj-y` and `obj-m` are two variables, `obj-$(CONFIG_X)`
 * is one of them by X's value, `foo-objs` another. A value naming the list's own variables keeps
 * what they held (crypto/Makefile's `crypto_algapi-y := algapi.o scatterwalk.o $(crypto_algapi-y)`,
 * the EFI stub's `lib-y := $(patsubst %.o,%.stub.o,$(lib-y))`). With `blocks: false`, an
 * assignment inside a make conditional replaces nothing. `+=` and `?=` append. Entries other than `x.o` and `dir/`
 * (variables, `.a` archives) are skipped, and `define ... endef` bodies are ignored.
 */

import { conditionText } from '../preprocessor.js';

/** The term that evaluates to Unknown (an identifier no environment defines). */
export const UNKNOWN_TERM = '__kbuild_unknown';

/** One entry of a build list. */
export interface KbuildEntry {
  /** The list's base name: `obj`, `lib`, `core`, `drivers`..., or a composite object's name (`foo` for `foo-y`). */
  list: string;
  /** The entry as written, relative to the file's folder (`slob.o`, `net/`, `sub/x.o`); top-level lists are relative to the root. */
  name: string;
  /** Condition under which the entry is taken (condition.ts syntax; `1` when always). */
  cond: string;
  /** 1-based line of the assignment. */
  line: number;
  /**
   * For an entry named with another value of a make variable than the build's (MakefileOptions.otherValues;
   * its `cond` is then `0`): the entry as written (`memcpy_$(BITS).o`) and the variable (`BITS`).
   */
  otherValue?: { written: string; variable: string };
}

const ASSIGN = /^([A-Za-z0-9_.+-]+?)-(y|m|objs|\$\((?:[^()]|\([^()]*\))*\))\s*(\+|:|\?)?=\s*(.*)$/;

/**
 * Which make variable a list suffix names: `y` and `m` themselves, `objs`, an option's value
 * (`$(CONFIG_X)`: y or m as X is built in or a module; `$(subst m,y,$(CONFIG_X))`: y whenever X is
 * enabled), or one not known.
 */
type Suffix = { kind: 'y' | 'm' | 'objs' | 'unknown' } | { kind: 'option'; option: string; subst: boolean };

/** The condition (condition.ts syntax) under which suffix `s` names the variable `value` (y or m). */
function namesValue(s: Suffix, value: 'y' | 'm'): string {
  if (s.kind === 'y' || s.kind === 'm') return s.kind === value ? '1' : '0';
  if (s.kind !== 'option') return s.kind === 'objs' ? '0' : UNKNOWN_TERM;
  if (s.subst) return value === 'y' ? `IS_ENABLED(${s.option})` : '0';
  return value === 'y' ? `IS_BUILTIN(${s.option})` : `IS_MODULE(${s.option})`;
}

/** The condition under which two suffixes of one list name the same variable: '1', '0', or a condition. */
function sameVariable(a: Suffix, b: Suffix): string {
  if (a.kind === 'objs' || b.kind === 'objs') return a.kind === b.kind ? '1' : '0';
  if (a.kind === 'unknown' || b.kind === 'unknown') return UNKNOWN_TERM;
  if (a.kind === 'option' && b.kind === 'option' && a.option === b.option && a.subst === b.subst) return `IS_ENABLED(${a.option})`;
  const both = (value: 'y' | 'm'): string => {
    const [x, y] = [namesValue(a, value), namesValue(b, value)];
    return x === '0' || y === '0' ? '0' : x === '1' ? y : y === '1' ? x : `${x} && ${y}`;
  };
  const [y, m] = [both('y'), both('m')];
  if (y === '1' || m === '1') return '1';
  if (y === '0') return m;
  if (m === '0') return y;
  return `(${y}) || (${m})`;
}

/**
 * Adds to each earlier entry of list `list` that an assignment with suffix `kind` under the block
 * terms `terms` replaces the term `!(C)` (C: the block terms and sameVariable), or makes it `0`
 * when the replacement is certain.
 */
function replaceEarlier(assigned: readonly { entry: KbuildEntry; suffix: Suffix }[], list: string, kind: Suffix, terms: readonly string[]): void {
  for (const { entry, suffix } of assigned) {
    if (entry.list !== list || entry.cond === '0') continue;
    const same = sameVariable(suffix, kind);
    if (same === '0') continue;
    const drop = conditionText([...terms, ...(same === '1' ? [] : [same])]);
    if (drop === undefined) entry.cond = '0';
    else entry.cond = conditionText([...(entry.cond === '1' ? [] : [entry.cond]), `!(${drop})`])!;
  }
}

/** A condition term for a make conditional, or UNKNOWN_TERM (see the module comment). */
function makeTerm(word: string, args: string, vars: Record<string, string>): string {
  if (word === 'ifdef' || word === 'ifndef') {
    const name = args.trim();
    const on = name.startsWith('CONFIG_') ? `IS_ENABLED(${name})` : Object.hasOwn(vars, name) ? (vars[name] ? '1' : '0') : UNKNOWN_TERM;
    return word === 'ifdef' ? on : on === '1' ? '0' : on === '0' ? '1' : `!${on}`;
  }
  const m = /^\(\s*([^,]*?)\s*,\s*(.*?)\s*\)$/.exec(args.trim()) ?? /^["']([^"']*)["']\s+["']([^"']*)["']$/.exec(args.trim());
  if (!m) return UNKNOWN_TERM;
  let [a, b] = [substitute(m[1]!, vars), substitute(m[2]!, vars)];
  const option = /^\$\((CONFIG_\w+)\)$/;
  if (option.test(b) && !option.test(a)) [a, b] = [b, a];
  let eq: string;
  const opt = option.exec(a);
  if (opt && !b.includes('$')) {
    const name = opt[1]!;
    eq = b === 'y' ? `IS_BUILTIN(${name})` : b === 'm' ? `IS_MODULE(${name})` : b === '' ? `!IS_ENABLED(${name})` : b === 'n' ? '0' : /^\d+$/.test(b) ? `${name} == ${b}` : UNKNOWN_TERM;
  } else if (!a.includes('$') && !b.includes('$')) eq = a === b ? '1' : '0';
  else eq = UNKNOWN_TERM;
  if (word === 'ifeq') return eq;
  return eq === '1' ? '0' : eq === '0' ? '1' : eq === UNKNOWN_TERM ? UNKNOWN_TERM : `!(${eq})`;
}

/**
 * `line` with each reference written `${...}` written `$(...)`, nested ones too: make reads both
 * alike (GNU make manual, "Basics of Variable References"), and kernel Makefiles use both
 * (`obj-${CONFIG_USB4} := thunderbolt.o` in drivers/thunderbolt/Makefile of Linux 6.1). A brace
 * left unclosed stays as written.
 */
export function bracesAsParentheses(line: string): string {
  const out = [...line];
  const open: number[] = [];
  for (let i = 0; i < out.length; i++) {
    if (out[i] === '$' && out[i + 1] === '{') open.push(++i);
    else if (out[i] === '{') open.push(-1);
    else if (out[i] === '}' && open.length) {
      const at = open.pop()!;
      if (at >= 0) [out[at], out[i]] = ['(', ')'];
    }
  }
  return out.join('');
}

/** Replaces `$(VAR)` of known variables by their values. */
function substitute(text: string, vars: Record<string, string>): string {
  if (!text.includes('$(')) return text;
  return text.replace(/\$\((\w+)\)/g, (all, name: string) => (Object.hasOwn(vars, name) ? vars[name]! : all));
}

/** Removes `$(...)` references (balanced) from a list value. */
function dropReferences(text: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
      depth++;
      i++;
      out += ' ';
    } else if (depth > 0 && (text[i] === ')' || text[i] === '}')) depth--;
    else if (depth > 0 && (text[i] === '(' || text[i] === '{')) depth++;
    else if (depth === 0) out += text[i];
  }
  return out;
}

interface Block {
  /** Negations of the earlier branches' terms, then the live branch's term. */
  terms: string[];
  live: string | null;
}

/** How to read a Makefile. */
export interface MakefileOptions {
  /** Make variables known for the build (`{SRCARCH: 'x86', KBUILD_EXTMOD: ''}`). */
  vars?: Record<string, string>;
  /**
   * False to leave out the terms of enclosing make conditionals: for the root Makefile, whose
   * lists sit inside blocks over its own bookkeeping variables (`ifdef config-build`, `ifeq
   * ($(need-sub-make),)`) that are set on the way to building the kernel. Default true.
   */
  blocks?: boolean;
  /**
   * Other values known variables take in other builds (`{BITS: ['32']}` on x86-64): an entry
   * written with such a variable is also read with each other value, as an entry never taken
   * (`cond` `0`, KbuildEntry.otherValue), so the object it names there is known not to be built.
   */
  otherValues?: Record<string, string[]>;
  /**
   * The Makefile's folder relative to the root (`arch/x86/boot`; '' for an architecture's
   * Makefile, whose recipes run at the root): when given, folders recipes enter with
   * `$(MAKE) $(build)=dir` are read as `subdir` entries (see the module comment).
   */
  folder?: string;
}

/** `$(Q)$(MAKE) $(build)=$(obj)/compressed $@`: the folder a recipe builds. */
const BUILD_RECIPE = /\$\(MAKE\)\s+\$\(build\)=(\S+)/;
/** `boot := arch/x86/boot`: a plain variable of one value. */
export const PLAIN_VARIABLE = /^([A-Za-z_]\w*)\s*:?=\s*(\S+)$/;

/** The entry for the folder a `$(MAKE) $(build)=path` recipe enters, relative to `folder`; null when the path is not known or not below it. */
function buildRecipeEntry(body: string, folder: string, vars: Record<string, string>, cond: string, line: number): KbuildEntry | null {
  const m = BUILD_RECIPE.exec(body);
  if (!m) return null;
  const path = substitute(m[1]!, { ...vars, obj: folder }).replace(/\/+$/, '');
  if (path.includes('$') || path === '.' || path === '' || path.startsWith('..')) return null;
  const rel = folder === '' ? path : path.startsWith(`${folder}/`) ? path.slice(folder.length + 1) : null;
  return rel ? { list: 'subdir', name: `${rel}/`, cond, line } : null;
}

/** The build-list entries of one Kbuild file or Makefile (see the module comment). */
export function readMakefile(text: string, options: MakefileOptions = {}): KbuildEntry[] {
  const vars = options.vars ?? {};
  const useBlocks = options.blocks ?? true;
  const out: KbuildEntry[] = [];
  const raw = text.split('\n');
  const blocks: Block[] = [];
  let inDefine = false;
  /** The file's plain variables (`boot := arch/x86/boot`), for the folders recipes enter. */
  const locals: Record<string, string> = {};
  /** The entries read from list assignments, with the suffix of each, for the assignments that replace them. */
  const assigned: { entry: KbuildEntry; suffix: Suffix }[] = [];
  const current = (): string[] => blocks.flatMap((b) => (b.live === null ? b.terms : [...b.terms, b.live]));
  for (let i = 0; i < raw.length; i++) {
    const lineNo = i + 1;
    let line = raw[i]!;
    while (line.endsWith('\\') && i + 1 < raw.length) line = line.slice(0, -1) + ' ' + raw[++i]!;
    if (line.includes('${')) line = bracesAsParentheses(line);
    const body = (line.includes('#') ? line.replace(/(^|[^\\])#.*$/, '$1') : line).trim();
    if (body === '') continue;
    if (inDefine) {
      if (/^endef\b/.test(body)) inDefine = false;
      continue;
    }
    if (/^(define|override define)\b/.test(body)) {
      inDefine = true;
      continue;
    }
    const first = body.charCodeAt(0);
    // Only lines starting with `i` or `e` can be conditionals; only lines with `=` assignments.
    if (first !== 0x69 && first !== 0x65 && !body.includes('=')) continue;
    const cond = /^(else\s+)?(ifdef|ifndef|ifeq|ifneq)\b\s*(.*)$/.exec(body);
    if (cond) {
      const term = makeTerm(cond[2]!, cond[3]!, vars);
      const top = blocks[blocks.length - 1];
      if (cond[1] && top) {
        if (top.live !== null) top.terms.push(`!(${top.live})`);
        top.live = term;
      } else blocks.push({ terms: [], live: term });
      continue;
    }
    if (/^else\b/.test(body)) {
      const top = blocks[blocks.length - 1];
      if (top && top.live !== null) {
        top.terms.push(`!(${top.live})`);
        top.live = null;
      }
      continue;
    }
    if (/^endif\b/.test(body)) {
      blocks.pop();
      continue;
    }
    if (options.folder !== undefined) {
      const plain = PLAIN_VARIABLE.exec(body);
      if (plain) locals[plain[1]!] = substitute(plain[2]!, vars);
      const entry = body.includes('$(build)=') ? buildRecipeEntry(body, options.folder, { ...vars, ...locals }, conditionText(useBlocks ? current().filter((t) => t !== '1') : []) ?? '1', lineNo) : null;
      if (entry) out.push(entry);
    }
    const m = ASSIGN.exec(body);
    if (!m) continue;
    const list = m[1]!;
    const suffix = substitute(m[2]!, vars);
    let own: string | null;
    let kind: Suffix;
    if (suffix === 'y' || suffix === 'm' || suffix === 'objs') {
      own = null;
      kind = { kind: suffix };
    } else {
      // `$(subst m,y,$(CONFIG_X))` is y when X is y or m, like `$(CONFIG_X)` for the build's purpose.
      const opt = /^\$\((CONFIG_\w+)\)$/.exec(suffix);
      const option = opt?.[1] ?? /^\$\(subst m,y,\$\((CONFIG_\w+)\)\)$/.exec(suffix)?.[1];
      own = option ? `IS_ENABLED(${option})` : UNKNOWN_TERM;
      kind = option ? { kind: 'option', option, subst: !opt } : { kind: 'unknown' };
    }
    const terms = useBlocks ? current().filter((t) => t !== '1') : [];
    // `:=` and `=` replace the variable's value where they take effect (see the module comment).
    // A value naming the list's own variables keeps what they held (`lib-y := $(patsubst %.o,%.stub.o,$(lib-y))`).
    if ((m[3] === ':' || m[3] === undefined) && (useBlocks || blocks.length === 0) && !m[4]!.includes(`$(${list}-`)) replaceEarlier(assigned, list, kind, terms);
    if (own) terms.push(own);
    const text = conditionText(terms.includes('0') ? ['0'] : terms) ?? '1';
    const value = substitute(m[4]!, vars);
    const before = out.length;
    // `i915-y += $(gt-y)`: the parts listed in gt-y belong to this list, read as a composite `gt.o`.
    for (const ref of value.matchAll(/\$\(([A-Za-z0-9_.+-]+?)-(?:y|objs)\)/g)) out.push({ list, name: `${ref[1]}.o`, cond: text, line: lineNo });
    for (const word of dropReferences(value).split(/\s+/)) {
      // `subdir-y += boot`: a folder the build enters, written with or without its slash.
      const name = list === 'subdir' && /^[\w.-][\w./-]*$/.test(word) && !word.endsWith('.o') && !word.endsWith('/') ? `${word}/` : word;
      if (name.endsWith('.o') || (name.endsWith('/') && name !== '/')) out.push({ list, name, cond: text, line: lineNo });
    }
    for (let k = before; k < out.length; k++) assigned.push({ entry: out[k]!, suffix: kind });
    if (options.otherValues) out.push(...otherValueEntries(list, m[4]!, vars, options.otherValues, lineNo));
  }
  return out;
}

/** The objects a list value's words name with the other values of a variable (MakefileOptions.otherValues), as entries never taken. */
function otherValueEntries(list: string, value: string, vars: Record<string, string>, otherValues: Record<string, string[]>, line: number): KbuildEntry[] {
  const out: KbuildEntry[] = [];
  for (const [variable, values] of Object.entries(otherValues)) {
    const ref = `$(${variable})`;
    if (!value.includes(ref)) continue;
    for (const written of value.split(/\s+/)) {
      if (!written.includes(ref)) continue;
      for (const other of values) {
        const name = substitute(written, { ...vars, [variable]: other });
        if (name.endsWith('.o') && !name.includes('$(')) out.push({ list, name, cond: '0', line, otherValue: { written, variable } });
      }
    }
  }
  return out;
}
