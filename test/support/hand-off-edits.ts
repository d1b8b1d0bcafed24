import { linuxProfile } from '../../src/profiles/linux.js';
import { type EditContext, lines, pick, sources, type TreeEdit, visibleFrom, write } from './tree-edits.js';

/**
 * Edits of work handed off by an object (Profile.objectHandOffs): registrations
 * (`INIT_WORK(&a->w, fn);`) and queueing calls (`schedule_work(&a->w);`) added, removed,
 * retargeted and re-keyed, on the lines of the tree's C files that make such calls.
 */

const rules = linuxProfile.objectHandOffs ?? [];
const registering = new Map(rules.flatMap((r, rule) => r.register.map((g) => [g.name, rule] as const)));
const queueing = new Set(rules.flatMap((r) => r.queue.map((q) => q.name)));
/** A call statement alone on its line: indent, name, first argument (the object in every rule but the workqueue's queue_work family), the rest. */
const CALL = /^(\s*)(\w+)\((&[^,()]+)(.*)\);\s*$/;

/** The lines of the tree's C files holding a registration (`register`) or a queueing call with its object first. */
function callLines(ctx: EditContext, register: boolean): { path: string; at: number; m: RegExpExecArray }[] {
  const out: { path: string; at: number; m: RegExpExecArray }[] = [];
  for (const f of sources(ctx.facts, '.c')) {
    lines(ctx.root, f.path).forEach((l, at) => {
      const m = CALL.exec(l);
      if (m && (register ? registering.has(m[2]!) : queueing.has(m[2]!))) out.push({ path: f.path, at, m });
    });
  }
  return out;
}

/** The queueing call its rule makes of an object: the first queueing function whose object is its first argument, extra arguments as 1. */
function queueCall(name: string, object: string): string {
  const rule = rules[registering.get(name)!]!;
  const q = rule.queue.find((c) => c.object === 0)!;
  return `${q.name}(${object}${q.name.includes('timer') || q.name.includes('delayed') ? ', 1' : ''});`;
}

/** A queueing call of a registration's object added on the line after it (the same scope). */
const queueAdded: TreeEdit = (ctx) => {
  const hit = pick(ctx.random, callLines(ctx, true));
  if (!hit) return null;
  const text = lines(ctx.root, hit.path);
  text.splice(hit.at + 1, 0, `${hit.m[1]}${queueCall(hit.m[2]!, hit.m[3]!)}`);
  write(ctx.root, hit.path, text.join('\n'));
  return `queueing call added: ${hit.path}:${hit.at + 2} ${text[hit.at + 1]!.trim()}`;
};

/** A registration or a queueing call taken out. */
const callRemoved =
  (register: boolean): TreeEdit =>
  (ctx) => {
    const hit = pick(ctx.random, callLines(ctx, register));
    if (!hit) return null;
    const text = lines(ctx.root, hit.path);
    const [gone] = text.splice(hit.at, 1);
    write(ctx.root, hit.path, text.join('\n'));
    return `${register ? 'registration' : 'queueing call'} removed: ${hit.path}:${hit.at + 1} ${gone!.trim()}`;
  };

/**
 * A registration with another function its file sees as the handler, on a line of its own: in
 * place of the registration (`replace`), or added after it (the same object registered twice).
 */
const registrationWithHandler =
  (replace: boolean): TreeEdit =>
  (ctx) => {
    const hit = pick(ctx.random, callLines(ctx, true).filter((h) => /^, \w+/.test(h.m[4]!)));
    if (!hit) return null;
    const file = ctx.facts.find((f) => f.path === hit.path)!;
    const handler = pick(ctx.random, visibleFrom(ctx.facts, file));
    if (!handler) return null;
    const text = lines(ctx.root, hit.path);
    const at = replace ? hit.at : hit.at + 1;
    text.splice(at, replace ? 1 : 0, `${hit.m[1]}${hit.m[2]}(${hit.m[3]}${hit.m[4]!.replace(/^, \w+/, `, ${handler}`)});`);
    write(ctx.root, hit.path, text.join('\n'));
    return `registration ${replace ? 'retargeted' : 'added'}: ${hit.path}:${at + 1} ${text[at]!.trim()}`;
  };

/** A queueing call's object replaced by the object of a registration of its file. */
const queuedObjectChanged: TreeEdit = (ctx) => {
  const queued = callLines(ctx, false);
  const filed = callLines(ctx, true);
  const hit = pick(ctx.random, queued.filter((q) => filed.some((r) => r.path === q.path && r.m[3] !== q.m[3])));
  if (!hit) return null;
  const other = pick(ctx.random, filed.filter((r) => r.path === hit.path && r.m[3] !== hit.m[3]))!;
  const text = lines(ctx.root, hit.path);
  text[hit.at] = `${hit.m[1]}${hit.m[2]}(${other.m[3]}${hit.m[4]});`;
  write(ctx.root, hit.path, text.join('\n'));
  return `queued object changed: ${hit.path}:${hit.at + 1} ${text[hit.at]!.trim()}`;
};

/** The hand-off edits by name (joined into EDIT_KINDS). */
export const HAND_OFF_EDITS: Record<string, TreeEdit> = {
  'queueing call added': queueAdded,
  'queueing call removed': callRemoved(false),
  'work registration added': registrationWithHandler(false),
  'work registration removed': callRemoved(true),
  'work registration retargeted': registrationWithHandler(true),
  'queued object changed': queuedObjectChanged,
};
