/**
 * Reads the facts of one Kconfig file that the defconfig model needs (see kconfig-model.ts), after
 * the Kconfig language of Documentation/kbuild/kconfig-language.rst: each `config`/`menuconfig`
 * entry with its type and default lines, the names any `select` or `imply` forces, the `choice`
 * blocks with their members and defaults, and the files it `source`s.
 *
 * Read line by line: `\` continues a line, `#` outside quotes starts a comment, and a `help` text
 * runs over the following lines indented at least as deep as its first line (blank lines
 * included), as scripts/kconfig/lexer.l reads it. Prompts, ranges and everything else are skipped.
 */

/** One `default`, `def_bool` or `def_tristate` line. */
export interface KconfigDefault {
  /** The value text, quotes removed: `y`, `n`, `m`, `64`, or an expression (`X86_64`, `!EXPERT`). */
  value: string;
  /** True when the line has an `if` condition. */
  conditional: boolean;
  /** The `if` condition's expression text, when there is one. */
  cond?: string;
  /** True when the value was written in quotes (a literal text, not an expression). */
  quoted?: boolean;
  line: number;
}

/** One `select` or `imply` line. */
export interface KconfigSelect {
  /** The forced symbol, full macro name. */
  target: string;
  /** The symbol whose entry holds the line, full macro name. */
  source: string;
  /** The `if` condition's expression text, when there is one. */
  cond?: string;
  imply: boolean;
}

/** One `config` or `menuconfig` entry (a symbol may have entries in several files). */
export interface KconfigSymbol {
  /** Full macro name: `CONFIG_SLUB`. */
  name: string;
  /** 'bool', 'tristate', 'string', 'int', 'hex'; undefined when this entry gives none. */
  type?: string;
  defaults: KconfigDefault[];
  /** True when the entry has a `depends on`, or sits inside an `if` block or a menu or choice with a dependency. */
  dependent: boolean;
  /** The dependency expressions, all of which must hold: enclosing `if` blocks, menus' and choices' `depends on`, then its own. */
  deps: string[];
  /** Index into KconfigFacts.choices of the choice the entry is a member of. */
  choice?: number;
  line: number;
}

/** One `choice` ... `endchoice` block. */
export interface KconfigChoice {
  /** Member symbols, full macro names, in order. */
  members: string[];
  /** Its `default` lines; values are full macro names (`CONFIG_SLUB`). */
  defaults: KconfigDefault[];
  /** `optional`: every member may be n. */
  optional: boolean;
  /** A tristate choice (members may be m). */
  tristate: boolean;
  /** True when the choice has a `depends on`/`visible if`, or sits inside an `if` block or a menu with one. */
  dependent: boolean;
  /** Its dependency expressions (enclosing blocks', then its own `depends on`). */
  deps: string[];
  /** True when the choice or an enclosing menu has a `visible if`. */
  limitedVisibility: boolean;
  line: number;
}

/** One `source`-like line: `source`, `rsource` (relative to the file's folder), `osource`/`orsource` (optional). */
export interface KconfigSource {
  path: string;
  relative: boolean;
  optional: boolean;
  /** Dependency expressions of the blocks around the line (`if X` ... `source` ... `endif`): every entry of the sourced file inherits them. */
  deps: string[];
}

/** The facts of one Kconfig file. */
export interface KconfigFacts {
  symbols: KconfigSymbol[];
  /** Full macro names named by a `select` or `imply` line. */
  selected: string[];
  /** Every `select` and `imply` line, in order. */
  selects: KconfigSelect[];
  choices: KconfigChoice[];
  sources: KconfigSource[];
}

const indentOf = (line: string): number => {
  let n = 0;
  for (const ch of line) {
    if (ch === ' ') n++;
    else if (ch === '\t') n = (n & ~7) + 8;
    else break;
  }
  return n;
};

