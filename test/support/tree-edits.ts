import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileFacts } from '../../src/index.js';
import { HAND_OFF_EDITS } from './hand-off-edits.js';
import { IFDEF_EDITS } from './ifdef-edits.js';
import { MEMBER_CALL_EDITS } from './member-call-edits.js';
import { MOVE_EDITS } from './move-edits.js';
import { INCLUDE_EDITS } from './include-edits.js';
import { PASS_ON_EDITS } from './pass-on-edits.js';
import { TAIL_EDITS } from './tail-edits.js';
export { canonicalGraph } from './canonical-graph.js';
export { seededRandom } from './random.js';

/** What an edit sees of the tree: its root, its facts as a fresh index reads them, and the random source. */
export interface EditContext {
  root: string;
  facts: FileFacts[];
  random: () => number;
  /** A number unique to this edit, for fresh names. */
  serial: number;
  /**
   * Pick only plain functions to remove or rename (plainFunction), and make added ones pass no
   * parameter on: the edits a patch must handle without resolving in full.
   */
  plain?: boolean;
}

/** One kind of one-file edit: applies itself to the tree and says what it did, or returns null when the tree has nothing it applies to. */
export type TreeEdit = (ctx: EditContext) => string | null;

export const pick = <T>(random: () => number, list: readonly T[]): T | undefined => (list.length ? list[Math.floor(random() * list.length)] : undefined);

let clock = Math.floor(Date.now() / 1000);

/** Writes a file with a fresh mtime, seconds apart from any earlier write, so that the cache sees it changed even when its size did not. */
export function write(root: string, path: string, text: string): void {
  const file = join(root, path);
  writeFileSync(file, text);
  clock += 2;
  utimesSync(file, clock, clock);
}

export const lines = (root: string, path: string): string[] => readFileSync(join(root, path), 'utf8').split('\n');

/** Functions written in the file as they stand (not made by a definer macro), with their file. */
export function writtenFunctions(facts: FileFacts[]): { file: FileFacts; name: string; line: number; endLine: number }[] {
  const out: { file: FileFacts; name: string; line: number; endLine: number }[] = [];
  for (const file of facts) {
    if (file.unreadable !== undefined) continue;
    for (const fn of file.functions) if (!fn.definer && !fn.expanded && fn.endLine > fn.line) out.push({ file, name: fn.name, line: fn.line, endLine: fn.endLine });
  }
  return out;
}

/**
 * True for a function whose edges are its own: no binding stands in it, each of its calls is by
 * name and passes no name, and no fact of the tree names it but its definition and calls of it
 * (so nothing binds it through a pointer).
 */
function plainFunction(facts: FileFacts[], file: FileFacts, name: string): boolean {
  const fn = file.functions.find((f) => f.name === name)!;
  if (file.bindings.some((b) => b.inFunction === name)) return false;
  if (!fn.calls.every((c) => c.name !== undefined && !c.hints && c.args.every((a) => a === null) && !c.refs?.some(Boolean) && !c.argMembers?.length)) return false;
  const word = new RegExp(`\\b${name}\\b`);
  const strip = (key: string, value: unknown): unknown => (key === 'name' || key === 'signature' ? undefined : value);
  return facts.every((f) => !word.test(JSON.stringify({ ...f, functions: f.functions.map((g) => ({ ...g, calls: g.calls.map((c) => ({ ...c, name: undefined })) })) }, strip)));
}

/** Names of the functions a file may call: its own and every global one (a static function of another file is no visible definition), in a stable order. */
export const visibleFrom = (facts: FileFacts[], file: FileFacts): string[] => [...new Set(facts.flatMap((f) => f.functions.filter((g) => !g.isStatic || f === file).map((g) => g.name)))].sort();

/** Names of functions the tree defines, in a stable order. */
const functionNames = (facts: FileFacts[]): string[] => [...new Set(facts.flatMap((f) => f.functions.map((fn) => fn.name)))].sort();

