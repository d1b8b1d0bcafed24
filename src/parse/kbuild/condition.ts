/**
 * Three-valued evaluation of preprocessor conditions (FunctionFact.cond) under a config model.
 *
 * Values: an integer (bigint, 64-bit two's complement) or unknown (null). A condition is Yes when
 * its value is a known non-zero, No when it is zero, Unknown otherwise. `&&`, `||`, `!` and `?:`
 * follow Kleene's logic: `0 && unknown` is 0, `1 || unknown` is 1.
 *
 * Identifiers (C11 6.10.1p4: after expansion, an identifier left in `#if` is 0) are read through
 * the environment, modelled on include/generated/autoconf.h, which the kernel's build writes from
 * the config: an option set to `y` is `#define CONFIG_X 1`; `m` defines `CONFIG_X_MODULE 1` and
 * leaves `CONFIG_X` undefined; `n` defines neither; a number is `#define CONFIG_X <n>`; a string is
 * a string literal (defined, value unknown here). Macros the profile predefines have their values;
 * macros it lists as undefined are undefined (0). Any other identifier is a macro defined in code,
 * which this model does not follow: unknown.
 *
 * include/linux/kconfig.h gives the kernel's tests: `IS_BUILTIN(CONFIG_X)` is 1 when `CONFIG_X` is
 * defined as 1 (so `y`), `IS_MODULE(CONFIG_X)` when `CONFIG_X_MODULE` is, `IS_ENABLED` either;
 * `IS_REACHABLE(CONFIG_X)` is read as IS_ENABLED (it is 0 only for a module option used from
 * built-in code, which a per-file model cannot see). `__has_attribute`, `__has_builtin`,
 * `__has_include` and any other call are unknown.
 */

import { Truth } from '../../types/build.js';
import { type CondNode, parseCondition } from './condition-parse.js';
import { UNKNOWN_TERM } from './makefile.js';

/** What the environment knows of one identifier: is it defined, and its value in `#if` (null: unknown). */
export interface MacroState {
  defined: Truth;
  value: bigint | null;
}

/** Where identifiers get their meaning: built from a config model by configEnvironment. */
export interface ConditionEnvironment {
  /** The state of a macro name in `#if` (see the module comment). */
  macro(name: string): MacroState;
  /** One short phrase for explain: `CONFIG_PCI=y`, `CONFIG_X86_32 is not set`, `CONFIG_FOO unknown`. */
  describe(name: string): string;
}

const UNKNOWN: MacroState = { defined: Truth.Unknown, value: null };
const UNDEFINED: MacroState = { defined: Truth.No, value: 0n };

/** A .config value read as a C integer constant (`1000`, `0x1000`, `-1`), or null when it is not one. */
function integerValue(text: string): bigint | null {
  if (/^-?(0[xX][0-9a-fA-F]+|\d+)$/.test(text)) {
    const neg = text.startsWith('-');
    const v = BigInt(neg ? text.slice(1) : text);
    return neg ? -v : v;
  }
  return null;
}

/**
 * The environment of a configuration: `value(option)` gives an option's value as ConfigModel.value
 * does ('y', 'm', 'n', a number or a string; undefined when unknown); predefined and undefined are
 * the profile's predefinedMacros and undefinedMacros.
 */
export function configEnvironment(
  value: (option: string) => string | undefined,
  predefined: Record<string, string>,
  undefinedMacros: readonly string[],
): ConditionEnvironment {
  const undef = new Set(undefinedMacros);
  const optionState = (name: string): MacroState => {
    const v = value(name);
    if (v === undefined) return UNKNOWN;
    if (v === 'y') return { defined: Truth.Yes, value: 1n };
    if (v === 'm' || v === 'n') return UNDEFINED;
    return { defined: Truth.Yes, value: integerValue(v) };
  };
  const macro = (name: string): MacroState => {
    if (Object.hasOwn(predefined, name)) return { defined: Truth.Yes, value: integerValue(predefined[name]!) };
    if (undef.has(name)) return UNDEFINED;
    if (!name.startsWith('CONFIG_')) return UNKNOWN;
    if (name.endsWith('_MODULE')) {
      const base = value(name.slice(0, -'_MODULE'.length));
      if (base === 'm') return { defined: Truth.Yes, value: 1n };
      const own = optionState(name);
      // CONFIG_X_MODULE is defined only for X=m (or if some option is itself named so).
      if (base !== undefined && own.defined === Truth.No) return UNDEFINED;
      return own.defined === Truth.Yes ? own : UNKNOWN;
    }
    return optionState(name);
  };
  return {
    macro,
    describe(name: string): string {
      if (name.startsWith('CONFIG_')) {
        const v = value(name);
        if (v === undefined) return `${name} unknown`;
        return v === 'n' ? `${name} is not set` : `${name}=${v}`;
      }
      if (Object.hasOwn(predefined, name)) return `${name} defined`;
      if (undef.has(name)) return `${name} not defined`;
      if (name === UNKNOWN_TERM) return 'a Makefile condition pathfind does not model';
      return `${name} unknown (a macro defined in code)`;
    },
  };
}

