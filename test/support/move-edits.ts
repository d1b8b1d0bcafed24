import { type EditContext, lines, pick, type TreeEdit, write } from './tree-edits.js';

/**
 * Edits a kernel developer makes all day that change no call: a function put in another place in
 * its file (above its first caller, to drop a forward declaration), and a store into a local
 * variable added to a body (`len = skb->len;`), which the parser reads as a pointer store.
 */

/** A function written whole in a .c file (not by a definer macro, not on one line): its file and its first and last lines (1-based), a comment block just above it included. */
interface Span {
  path: string;
  name: string;
  first: number;
  last: number;
}

/** The written functions of each .c file, in source order, each span ending with its closing brace alone on a line. */
function spans({ root, facts }: EditContext): Map<string, Span[]> {
  const out = new Map<string, Span[]>();
  for (const file of facts) {
    if (file.unreadable !== undefined || !file.path.endsWith('.c')) continue;
    const text = lines(root, file.path);
    const list: Span[] = [];
    for (const fn of file.functions) {
      if (fn.definer || fn.expanded || fn.endLine <= fn.line || text[fn.endLine - 1] !== '}') continue;
      // The head's lines above the name (a return type on a line of its own) and a comment right above.
      let first = fn.line;
      while (first > 1 && text[first - 2]!.trim() !== '' && !text[first - 2]!.startsWith('}') && !text[first - 2]!.startsWith('#') && !text[first - 2]!.endsWith(';')) first--;
      list.push({ path: file.path, name: fn.name, first, last: fn.endLine });
    }
    // Spans that overlap (two definitions on shared lines) are left out.
    const whole = list.filter((s, i) => (i === 0 || list[i - 1]!.last < s.first) && (i === list.length - 1 || s.last < list[i + 1]!.first));
    if (whole.length > 1) out.set(file.path, whole);
  }
  return out;
}

/** A function cut from its place and put before another function of its file, a blank line after it. */
export const functionMoved: TreeEdit = (ctx) => {
  const files = [...spans(ctx).values()];
  const list = pick(ctx.random, files);
  if (!list) return null;
  const from = Math.floor(ctx.random() * list.length);
  const to = pick(ctx.random, list.filter((_, i) => i !== from && i !== from + 1))!;
  if (!to) return null;
  const moved = list[from]!;
  const text = lines(ctx.root, moved.path);
  const block = text.slice(moved.first - 1, moved.last);
  // Cut with the blank line after it, then insert before the target (whose lines shift when it came after).
  const cut = text[moved.last]?.trim() === '' ? moved.last - moved.first + 2 : moved.last - moved.first + 1;
  text.splice(moved.first - 1, cut);
  const at = to.first > moved.first ? to.first - 1 - cut : to.first - 1;
  text.splice(at, 0, ...block, '');
  write(ctx.root, moved.path, text.join('\n'));
  return `function moved: ${moved.path}: ${moved.name} put before ${to.name}`;
};

/** A local of a typedef'd integer type declared at the head of a body and stored into: from a macro name, or from a member of a struct parameter. */
export const localStoreAdded: TreeEdit = (ctx) => {
  const hits = [...spans(ctx).values()].flat();
  const hit = pick(ctx.random, hits);
  if (!hit) return null;
  const fn = ctx.facts.find((f) => f.path === hit.path)!.functions.find((f) => f.name === hit.name)!;
  const text = lines(ctx.root, hit.path);
  const open = text.findIndex((l, i) => i >= fn.line - 1 && l === '{');
  if (open < 0 || open >= hit.last - 1) return null;
  const pointer = fn.params.find((p) => p.name && /^struct\s/.test(p.type));
  const local = `pathfind_local${ctx.serial}`;
  const value = pointer && ctx.random() < 0.5 ? `${pointer.name}->pathfind_count` : `PATHFIND_LIMIT${ctx.serial}`;
  text.splice(open + 1, 0, `\tu32 ${local};`, `\t${local} = ${value};`);
  write(ctx.root, hit.path, text.join('\n'));
  return `local store added: ${hit.path}: ${hit.name} sets ${local} = ${value}`;
};