/** Names of the global (not static) functions the tree defines, in a stable order. */
const globalFunctionNames = (facts: FileFacts[]): string[] => [...new Set(facts.flatMap((f) => f.functions.filter((fn) => !fn.isStatic).map((fn) => fn.name)))].sort();

export const sources = (facts: FileFacts[], ext: string): FileFacts[] => facts.filter((f) => f.unreadable === undefined && f.path.endsWith(ext));

/** A call added before the closing brace of a body: to a function of the tree, or (`nowhere`) to a name defined nowhere. */
const callAdded =
  (nowhere: boolean): TreeEdit =>
  ({ root, facts, random, serial }) => {
    const fns = writtenFunctions(facts).filter((f) => lines(root, f.file.path)[f.endLine - 1]?.trim().startsWith('}'));
    const fn = pick(random, fns);
    if (!fn) return null;
    const callee = nowhere ? `pf_nowhere_${serial}` : pick(random, visibleFrom(facts, fn.file));
    if (!callee) return null;
    const text = lines(root, fn.file.path);
    text.splice(fn.endLine - 1, 0, `\t${callee}(0);`);
    write(root, fn.file.path, text.join('\n'));
    return `body: ${fn.file.path}: ${fn.name} calls ${callee}`;
  };
export const bodyEdit = callAdded(false);
export const bodyCallsNowhere = callAdded(true);

/** A new function after an existing one, calling a function of the tree; sometimes the existing one calls it. */
export const functionAdded: TreeEdit = ({ root, facts, random, serial, plain }) => {
  const fn = pick(random, writtenFunctions(facts));
  if (!fn) return null;
  const callee = pick(random, visibleFrom(facts, fn.file))!;
  const name = `pf_added_${serial}`;
  const text = lines(root, fn.file.path);
  const called = random() < 0.5 && text[fn.endLine - 1]?.trim().startsWith('}');
  text.splice(fn.endLine, 0, '', `static int ${name}(int a)`, '{', `\treturn ${callee}(${plain ? 0 : 'a'});`, '}');
  if (called) text.splice(fn.endLine - 1, 0, `\t${name}(0);`);
  write(root, fn.file.path, text.join('\n'));
  return `function added: ${fn.file.path}: ${name} calling ${callee}${called ? `, called by ${fn.name}` : ''}`;
};

/** The lines of an existing function taken out. */
export const functionRemoved: TreeEdit = ({ root, facts, random, plain }) => {
  const fn = pick(random, writtenFunctions(facts).filter((f) => !plain || plainFunction(facts, f.file, f.name)));
  if (!fn) return null;
  const text = lines(root, fn.file.path);
  text.splice(fn.line - 1, fn.endLine - fn.line + 1);
  write(root, fn.file.path, text.join('\n'));
  return `function removed: ${fn.file.path}: ${fn.name}`;
};

/** An existing function's name changed where it is defined only (its callers now call a name defined nowhere, or elsewhere). */
export const functionRenamed: TreeEdit = ({ root, facts, random, serial, plain }) => {
  const fns = writtenFunctions(facts).filter((f) => new RegExp(`\\b${f.name}\\b`).test(lines(root, f.file.path)[f.line - 1] ?? '') && (!plain || plainFunction(facts, f.file, f.name)));
  const fn = pick(random, fns);
  if (!fn) return null;
  const text = lines(root, fn.file.path);
  text[fn.line - 1] = text[fn.line - 1]!.replace(new RegExp(`\\b${fn.name}\\b`), `${fn.name}_pf${serial}`);
  write(root, fn.file.path, text.join('\n'));
  return `function renamed: ${fn.file.path}: ${fn.name} -> ${fn.name}_pf${serial}`;
};

