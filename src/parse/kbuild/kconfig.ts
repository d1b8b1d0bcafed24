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
  line: number;
}

/** One `config` or `menuconfig` entry (a symbol may have entries in several files). */
export interface KconfigSymbol {
  /** Full macro name: `CONFIG_SLUB`. */
  name: string;
  /** 'bool', 'tristate', 'string', 'int', 'hex'; undefined when this entry gives none. */
  type?: string;
  defaults: KconfigDefault[];
  /** True when the entry has a `depends on`, or sits inside an `if` block or a menu with a dependency. */
  dependent: boolean;
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
  line: number;
}

/** One `source`-like line: `source`, `rsource` (relative to the file's folder), `osource`/`orsource` (optional). */
export interface KconfigSource {
  path: string;
  relative: boolean;
  optional: boolean;
}

/** The facts of one Kconfig file. */
export interface KconfigFacts {
  symbols: KconfigSymbol[];
  /** Full macro names named by a `select` or `imply` line. */
  selected: string[];
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

const unquote = (s: string): string => s.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');

/** Splits `VALUE if EXPR` into the value and whether there is a condition. */
function valueAndCondition(rest: string): { value: string; conditional: boolean } {
  const m = /^(.*?)\s+if\s+\S.*$/.exec(rest);
  return m ? { value: unquote(m[1]!.trim()), conditional: true } : { value: unquote(rest.trim()), conditional: false };
}

interface Block {
  kind: 'if' | 'menu' | 'choice';
  dependent: boolean;
}

/** The facts of one Kconfig file's text (see the module comment). */
export function readKconfig(text: string): KconfigFacts {
  const facts: KconfigFacts = { symbols: [], selected: [], choices: [], sources: [] };
  const raw = text.split('\n');
  const blocks: Block[] = [];
  let entry: Entry = { kind: 'other' };
  const enclosingDependent = (): boolean => blocks.some((b) => b.kind !== 'choice' && b.dependent);
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
        const sym: KconfigSymbol = { name: `CONFIG_${rest.split(/\s+/)[0]}`, defaults: [], dependent: enclosingDependent(), line: lineNo };
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
        const choice: KconfigChoice = { members: [], defaults: [], optional: false, tristate: false, dependent: enclosingDependent(), line: lineNo };
        facts.choices.push(choice);
        openChoices.push(facts.choices.length - 1);
        blocks.push({ kind: 'choice', dependent: false });
        entry = { kind: 'choice', choice };
        continue;
      }
      case 'endchoice':
        if (blocks[blocks.length - 1]?.kind === 'choice') blocks.pop();
        openChoices.pop();
        entry = { kind: 'other' };
        continue;
      case 'menu': {
        const block: Block = { kind: 'menu', dependent: false };
        blocks.push(block);
        entry = { kind: 'menu', block };
        continue;
      }
      case 'if':
        blocks.push({ kind: 'if', dependent: true });
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
        facts.sources.push({ path: unquote(rest), relative: word.startsWith('r') || word === 'orsource', optional: word.startsWith('o') });
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

type Entry = { kind: 'symbol'; sym: KconfigSymbol } | { kind: 'choice'; choice: KconfigChoice } | { kind: 'menu'; block: Block } | { kind: 'other' };

/** Applies one attribute line to the current entry. */
function attribute(facts: KconfigFacts, entry: Entry, word: string, rest: string, line: number): void {
  if (word === 'select' || word === 'imply') {
    const name = /^\w+/.exec(rest)?.[0];
    if (name) facts.selected.push(`CONFIG_${name}`);
    return;
  }
  const dependency = word === 'depends' || (word === 'visible' && /^if\b/.test(rest));
  if (entry.kind === 'menu') {
    if (dependency) entry.block.dependent = true;
    return;
  }
  if (entry.kind === 'choice') {
    const c = entry.choice;
    if (dependency) c.dependent = true;
    else if (word === 'optional') c.optional = true;
    else if (word === 'tristate') c.tristate = true;
    else if (word === 'default') {
      const d = valueAndCondition(rest);
      c.defaults.push({ value: `CONFIG_${d.value}`, conditional: d.conditional, line });
    }
    return;
  }
  if (entry.kind !== 'symbol') return;
  const s = entry.sym;
  if (word === 'depends') s.dependent = true;
  else if (word === 'bool' || word === 'boolean' || word === 'tristate' || word === 'string' || word === 'int' || word === 'hex') {
    s.type = word === 'boolean' ? 'bool' : word;
  } else if (word === 'def_bool' || word === 'def_tristate') {
    s.type = word.slice(4);
    s.defaults.push({ ...valueAndCondition(rest), line });
  } else if (word === 'default') s.defaults.push({ ...valueAndCondition(rest), line });
}
