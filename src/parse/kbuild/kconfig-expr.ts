/**
 * Three-valued evaluation of Kconfig expressions (`depends on`, `default ... if`, `select ... if`),
 * after Documentation/kbuild/kconfig-language.rst "Menu dependencies": tristate values n=0, m=1,
 * y=2; `A && B` is min(A, B), `A || B` max(A, B), `!A` 2-A; `A = B` and `A != B` compare the two
 * values as text (y when they hold, else n); `<`, `>`, `<=`, `>=` compare numbers. A symbol's value
 * comes from a lookup by full macro name (`CONFIG_PCI`). Unknown values (null) propagate, except
 * that n decides `&&` and y decides `||`. Text that cannot be read (`$(...)` macros) is unknown.
 */

/** A tristate value: 0 (n), 1 (m), 2 (y); null when unknown. */
export type Tri = 0 | 1 | 2 | null;

/** Reads an option's value by full macro name: 'y', 'm', 'n', a number or text; undefined when unknown. */
export type Lookup = (option: string) => string | undefined;

const TOKEN = /\s*(?:(\|\||&&|!=|<=|>=|[=<>!()])|"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_.$-]+))/y;

type Tok = { op: string } | { text: string; quoted: boolean };

function tokenize(text: string): Tok[] | null {
  const out: Tok[] = [];
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) return null;
    at = TOKEN.lastIndex;
    if (m[1] !== undefined) out.push({ op: m[1] });
    else if (m[2] !== undefined || m[3] !== undefined) out.push({ text: m[2] ?? m[3]!, quoted: true });
    else out.push({ text: m[4]!, quoted: false });
  }
  return out;
}

const triOf = (v: string | undefined): Tri => (v === 'y' ? 2 : v === 'm' ? 1 : v === 'n' ? 0 : null);
const triText = (t: Tri): string | undefined => (t === 2 ? 'y' : t === 1 ? 'm' : t === 0 ? 'n' : undefined);

/** A term's value: its text (for comparisons) and its tristate (for logic). */
interface Val {
  text: string | undefined;
  tri: Tri;
}

class Evaluator {
  private at = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly lookup: Lookup,
    private readonly vars: Readonly<Record<string, string>>,
  ) {}

  done(): boolean {
    return this.at === this.toks.length;
  }

  private op(): string | undefined {
    const t = this.toks[this.at];
    return t && 'op' in t ? t.op : undefined;
  }

  or(): Val {
    let a = this.and();
    while (this.op() === '||') {
      this.at++;
      const b = this.and();
      const tri: Tri = a.tri === 2 || b.tri === 2 ? 2 : a.tri === null || b.tri === null ? null : (Math.max(a.tri, b.tri) as Tri);
      a = { text: triText(tri), tri };
    }
    return a;
  }

  private and(): Val {
    let a = this.not();
    while (this.op() === '&&') {
      this.at++;
      const b = this.not();
      const tri: Tri = a.tri === 0 || b.tri === 0 ? 0 : a.tri === null || b.tri === null ? null : (Math.min(a.tri, b.tri) as Tri);
      a = { text: triText(tri), tri };
    }
    return a;
  }

  private not(): Val {
    if (this.op() === '!') {
      this.at++;
      const a = this.not();
      const tri: Tri = a.tri === null ? null : ((2 - a.tri) as Tri);
      return { text: triText(tri), tri };
    }
    return this.compare();
  }

  private compare(): Val {
    const a = this.atom();
    const op = this.op();
    if (op === undefined || !['=', '!=', '<', '>', '<=', '>='].includes(op)) return a;
    this.at++;
    const b = this.atom();
    if (a.text === undefined || b.text === undefined) return { text: undefined, tri: null };
    let holds: boolean;
    if (op === '=' || op === '!=') holds = (a.text === b.text) === (op === '=');
    else {
      const x = Number(a.text);
      const y = Number(b.text);
      if (Number.isNaN(x) || Number.isNaN(y)) return { text: undefined, tri: null };
      holds = op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
    }
    return { text: holds ? 'y' : 'n', tri: holds ? 2 : 0 };
  }

  private atom(): Val {
    const t = this.toks[this.at++];
    if (!t) throw new Error('unexpected end');
    if ('op' in t) {
      if (t.op !== '(') throw new Error(`unexpected ${t.op}`);
      const v = this.or();
      if (this.op() !== ')') throw new Error('expected )');
      this.at++;
      return v;
    }
    if (t.text.includes('$')) {
      const text = t.text.replace(/\$\((\w+)\)/g, (all, name: string) => (Object.hasOwn(this.vars, name) ? this.vars[name]! : all));
      return text.includes('$') || !t.quoted ? { text: undefined, tri: null } : { text, tri: triOf(text) };
    }
    if (t.quoted || /^(y|m|n|-?\d+|0[xX][0-9a-fA-F]+)$/.test(t.text)) return { text: t.text, tri: triOf(t.text) };
    const v = this.lookup(`CONFIG_${t.text}`);
    return { text: v, tri: v === undefined ? null : (triOf(v) ?? null) };
  }
}

/**
 * The value of a Kconfig expression: its text (`y`, `64`, `lz4`) and tristate; both unknown when it
 * cannot be read. `vars` holds the values of Kconfig macros in quoted texts (`"$(ARCH)"`); a text
 * with any other macro is unknown.
 */
export function evalKconfig(text: string, lookup: Lookup, vars: Readonly<Record<string, string>> = {}): { text: string | undefined; tri: Tri } {
  const toks = tokenize(text);
  if (!toks || toks.length === 0) return { text: undefined, tri: null };
  try {
    const e = new Evaluator(toks, lookup, vars);
    const v = e.or();
    return e.done() ? v : { text: undefined, tri: null };
  } catch {
    return { text: undefined, tri: null };
  }
}

/** The tristate of the conjunction of several expressions (none: y). */
export function evalAll(exprs: readonly string[], lookup: Lookup, vars: Readonly<Record<string, string>> = {}): Tri {
  let out: Tri = 2;
  for (const e of exprs) {
    const t = evalKconfig(e, lookup, vars).tri;
    if (t === 0) return 0;
    out = out === null || t === null ? null : (Math.min(out, t) as Tri);
  }
  return out;
}

export { triText };