/** A parameter stored into a member of another, struct, parameter at the head of a body (`dev->mtu = new_mtu;`): inert when the parameter holds no function. */
export const paramStoreAdded: TreeEdit = (ctx) => {
  const hits = [...spans(ctx).values()].flat().flatMap((hit) => {
    const fn = ctx.facts.find((f) => f.path === hit.path)!.functions.find((f) => f.name === hit.name)!;
    const holder = fn.params.find((p) => p.name && /^struct\s/.test(p.type));
    const value = fn.params.find((p) => p.name && p !== holder);
    return holder && value ? [{ hit, fn, holder: holder.name, value: value.name }] : [];
  });
  const pick1 = pick(ctx.random, hits);
  if (!pick1) return null;
  const text = lines(ctx.root, pick1.hit.path);
  const open = text.findIndex((l, i) => i >= pick1.fn.line - 1 && l === '{');
  if (open < 0 || open >= pick1.hit.last - 1) return null;
  text.splice(open + 1, 0, `\t${pick1.holder}->pathfind_member${ctx.serial} = ${pick1.value};`);
  write(ctx.root, pick1.hit.path, text.join('\n'));
  return `parameter store added: ${pick1.hit.path}: ${pick1.hit.name} stores ${pick1.value} into ${pick1.holder}`;
};

/**
 * A call added at the head of a body that passes a new local into a function storing that
 * parameter into a member (`kfree(obj)` in a kernel: its parameter is followed): the local is
 * filled by a call's result, stored into by nothing, or (a third of the time) loaded from a member
 * of a struct parameter, which holds what that member holds. Other arguments are 0.
 */
export const localPassedToStore: TreeEdit = (ctx) => {
  const storers = ctx.facts.flatMap((f) => f.bindings.filter((b) => b.param !== undefined && b.inFunction).map((b) => ({ fn: b.inFunction!, param: b.param! })));
  const storer = pick(ctx.random, storers);
  const hit = pick(ctx.random, [...spans(ctx).values()].flat());
  if (!storer || !hit) return null;
  const fn = ctx.facts.find((f) => f.path === hit.path)!.functions.find((f) => f.name === hit.name)!;
  const text = lines(ctx.root, hit.path);
  const open = text.findIndex((l, i) => i >= fn.line - 1 && l === '{');
  if (open < 0 || open >= hit.last - 1) return null;
  const local = `pathfind_obj${ctx.serial}`;
  const holder = fn.params.find((p) => p.name && /^struct\s/.test(p.type));
  const way = Math.floor(ctx.random() * 3);
  const fill = way === 0 ? [`\t${local} = pathfind_alloc${ctx.serial}(0);`] : way === 1 && holder ? [`\t${local} = ${holder.name}->pathfind_slot;`] : [];
  const args = Array.from({ length: storer.param + 1 }, (_, i) => (i === storer.param ? local : '0'));
  text.splice(open + 1, 0, `\tvoid *${local};`, ...fill, `\t${storer.fn}(${args.join(', ')});`);
  write(ctx.root, hit.path, text.join('\n'));
  return `local passed to a store: ${hit.path}: ${hit.name} passes ${local} (${fill.length ? fill[0]!.trim() : 'no store'}) to ${storer.fn}`;
};

/**
 * A file-scope variable of a file's own put above one of its functions, that function's body
 * using it: a counter it increments (always, when plain), a counter it passes by name to a
 * function defined nowhere, a pointer to a struct of the tree with a function-pointer member that
 * it calls through (its type read: resolved in full), or an ops table of that struct binding a
 * function of the tree, which nothing calls through.
 */
export const variableAdded: TreeEdit = (ctx) => {
  const hit = pick(ctx.random, [...spans(ctx).values()].flat());
  if (!hit) return null;
  const fn = ctx.facts.find((f) => f.path === hit.path)!.functions.find((f) => f.name === hit.name)!;
  const text = lines(ctx.root, hit.path);
  const open = text.findIndex((l, i) => i >= fn.line - 1 && l === '{');
  if (open < 0 || open >= hit.last - 1) return null;
  const structs = ctx.facts.flatMap((f) => f.structs.filter((st) => !st.name.includes('<anon') && st.fields.some((fl) => fl.fnptr)));
  const st = pick(ctx.random, structs);
  const type = st && (/^(struct|union) /.test(st.name) ? st.name : `struct ${st.name}`);
  const member = st?.fields.find((fl) => fl.fnptr)?.name;
  const target = pick(ctx.random, ctx.facts.flatMap((f) => f.functions.filter((g) => !g.isStatic).map((g) => g.name)));
  const way = ctx.plain || !st || !member || !target ? 0 : Math.floor(ctx.random() * 4);
  const name = `pathfind_${['count', 'count', 'ops', 'table'][way]}${ctx.serial}`;
  const [decl, use] = [
    [`static int ${name};`, `\t${name}++;`],
    [`static int ${name};`, `\tpathfind_log${ctx.serial}(${name});`],
    [`static ${type} *${name};`, `\t${name}->${member}(0);`],
    [`static ${type} ${name} = {\n\t.${member} = ${target},\n};`, null],
  ][way]!;
  if (use) text.splice(open + 1, 0, use);
  text.splice(hit.first - 1, 0, decl!, '');
  write(ctx.root, hit.path, text.join('\n'));
  return `variable added: ${hit.path}: ${decl!.replace(/\n\t?/g, ' ')} above ${hit.name}${use ? `, which has ${use.trim()}` : ''}`;
};