/** The line without its comment (`#` outside double or single quotes). */
function stripComment(line: string): string {
  if (!line.includes('#')) return line;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') return line.slice(0, i);
  }
  return line;
}

/** A single quoted text (`"lz4"`, not `"a" = "b"`). */
const QUOTED = /^"((?:[^"\\]|\\.)*)"$|^'([^']*)'$/;
const unquote = (s: string): string => {
  const m = QUOTED.exec(s);
  return m ? (m[1] ?? m[2]!) : s;
};

/** Splits `VALUE if EXPR` into the value and whether there is a condition. */
function valueAndCondition(rest: string): { value: string; conditional: boolean; cond?: string; quoted?: boolean } {
  const m = /^(.*?)\s+if\s+(\S.*)$/.exec(rest);
  const raw = (m ? m[1]! : rest).trim();
  const out: { value: string; conditional: boolean; cond?: string; quoted?: boolean } = { value: unquote(raw), conditional: !!m };
  if (m) out.cond = m[2]!.trim();
  if (QUOTED.test(raw)) out.quoted = true;
  return out;
}

interface Block {
  kind: 'if' | 'menu' | 'choice';
  /** Dependency expressions the block puts on its entries. */
  exprs: string[];
  /** A menu's `visible if`. */
  limited: boolean;
}

/** The facts of one Kconfig file's text (see the module comment). */
export function readKconfig(text: string): KconfigFacts {
  const facts: KconfigFacts = { symbols: [], selected: [], selects: [], choices: [], sources: [] };
  const raw = text.split('\n');
  const blocks: Block[] = [];
  let entry: Entry = { kind: 'other' };
  const enclosing = (): string[] => blocks.flatMap((b) => b.exprs);
  // Indices of the choices open at this line, innermost last (choices do not nest in practice).
  const openChoices: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const lineNo = i + 1;
    let line = raw[i]!;
    while (line.endsWith('\\') && i + 1 < raw.length) line = line.slice(0, -1) + ' ' + raw[++i]!;
    const body = stripComment(line).trim();
    if (body === '') continue;
    const word = /^[\w-]+/.exec(body)?.[0] ?? '';
    const rest = body.slice(word.length).trim();
    if (word === 'help' || word === '---help---') {
      // Skip the help text: lines indented at least as deep as its first non-blank line.
      let j = i + 1;
      while (j < raw.length && raw[j]!.trim() === '') j++;
      const depth = j < raw.length ? indentOf(raw[j]!) : 0;
      if (depth > 0) {
        while (j < raw.length && (raw[j]!.trim() === '' || indentOf(raw[j]!) >= depth)) j++;
        i = j - 1;
      }
      continue;
    }
    switch (word) {
      case 'config':
      case 'menuconfig': {
        const deps = enclosing();
        const sym: KconfigSymbol = { name: `CONFIG_${rest.split(/\s+/)[0]}`, defaults: [], dependent: deps.length > 0, deps, line: lineNo };
        const choice = openChoices[openChoices.length - 1];
        if (choice !== undefined) {
          sym.choice = choice;
          facts.choices[choice]!.members.push(sym.name);
        }
        facts.symbols.push(sym);
        entry = { kind: 'symbol', sym };
        continue;
      }
      case 'choice': {
        const deps = enclosing();
        const limited = blocks.some((b) => b.limited);
        const choice: KconfigChoice = { members: [], defaults: [], optional: false, tristate: false, dependent: deps.length > 0 || limited, deps, limitedVisibility: limited, line: lineNo };
        facts.choices.push(choice);
        openChoices.push(facts.choices.length - 1);
        const block: Block = { kind: 'choice', exprs: [], limited: false };
        blocks.push(block);
        entry = { kind: 'choice', choice, block };
        continue;
      }
      case 'endchoice':
        if (blocks[blocks.length - 1]?.kind === 'choice') blocks.pop();
        openChoices.pop();
        entry = { kind: 'other' };
        continue;
      case 'menu': {
        const block: Block = { kind: 'menu', exprs: [], limited: false };
        blocks.push(block);
        entry = { kind: 'menu', block };
        continue;
      }
      case 'if':
        blocks.push({ kind: 'if', exprs: [rest], limited: false });
        entry = { kind: 'other' };
        continue;
      case 'endmenu':
      case 'endif':
        if (blocks.length && blocks[blocks.length - 1]!.kind !== 'choice') blocks.pop();
        entry = { kind: 'other' };
        continue;
      case 'source':
      case 'rsource':
      case 'osource':
      case 'orsource':
        facts.sources.push({ path: unquote(rest), relative: word.startsWith('r') || word === 'orsource', optional: word.startsWith('o'), deps: enclosing() });
        entry = { kind: 'other' };
        continue;
      case 'comment':
      case 'mainmenu':
        entry = { kind: 'other' };
        continue;
    }
    attribute(facts, entry, word, rest, lineNo);
  }
  return facts;
}