/**
 * `env` with the macros defined in code that it leaves unknown decided by `codeMacro` where it
 * can: Yes is defined (value unknown), No is not defined (value 0 in `#if`, C11 6.10.1p4).
 */
export function withCodeMacros(env: ConditionEnvironment, codeMacro: (name: string) => Truth | undefined): ConditionEnvironment {
  return {
    macro(name) {
      const base = env.macro(name);
      if (base.defined !== Truth.Unknown || name.startsWith('CONFIG_')) return base;
      const t = codeMacro(name);
      return t === Truth.Yes ? { defined: Truth.Yes, value: null } : t === Truth.No ? UNDEFINED : base;
    },
    describe(name) {
      if (name.startsWith('CONFIG_') || env.macro(name).defined !== Truth.Unknown) return env.describe(name);
      const t = codeMacro(name);
      return t === Truth.Yes ? `${name} defined in code` : t === Truth.No ? `${name} not defined in this translation unit` : env.describe(name);
    },
  };
}

const truthOf = (v: bigint | null): Truth => (v === null ? Truth.Unknown : v !== 0n ? Truth.Yes : Truth.No);
const fromTruth = (t: Truth): bigint | null => (t === Truth.Unknown ? null : t === Truth.Yes ? 1n : 0n);
const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

/** The value of the kernel's config test macros (IS_ENABLED & co.) on one argument. */
function configTest(name: string, arg: string, env: ConditionEnvironment): bigint | null {
  if (!/^[A-Za-z_]\w*$/.test(arg)) return null;
  // __is_defined(x) (include/linux/kconfig.h) is 1 exactly when x is a macro defined as 1.
  const isOne = (macro: string): Truth => {
    const s = env.macro(macro);
    if (s.defined === Truth.No) return Truth.No;
    if (s.defined === Truth.Yes && s.value !== null) return s.value === 1n ? Truth.Yes : Truth.No;
    return Truth.Unknown;
  };
  const builtin = (): Truth => isOne(arg);
  const module = (): Truth => isOne(`${arg}_MODULE`);
  if (name === 'IS_BUILTIN') return fromTruth(builtin());
  if (name === 'IS_MODULE') return fromTruth(module());
  const b = builtin();
  if (b === Truth.Yes) return 1n;
  const m = module();
  if (m === Truth.Yes) return 1n;
  return b === Truth.No && m === Truth.No ? 0n : null;
}

const CONFIG_TESTS = new Set(['IS_ENABLED', 'IS_BUILTIN', 'IS_MODULE', 'IS_REACHABLE']);

/** The value of a node; null when unknown. */
function evaluate(n: CondNode, env: ConditionEnvironment): bigint | null {
  switch (n.k) {
    case 'num':
      return n.v;
    case 'id': {
      const s = env.macro(n.name);
      return s.defined === Truth.No ? 0n : s.defined === Truth.Yes ? s.value : null;
    }
    case 'defined':
      return fromTruth(env.macro(n.name).defined);
    case 'call':
      return CONFIG_TESTS.has(n.name) && n.args.length === 1 ? configTest(n.name, n.args[0]!, env) : null;
    case 'un': {
      const a = evaluate(n.a, env);
      if (n.op === '!') return a === null ? null : a === 0n ? 1n : 0n;
      if (a === null) return null;
      return n.op === '~' ? wrap(~a) : n.op === '-' ? wrap(-a) : a;
    }
    case 'tern': {
      const c = truthOf(evaluate(n.c, env));
      if (c === Truth.Yes) return evaluate(n.a, env);
      if (c === Truth.No) return evaluate(n.b, env);
      const a = evaluate(n.a, env);
      const b = evaluate(n.b, env);
      return a !== null && a === b ? a : null;
    }
    case 'bin':
      return binary(n.op, n.a, n.b, env);
    case 'bad':
      return null;
  }
}