/** Lines of the tree's files matching `pattern` whose group `group` names a function of the tree. */
function linesNaming(root: string, facts: FileFacts[], pattern: RegExp, group: number): { path: string; at: number; match: RegExpMatchArray }[] {
  const names = new Set(functionNames(facts));
  const out: { path: string; at: number; match: RegExpMatchArray }[] = [];
  for (const f of facts) {
    if (f.unreadable !== undefined) continue;
    lines(root, f.path).forEach((l, at) => {
      const match = l.match(pattern);
      if (match && names.has(match[group]!)) out.push({ path: f.path, at, match });
    });
  }
  return out;
}

/** Swaps the function named at group `group` of a matching line for another function of the tree. */
function swapFunction(kind: string, pattern: RegExp, group: number): LineEdit {
  return ({ root, facts, random }) => {
    const hit = pick(random, linesNaming(root, facts, pattern, group));
    if (!hit) return null;
    const old = hit.match[group]!;
    const other = pick(random, functionNames(facts).filter((n) => n !== old))!;
    const text = lines(root, hit.path);
    text[hit.at] = text[hit.at]!.replace(new RegExp(`\\b${old}\\b`), other);
    write(root, hit.path, text.join('\n'));
    return { path: hit.path, what: `${kind}: ${hit.path}:${hit.at + 1} ${old} -> ${other}` };
  };
}

/** A designated initializer `.op = f` now names another function. */
const initializerSwap = swapFunction('initializer', /^\s*\.(\w+)\s*=\s*&?(\w+)\s*,?\s*$/, 2);
export const initializerChanged = asTreeEdit(initializerSwap);
/** An assignment `x->op = f;` now stores another function. */
const assignmentSwap = swapFunction('assignment', /(->|\.)\w+\s*=\s*&?(\w+)\s*;/, 2);
export const assignmentChanged = asTreeEdit(assignmentSwap);

/** Designated initializers `.op = f,` that name a function of the tree (group 1 the member, group 2 the function). */
const INITIALIZER = /^\s*\.(\w+)\s*=\s*&?(\w+)\s*,?\s*$/;
/** Member assignments `x->op = f;` that store a function of the tree (group 2 the function). */
const ASSIGNMENT = /(->|\.)\w+\s*=\s*&?(\w+)\s*;/;

/** An edit of one line of a file that names a function, with the file it edited (for combined edits). */
type LineEdit = (ctx: EditContext) => { path: string; what: string } | null;

function asTreeEdit(edit: LineEdit): TreeEdit {
  return (ctx) => edit(ctx)?.what ?? null;
}

/** The line of a matching line taken out: an initializer member or an assignment removed. */
function lineRemoved(kind: string, pattern: RegExp, group: number): LineEdit {
  return ({ root, facts, random }) => {
    const hit = pick(random, linesNaming(root, facts, pattern, group));
    if (!hit) return null;
    const text = lines(root, hit.path);
    text.splice(hit.at, 1);
    write(root, hit.path, text.join('\n'));
    return { path: hit.path, what: `${kind} removed: ${hit.path}:${hit.at + 1} ${hit.match[group]}` };
  };
}

/** A second assignment of the same member after an existing one, storing another function of the tree. */
const assignmentAddedEdit: LineEdit = ({ root, facts, random }) => {
  const hit = pick(random, linesNaming(root, facts, ASSIGNMENT, 2));
  if (!hit) return null;
  const old = hit.match[2]!;
  const other = pick(random, visibleFrom(facts, facts.find((f) => f.path === hit.path)!).filter((n) => n !== old));
  if (!other) return null;
  const text = lines(root, hit.path);
  text.splice(hit.at + 1, 0, text[hit.at]!.replace(new RegExp(`\\b${old}\\b`), other));
  write(root, hit.path, text.join('\n'));
  return { path: hit.path, what: `assignment added: ${hit.path}:${hit.at + 2} stores ${other}` };
};

/**
 * A member not yet initialized added to a designated initializer, after one of its members: a
 * function-pointer member of the same struct, naming a function of the tree.
 */