/** A variable variableAdded put in, taken out with every line naming it (a table's lines through its `};`). */
export const variableRemoved: TreeEdit = (ctx) => {
  const hits = sourcesWith(ctx, /\bpathfind_(count|ops|table)\d+\b/g);
  const hit = pick(ctx.random, hits);
  if (!hit) return null;
  const text = lines(ctx.root, hit.path);
  const out: string[] = [];
  let inTable = false;
  for (const l of text) {
    if (inTable) {
      inTable = l !== '};';
      continue;
    }
    if (!new RegExp(`\\b${hit.name}\\b`).test(l)) out.push(l);
    else inTable = l.endsWith('= {');
  }
  write(ctx.root, hit.path, out.join('\n'));
  return `variable removed: ${hit.path}: ${hit.name}`;
};

/** The registration macros registrationAdded writes (Linux's: include/linux/init.h, module.h). */
const REGISTERING = ['module_init', 'core_initcall', 'subsys_initcall', 'late_initcall'];

/**
 * A function registered below its body: by a registration macro (`late_initcall(fn);`: the
 * dispatcher, when the tree has one, then calls it), or stored into a file-scope variable nothing
 * else reads (`static initcall_t pathfind_keep3 = fn;`, as module_exit's expansion stores the exit
 * function): either takes its address.
 */
export const registrationAdded: TreeEdit = (ctx) => {
  const hit = pick(ctx.random, [...spans(ctx).values()].flat());
  if (!hit) return null;
  const text = lines(ctx.root, hit.path);
  const way = Math.floor(ctx.random() * (REGISTERING.length + 1));
  const line = way < REGISTERING.length ? `${REGISTERING[way]}(${hit.name});` : `static initcall_t pathfind_keep${ctx.serial} = ${hit.name};`;
  text.splice(hit.last, 0, '', line);
  write(ctx.root, hit.path, text.join('\n'));
  return `registration added: ${hit.path}: ${line} below ${hit.name}`;
};

/** A line registrationAdded put in (or the tree's own registration), taken out. */
export const registrationRemoved: TreeEdit = (ctx) => {
  const hit = pick(ctx.random, sourcesWith(ctx, new RegExp(`^(?:(?:${REGISTERING.join('|')}|fs_initcall)\\(\\w+\\)|static initcall_t pathfind_keep\\d+ = \\w+);$`, 'gm')));
  if (!hit) return null;
  write(ctx.root, hit.path, lines(ctx.root, hit.path).filter((l) => l !== hit.name).join('\n'));
  return `registration removed: ${hit.path}: ${hit.name}`;
};

/** The names matching `pattern` in each .c file of the tree, with their file. */
function sourcesWith(ctx: EditContext, pattern: RegExp): { path: string; name: string }[] {
  return ctx.facts.filter((f) => f.path.endsWith('.c') && f.unreadable === undefined).flatMap((f) => [...new Set(lines(ctx.root, f.path).join('\n').match(pattern) ?? [])].map((name) => ({ path: f.path, name })));
}

export const MOVE_EDITS: Record<string, TreeEdit> = {
  'variable added': variableAdded,
  'variable removed': variableRemoved,
  'registration added': registrationAdded,
  'registration removed': registrationRemoved,
  'local passed to a store': localPassedToStore,
  'function moved': functionMoved,
  'local store added': localStoreAdded,
  'parameter store added': paramStoreAdded,
};