function binary(op: string, an: CondNode, bn: CondNode, env: ConditionEnvironment): bigint | null {
  if (op === '&&' || op === '||') {
    const a = truthOf(evaluate(an, env));
    const stop = op === '&&' ? Truth.No : Truth.Yes;
    if (a === stop) return fromTruth(stop);
    const b = truthOf(evaluate(bn, env));
    if (b === stop) return fromTruth(stop);
    return a === Truth.Unknown || b === Truth.Unknown ? null : fromTruth(b);
  }
  const a = evaluate(an, env);
  const b = evaluate(bn, env);
  if (a === null || b === null) {
    // x * 0 and x & 0 are 0 whatever x is.
    if ((op === '*' || op === '&') && (a === 0n || b === 0n)) return 0n;
    return null;
  }
  switch (op) {
    case '|': return a | b;
    case '^': return a ^ b;
    case '&': return a & b;
    case '==': return a === b ? 1n : 0n;
    case '!=': return a !== b ? 1n : 0n;
    case '<': return a < b ? 1n : 0n;
    case '>': return a > b ? 1n : 0n;
    case '<=': return a <= b ? 1n : 0n;
    case '>=': return a >= b ? 1n : 0n;
    case '<<': return b < 0n || b > 63n ? null : wrap(a << b);
    case '>>': return b < 0n || b > 63n ? null : a >> b;
    case '+': return wrap(a + b);
    case '-': return wrap(a - b);
    case '*': return wrap(a * b);
    case '/': return b === 0n ? null : wrap(a / b);
    case '%': return b === 0n ? null : a % b;
  }
  return null;
}

/** The truth of a condition text (FunctionFact.cond normal form) in an environment; undefined (unconditional) is Yes. */
export function evaluateCondition(cond: string | undefined, env: ConditionEnvironment): Truth {
  if (cond === undefined) return Truth.Yes;
  return truthOf(evaluate(parseCondition(cond), env));
}

/**
 * An evaluator that remembers the truth of each distinct condition text (a tree has millions of
 * uses of tens of thousands of texts). The environment must not change while it is used.
 */
export function conditionEvaluator(env: ConditionEnvironment): (cond: string | undefined) => Truth {
  const seen = new Map<string, Truth>();
  return (cond) => {
    if (cond === undefined) return Truth.Yes;
    let t = seen.get(cond);
    if (t === undefined) {
      t = evaluateCondition(cond, env);
      seen.set(cond, t);
    }
    return t;
  };
}

/** The macro names a condition tests, in order of first appearance (arguments of IS_ENABLED & co. included). */
export function conditionNames(cond: string): string[] {
  const names = new Set<string>();
  const visit = (n: CondNode): void => {
    if (n.k === 'id' || n.k === 'defined') names.add(n.name);
    else if (n.k === 'call') {
      if (CONFIG_TESTS.has(n.name) && n.args.length === 1 && /^[A-Za-z_]\w*$/.test(n.args[0]!)) names.add(n.args[0]!);
    } else if (n.k === 'un') visit(n.a);
    else if (n.k === 'bin') (visit(n.a), visit(n.b));
    else if (n.k === 'tern') (visit(n.c), visit(n.a), visit(n.b));
  };
  visit(parseCondition(cond));
  return [...names];
}

/**
 * One line naming what decides a condition: each macro it tests, described by the environment
 * (`CONFIG_PCI=y, CONFIG_X86_32 is not set`); a call the model cannot evaluate
 * (`__has_attribute(...) unknown`); `unreadable condition` when it cannot be parsed; `constant`
 * when it tests nothing (`#if 0`).
 */
export function explainCondition(cond: string, env: ConditionEnvironment): string {
  const root = parseCondition(cond);
  if (root.k === 'bad') return `unreadable condition: ${cond}`;
  const parts = conditionNames(cond).map((name) => env.describe(name));
  const calls = new Set<string>();
  const visit = (n: CondNode): void => {
    if (n.k === 'call' && !CONFIG_TESTS.has(n.name)) calls.add(`${n.name}(...) unknown`);
    else if (n.k === 'un') visit(n.a);
    else if (n.k === 'bin') (visit(n.a), visit(n.b));
    else if (n.k === 'tern') (visit(n.c), visit(n.a), visit(n.b));
  };
  visit(root);
  parts.push(...calls);
  return parts.length ? parts.join(', ') : 'constant';
}