const initializerAddedEdit: LineEdit = ({ root, facts, random }) => {
  const structs = new Map<string, string[]>();
  for (const f of facts) for (const s of f.structs) if (!structs.has(s.name)) structs.set(s.name, s.fields.filter((x) => x.fnptr).map((x) => x.name));
  const hits: { file: FileFacts; at: number; member: string }[] = [];
  for (const file of facts) {
    if (file.unreadable !== undefined) continue;
    const text = lines(root, file.path);
    for (const b of file.bindings) {
      if (b.how !== 'init' || b.root.k !== 'type' || b.path.length !== 1 || !b.variable || !INITIALIZER.test(text[b.line - 1] ?? '') || !text[b.line - 1]!.trim().endsWith(',')) continue;
      const given = new Set(file.bindings.filter((x) => x.variable === b.variable).map((x) => x.path[0]));
      for (const member of structs.get(b.root.name) ?? []) if (!given.has(member)) hits.push({ file, at: b.line, member });
    }
  }
  const hit = pick(random, hits);
  if (!hit) return null;
  const fn = pick(random, visibleFrom(facts, hit.file))!;
  const text = lines(root, hit.file.path);
  text.splice(hit.at, 0, `\t.${hit.member}\t= ${fn},`);
  write(root, hit.file.path, text.join('\n'));
  return { path: hit.file.path, what: `initializer added: ${hit.file.path}:${hit.at + 1} .${hit.member} = ${fn}` };
};

/** A call of a function of the tree added before a closing brace of a body in `path` (a line that is `}` alone). */
export function callAddedIn(root: string, facts: FileFacts[], random: () => number, path: string): string | null {
  const text = lines(root, path);
  const ends = text.flatMap((l, at) => (l === '}' ? [at] : []));
  const at = pick(random, ends);
  const file = facts.find((f) => f.path === path);
  const callee = file ? pick(random, visibleFrom(facts, file)) : undefined;
  if (at === undefined || !callee) return null;
  text.splice(at, 0, `\t${callee}(0);`);
  write(root, path, text.join('\n'));
  return `, and a call of ${callee} at ${path}:${at + 1}`;
}

/** An edit of a binding line, then a body edit in the same file (a call added). */
const withBodyEdit =
  (edit: LineEdit): TreeEdit =>
  (ctx) => {
    const done = edit(ctx);
    if (!done) return null;
    return done.what + (callAddedIn(ctx.root, ctx.facts, ctx.random, done.path) ?? '');
  };

/** A designated initializer member taken out. */
export const initializerRemoved = asTreeEdit(lineRemoved('initializer', INITIALIZER, 2));
/** A member assignment taken out. */
export const assignmentRemoved = asTreeEdit(lineRemoved('assignment', ASSIGNMENT, 2));
/** A member assignment added beside another of the same member. */
export const assignmentAdded = asTreeEdit(assignmentAddedEdit);
/** A member added to a designated initializer. */
export const initializerAdded = asTreeEdit(initializerAddedEdit);

/** A function-pointer member inserted first (or, `last`, appended last) in a struct of a file with `ext` (first: positional initializers shift). */
function memberAdded(ext: string, last = false): TreeEdit {
  return ({ root, facts, random, serial }) => {
    const hits: { path: string; at: number }[] = [];
    for (const f of sources(facts, ext)) {
      const text = lines(root, f.path);
      text.forEach((l, at) => /^struct\s+\w+\s*\{\s*$/.test(l) && hits.push({ path: f.path, at: last ? text.findIndex((m, j) => j > at && /^\};/.test(m)) - 1 : at }));
    }
    const hit = pick(random, hits.filter((h) => h.at >= 0));
    if (!hit) return null;
    const text = lines(root, hit.path);
    text.splice(hit.at + 1, 0, `\tvoid (*pf_member_${serial})(int);`);
    write(root, hit.path, text.join('\n'));
    return `struct members (${ext}${last ? ', last' : ''}): ${hit.path}:${hit.at + 1}`;
  };
}
export const structChanged = memberAdded('.c');
export const headerStruct = memberAdded('.h');
/** A function-pointer member appended last in a struct (positional initializers keep their members). */
export const memberAppended: TreeEdit = (ctx) => memberAdded(ctx.random() < 0.5 ? '.c' : '.h', true)(ctx);