type Entry = { kind: 'symbol'; sym: KconfigSymbol } | { kind: 'choice'; choice: KconfigChoice; block: Block } | { kind: 'menu'; block: Block } | { kind: 'other' };

/** Applies one attribute line to the current entry. */
function attribute(facts: KconfigFacts, entry: Entry, word: string, rest: string, line: number): void {
  if (word === 'select' || word === 'imply') {
    const d = valueAndCondition(rest);
    if (!/^\w+$/.test(d.value)) return;
    facts.selected.push(`CONFIG_${d.value}`);
    if (entry.kind === 'symbol') {
      const sel: KconfigSelect = { target: `CONFIG_${d.value}`, source: entry.sym.name, imply: word === 'imply' };
      if (d.cond) sel.cond = d.cond;
      facts.selects.push(sel);
    }
    return;
  }
  const dependsOn = word === 'depends' ? rest.replace(/^on\s+/, '') : undefined;
  const visibleIf = word === 'visible' && /^if\b/.test(rest);
  if (entry.kind === 'menu') {
    if (dependsOn) entry.block.exprs.push(dependsOn);
    if (visibleIf) entry.block.limited = true;
    return;
  }
  if (entry.kind === 'choice') {
    const c = entry.choice;
    if (dependsOn) {
      c.dependent = true;
      c.deps.push(dependsOn);
      entry.block.exprs.push(dependsOn);
    } else if (visibleIf) {
      c.dependent = true;
      c.limitedVisibility = true;
    }
    else if (word === 'optional') c.optional = true;
    else if (word === 'tristate') c.tristate = true;
    else if (word === 'default') {
      const d = valueAndCondition(rest);
      c.defaults.push({ ...d, value: `CONFIG_${d.value}`, line });
    }
    return;
  }
  if (entry.kind !== 'symbol') return;
  const s = entry.sym;
  if (dependsOn) {
    s.dependent = true;
    s.deps.push(dependsOn);
  }
  else if (word === 'bool' || word === 'boolean' || word === 'tristate' || word === 'string' || word === 'int' || word === 'hex') {
    s.type = word === 'boolean' ? 'bool' : word;
  } else if (word === 'def_bool' || word === 'def_tristate') {
    s.type = word.slice(4);
    s.defaults.push({ ...valueAndCondition(rest), line });
  } else if (word === 'default') s.defaults.push({ ...valueAndCondition(rest), line });
}

/** Puts dependencies inherited from the `source` line that reads a file in front of its entries' own (kconfig reads the file in place). */
export function inheritDependencies(facts: KconfigFacts, deps: readonly string[]): void {
  if (deps.length === 0) return;
  for (const s of facts.symbols) {
    s.deps = [...deps, ...s.deps];
    s.dependent = true;
  }
  for (const c of facts.choices) {
    c.deps = [...deps, ...c.deps];
    c.dependent = true;
  }
  for (const src of facts.sources) src.deps = [...deps, ...src.deps];
}
