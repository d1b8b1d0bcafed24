import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileFacts } from '../../src/index.js';
import { linuxProfile } from '../../src/profiles/linux.js';
import { type EditContext, lines, pick, type TreeEdit, visibleFrom, write, writtenFunctions } from './tree-edits.js';

/**
 * Edits that add a function passing its own parameter on into a parameter the tree's functions
 * call (a function or macro whose body calls its parameter: CallFact.param), so that the new
 * parameter is followed too (EdgeList.paramUses); in a new file or after a function of an
 * existing one. Not plain: sometimes an existing function calls the new one (global then),
 * passing nothing, or passing a function by name (which a patch leaves to a full resolution).
 */

/** The indirect-call wrappers of the profile (INDIRECT_CALL_1 and kin): a call of one is a call through a pointer, not by name. */
const WRAPPERS = new Set(linuxProfile.indirectCalls.map((w) => w.name));

/** Functions and macros of the tree that call a parameter (not the indirect-call wrappers), with that parameter's position and their parameter count. */
function callersOfParams(facts: FileFacts[]): { file: FileFacts; name: string; param: number; count: number }[] {
  const out: { file: FileFacts; name: string; param: number; count: number }[] = [];
  for (const file of facts) {
    if (file.unreadable !== undefined) continue;
    for (const fn of file.functions) for (const c of fn.calls) if (c.param !== undefined) out.push({ file, name: fn.name, param: c.param, count: fn.params.length });
    for (const m of file.macros) for (const c of m.calls) if (c.param !== undefined && !WRAPPERS.has(m.name)) out.push({ file, name: m.name, param: c.param, count: m.params.length });
  }
  return out;
}

/** A function `name` passing its parameter `fn` at position `param` of a call of `callee` (other arguments 0). */
function passOnFunction(name: string, isStatic: boolean, callee: string, param: number, count: number): string[] {
  const args = Array.from({ length: Math.max(count, param + 1) }, (_, i) => (i === param ? 'fn' : '0'));
  return [`${isStatic ? 'static ' : ''}void ${name}(void *fn)`, '{', `\t${callee}(${args.join(', ')});`, '}'];
}

/** The edit: in a new file (`inFile`) or in an existing one, with (not plain) a call of the new function sometimes added to an existing body. */
const passOnAdded =
  (inFile: boolean): TreeEdit =>
  ({ root, facts, random, serial, plain }: EditContext) => {
    const user = pick(random, callersOfParams(facts));
    if (!user) return null;
    const name = `pf_pass_${serial}`;
    const caller = plain ? undefined : random() < 0.4 ? pick(random, writtenFunctions(facts).filter((f) => lines(root, f.file.path)[f.endLine - 1]?.trim().startsWith('}'))) : undefined;
    const isStatic = !caller && random() < 0.5;
    const fn = passOnFunction(name, isStatic, user.name, user.param, user.count);
    let where: string;
    /** Lines added above the caller's closing brace (the new function, when written before it in the caller's file). */
    let shift = 0;
    if (inFile) {
      const includes = lines(root, user.file.path).filter((l) => l.startsWith('#include'));
      where = join(dirname(user.file.path), `pf_pass_${serial}.c`);
      write(root, where, [...includes, '', ...fn, ''].join('\n'));
    } else {
      const host = pick(random, writtenFunctions(facts).filter((f) => f.file.path.endsWith('.c')));
      if (!host) return null;
      where = host.file.path;
      const text = lines(root, where);
      text.splice(host.endLine, 0, '', ...fn);
      write(root, where, text.join('\n'));
      if (caller && caller.file.path === where && host.endLine < caller.endLine) shift = fn.length + 1;
    }
    let also = '';
    if (caller) {
      // Passing a function by name, or nothing: a function of the caller's file or a global one.
      const passed = random() < 0.5 ? pick(random, visibleFrom(facts, caller.file)) : undefined;
      const text = lines(root, caller.file.path);
      text.splice(caller.endLine - 1 + shift, 0, `\t${name}(${passed ?? 0});`);
      write(root, caller.file.path, text.join('\n'));
      also = `, called by ${caller.name}${passed ? ` passing ${passed}` : ''}`;
    }
    return `parameter passed on: ${where}: ${name} passes its parameter to ${user.name} (argument ${user.param + 1})${also}`;
  };

/** Texts of the files `fileSetAside` deleted, by tree root: what `fileRestored` writes back. */
const setAside = new Map<string, Map<string, string>>();

/** A .c file deleted, its text kept for `fileRestored`. */
const fileSetAside: TreeEdit = ({ root, facts, random }) => {
  const f = pick(random, facts.filter((s) => s.unreadable === undefined && s.path.endsWith('.c')));
  if (!f || !existsSync(join(root, f.path))) return null;
  if (!setAside.has(root)) setAside.set(root, new Map());
  setAside.get(root)!.set(f.path, readFileSync(join(root, f.path), 'utf8'));
  rmSync(join(root, f.path));
  return `file set aside: ${f.path}`;
};

/** A file `fileSetAside` deleted written back as it was (the same path, after its deletion was patched); with none set aside, one is set aside. */
const fileRestored: TreeEdit = (ctx) => {
  const { root, random } = ctx;
  const files = setAside.get(root);
  const path = pick(random, [...(files?.keys() ?? [])].sort());
  if (!path) return fileSetAside(ctx);
  write(root, path, files!.get(path)!);
  files!.delete(path);
  return `file restored: ${path}`;
};

/** The edits, by name (merged into EDIT_KINDS). */
export const PASS_ON_EDITS: Record<string, TreeEdit> = {
  'function passing its parameter on added': passOnAdded(false),
  'file passing a parameter on added': passOnAdded(true),
  'file set aside': fileSetAside,
  'file restored': fileRestored,
};