/** A `typedef struct A B;` made to name another struct of the tree. */
export const typedefRetargeted: TreeEdit = ({ root, facts, random }) => {
  const structs = [...new Set(facts.flatMap((f) => f.structs.map((s) => s.name)).filter((n) => n.startsWith('struct ') && !n.includes('<anon')))].sort();
  const hits: { path: string; at: number }[] = [];
  for (const f of [...sources(facts, '.c'), ...sources(facts, '.h')]) lines(root, f.path).forEach((l, at) => /^typedef\s+struct\s+\w+\s+\**\w+;/.test(l) && hits.push({ path: f.path, at }));
  const hit = pick(random, hits);
  const other = pick(random, structs);
  if (!hit || !other) return null;
  const text = lines(root, hit.path);
  text[hit.at] = text[hit.at]!.replace(/^typedef\s+struct\s+\w+/, `typedef ${other}`);
  write(root, hit.path, text.join('\n'));
  return `typedef retargeted: ${hit.path}:${hit.at + 1} to ${other}`;
};

/**
 * A new .c file beside an existing one, with its includes, a function calling one of the tree and
 * (but plain) an ops initializer when the tree has a struct with a function-pointer member, and
 * half the time a file-scope variable that the function passes by name.
 */
export const fileAdded: TreeEdit = ({ root, facts, random, serial, plain }) => {
  const near = pick(random, sources(facts, '.c'));
  if (!near) return null;
  const includes = lines(root, near.path).filter((l) => l.startsWith('#include'));
  // Plain: a global function is called (a static one of another file is no visible definition), with no argument, and no initializer binds the new function.
  const callee = pick(random, plain ? globalFunctionNames(facts) : functionNames(facts))!;
  const structs = facts.flatMap((f) => f.structs.filter((s) => !s.name.includes('<anon') && s.fields.some((fl) => fl.fnptr)));
  const st = plain ? undefined : pick(random, structs);
  const member = st?.fields.find((fl) => fl.fnptr)?.name;
  // But plain, half the time a file-scope variable of its own is the argument (a new driver's file passes its statics by name).
  const own = !plain && random() < 0.5 ? `pf_state_${serial}` : null;
  const arg = plain ? '0' : (own ?? 'a');
  const body = [...includes, '', ...(own ? [`static int ${own}[4];`, ''] : []), `int pf_file_${serial}(int a)`, '{', `\treturn ${callee}(${arg});`, '}', ...(st && member ? ['', `static ${/^(struct|union) /.test(st.name) ? st.name : `struct ${st.name}`} pf_ops_${serial} = {`, `\t.${member} = pf_file_${serial},`, '};'] : []), ''];
  const path = join(dirname(near.path), `pf_added_${serial}.c`);
  write(root, path, body.join('\n'));
  return `file added: ${path} calling ${callee}${st ? ` in ${st.name}.${member}` : ''}`;
};

/**
 * A file whose deletion a patch must handle (plain): only plain functions (plainFunction),
 * file-scope variables and #include lines; no macro, type, prototype, binding or registration.
 */
function plainFile(facts: FileFacts[], f: FileFacts): boolean {
  const none = [f.macros, f.structs, f.typedefs, f.prototypes, f.bindings, f.registrations ?? [], f.invocations ?? [], f.defines ?? [], f.fieldAliases, f.aliasMacros ?? []].every((l) => l.length === 0);
  return none && f.functions.every((fn) => plainFunction(facts, f, fn.name));
}

