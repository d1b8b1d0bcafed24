/**
 * Hand-made stand-ins for the include graph and the build model, for the binding-scope tests
 * until the real ones (issue 11: incl, cond) are wired in. Deliberately simple: includes resolve
 * relative to the including file, then under include/ and arch/x86/include/; conditions are
 * Kleene logic over `defined(CONFIG_X)`, `IS_ENABLED(CONFIG_X)`, `!`, `&&`, `||` and parentheses;
 * Kbuild reads `obj-$(CONFIG_X) += name.o` / `obj-y += dir/` in each folder's Makefile.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { CodeIndex } from '../../src/index/code-index.js';
import type { IncludeGraphByPath } from '../../src/resolve/scope-oracles.js';
import { type BuildModel, type ConfigModel, Truth } from '../../src/types/build.js';

/** An include graph over the index's files, by path. */
export function fakeIncludeGraph(index: CodeIndex): IncludeGraphByPath {
  const paths = new Set(index.files.map((f) => f.path));
  const byPath = new Map(index.files.map((f, i) => [f.path, i]));
  const direct = (file: string): string[] => {
    const facts = index.fileFacts(byPath.get(file)!);
    const out: string[] = [];
    for (const inc of facts.includes ?? []) {
      const tries = [...(inc.system ? [] : [posix.join(posix.dirname(file), inc.path)]), `include/${inc.path}`, `arch/x86/include/${inc.path}`];
      const hit = tries.find((t) => paths.has(t));
      if (hit) out.push(hit);
    }
    return out;
  };
  /** Parent of each file reached from `caller` (breadth first), for the chain. */
  const reached = new Map<string, Map<string, string>>();
  const walk = (caller: string): Map<string, string> => {
    let parents = reached.get(caller);
    if (parents) return parents;
    parents = new Map([[caller, '']]);
    const queue = [caller];
    while (queue.length) {
      const f = queue.shift()!;
      for (const g of direct(f)) {
        if (parents.has(g)) continue;
        parents.set(g, f);
        queue.push(g);
      }
    }
    reached.set(caller, parents);
    return parents;
  };
  return {
    sees: (caller, file) => walk(caller).has(file),
    includedVia: (caller, file) => {
      const parents = walk(caller);
      if (!parents.has(file) || caller === file) return undefined;
      const chain: string[] = [];
      for (let f = file; f !== caller; f = parents.get(f)!) chain.unshift(f);
      return chain;
    },
  };
}

/** Option values of a .config or defconfig file: `CONFIG_X=v` and `# CONFIG_X is not set`. */
function readConfig(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const set = /^(CONFIG_\w+)=("?)(.*)\2$/.exec(line);
    const unset = /^# (CONFIG_\w+) is not set$/.exec(line);
    if (set) values.set(set[1]!, set[3]!);
    else if (unset) values.set(unset[1]!, 'n');
  }
  return values;
}

const not = (t: Truth): Truth => (t === Truth.Unknown ? t : t === Truth.Yes ? Truth.No : Truth.Yes);
const and = (a: Truth, b: Truth): Truth => (a === Truth.No || b === Truth.No ? Truth.No : a === Truth.Yes && b === Truth.Yes ? Truth.Yes : Truth.Unknown);
const or = (a: Truth, b: Truth): Truth => not(and(not(a), not(b)));

/**
 * A build model from `config` (a .config path relative to the root: every unlisted option not
 * set) or, when absent, arch/x86/configs/x86_64_defconfig (unlisted options unknown).
 */
export function fakeBuildModel(root: string, config?: string): BuildModel {
  const source = config ?? 'arch/x86/configs/x86_64_defconfig';
  const values = readConfig(readFileSync(join(root, source), 'utf8'));
  const kind = config ? 'config' : 'defconfig';
  const model: ConfigModel = {
    kind,
    source,
    value: (o) => values.get(o) ?? (kind === 'config' ? 'n' : undefined),
    why: (o) => (values.has(o) ? `${values.get(o) === 'n' ? 'not set' : 'set'} in ${source}` : kind === 'config' ? `not set in ${source}` : undefined),
    key: `${kind}:${source}`,
  };
  const option = (o: string): Truth => {
    const v = model.value(o);
    return v === undefined ? Truth.Unknown : v === 'n' ? Truth.No : Truth.Yes;
  };
  const condition = (cond: string | undefined): Truth => {
    if (cond === undefined) return Truth.Yes;
    const tokens = cond.match(/!|&&|\|\||\(|\)|(?:defined|IS_ENABLED)\(\w+\)|\w+/g) ?? [];
    let at = 0;
    const primary = (): Truth => {
      const t = tokens[at++]!;
      if (t === '!') return not(primary());
      if (t === '(') {
        const v = expr();
        at++;
        return v;
      }
      const m = /^(?:defined|IS_ENABLED)\((\w+)\)$/.exec(t);
      if (m) return m[1]!.startsWith('CONFIG_') ? option(m[1]!) : Truth.Unknown;
      return t.startsWith('CONFIG_') ? option(t) : Truth.Unknown;
    };
    const conj = (): Truth => {
      let v = primary();
      while (tokens[at] === '&&') (at++, (v = and(v, primary())));
      return v;
    };
    const expr = (): Truth => {
      let v = conj();
      while (tokens[at] === '||') (at++, (v = or(v, conj())));
      return v;
    };
    return expr();
  };
  const options = (cond: string): string[] => [...new Set(cond.match(/CONFIG_\w+/g) ?? [])];
  const explainOption = (o: string): string => {
    const v = model.value(o);
    return v === undefined ? `${o} unknown` : v === 'n' ? `${o} is not set` : `${o}=${v}`;
  };
  /** The rule of a Makefile naming `name` (`slab.o`, `pci/`): its truth and its option. */
  const rule = (dir: string, name: string): { truth: Truth; option?: string } => {
    const makefile = join(root, dir, 'Makefile');
    if (!existsSync(makefile)) return { truth: Truth.Unknown };
    for (const line of readFileSync(makefile, 'utf8').split('\n')) {
      const m = /^obj-(y|\$\((CONFIG_\w+)\))\s*\+=\s*(.*)$/.exec(line);
      if (!m || !m[3]!.split(/\s+/).includes(name)) continue;
      return m[2] ? { truth: option(m[2]), option: m[2] } : { truth: Truth.Yes };
    }
    return { truth: Truth.Unknown };
  };
  const builtWhy = (path: string): { truth: Truth; why?: string } => {
    if (!path.endsWith('.c')) return { truth: Truth.Yes };
    let truth: Truth = Truth.Yes;
    let why: string | undefined;
    const parts = path.split('/');
    const last = parts.length - 1;
    for (let i = last; i >= 0; i--) {
      const name = i === last ? parts[i]!.replace(/\.c$/, '.o') : `${parts[i]}/`;
      const r = rule(parts.slice(0, i).join('/'), name);
      if (r.truth !== Truth.Yes && why === undefined) why = r.option ? explainOption(r.option) : `${name} named by no rule`;
      truth = and(truth, r.truth);
    }
    return { truth, ...(why ? { why } : {}) };
  };
  return {
    config: model,
    condition,
    built: (path) => builtWhy(path).truth,
    explainCondition: (cond) => options(cond).map(explainOption).join(', '),
    explainBuilt: (path) => {
      const b = builtWhy(path);
      if (b.truth === Truth.Yes) return undefined;
      return `${b.truth === Truth.No ? 'not built' : 'may not be built'}: ${b.why}`;
    },
  };
}