/** A .c file deleted (plain: one plainFile allows). */
export const fileDeleted: TreeEdit = ({ root, facts, random, plain }) => {
  const f = pick(random, sources(facts, '.c').filter((s) => !plain || plainFile(facts, s)));
  if (!f || !existsSync(join(root, f.path))) return null;
  rmSync(join(root, f.path));
  return `file deleted: ${f.path}`;
};

/** A header's function-like macro now expands to a call of another function, or a new one is appended. */
export const headerMacro: TreeEdit = ({ root, facts, random, serial }) => {
  const headers = sources(facts, '.h');
  const h = pick(random, headers);
  if (!h) return null;
  const callee = pick(random, functionNames(facts)) ?? 'pf_nowhere';
  const text = lines(root, h.path);
  const defs = text.map((l, at) => ({ l, at })).filter(({ l }) => /^#define\s+\w+\([^)]*\)\s+\S/.test(l) && !l.endsWith('\\'));
  const def = pick(random, defs);
  if (def && random() < 0.6) {
    text[def.at] = def.l.replace(/^(#define\s+\w+\(([^)]*)\))\s+.*$/, (_, head: string, params: string) => `${head} ${callee}(${params.split(',')[0]!.trim() || '0'})`);
    write(root, h.path, text.join('\n'));
    return `header macro changed: ${h.path}:${def.at + 1} now calls ${callee}`;
  }
  write(root, h.path, `${text.join('\n')}\n#define PF_MACRO_${serial}(x) ${callee}(x)\n`);
  return `header macro added: ${h.path} calls ${callee}`;
};

/** A prototype appended to a header: of a function the tree defines, or of a new name. */
export const headerPrototype: TreeEdit = ({ root, facts, random, serial }) => {
  const h = pick(random, sources(facts, '.h'));
  if (!h) return null;
  const name = random() < 0.5 ? (pick(random, functionNames(facts)) ?? `pf_proto_${serial}`) : `pf_proto_${serial}`;
  write(root, h.path, `${readFileSync(join(root, h.path), 'utf8')}\nint ${name}(void *pf, int n);\n`);
  return `header prototype: ${h.path}: ${name}`;
};

/** Every kind of edit the harness applies, by name. */
export const EDIT_KINDS: Record<string, TreeEdit> = {
  body: bodyEdit,
  'call of a name defined nowhere': bodyCallsNowhere,
  'function added': functionAdded,
  'function removed': functionRemoved,
  'function renamed': functionRenamed,
  initializer: initializerChanged,
  assignment: assignmentChanged,
  'initializer added': initializerAdded,
  'initializer removed': initializerRemoved,
  'assignment added': assignmentAdded,
  'assignment removed': assignmentRemoved,
  'initializer and body': withBodyEdit(initializerSwap),
  'initializer added and body': withBodyEdit(initializerAddedEdit),
  'initializer removed and body': withBodyEdit(lineRemoved('initializer', INITIALIZER, 2)),
  'assignment and body': withBodyEdit(assignmentSwap),
  'assignment added and body': withBodyEdit(assignmentAddedEdit),
  'assignment removed and body': withBodyEdit(lineRemoved('assignment', ASSIGNMENT, 2)),
  'struct members': structChanged,
  'file added': fileAdded,
  'file deleted': fileDeleted,
  'plain file added': (ctx) => fileAdded({ ...ctx, plain: true }),
  'plain file deleted': (ctx) => fileDeleted({ ...ctx, plain: true }),
  'header macro': headerMacro,
  'header prototype': headerPrototype,
  'header struct': headerStruct,
  'struct member appended': memberAppended,
  'typedef retargeted': typedefRetargeted,
  ...PASS_ON_EDITS,
  ...TAIL_EDITS,
  ...INCLUDE_EDITS,
  ...HAND_OFF_EDITS,
  ...IFDEF_EDITS,
  ...MEMBER_CALL_EDITS,
  ...MOVE_EDITS,
};
