import { type EditContext, lines, pick, type TreeEdit, write } from './tree-edits.js';

/**
 * Edits of calls through a struct member (`sk->sk_data_ready(sk);`, `err = pf->create(...);`):
 * the kind of indirect call a kernel developer adds and takes out of a body all day.
 */

/** A statement line of a written function that calls through a member, as the tree's facts list it: its file, line (1-based) and function. */
interface MemberCallLine {
  path: string;
  line: number;
  fn: string;
  field: string;
}

/**
 * The lines that hold one whole statement calling through a member (a call by no name, not through
 * a wrapper's hints or a parameter), not a `return`, `if`, loop or `switch` head: taking one out
 * leaves valid C.
 */
function memberCallLines({ root, facts }: EditContext): MemberCallLine[] {
  const out: MemberCallLine[] = [];
  const seen = new Set<string>();
  for (const file of facts) {
    if (file.unreadable !== undefined) continue;
    let text: string[] | null = null;
    for (const fn of file.functions) {
      if (fn.definer || fn.expanded) continue;
      for (const call of fn.calls) {
        if (call.field === undefined || call.name !== undefined || call.hints || call.param !== undefined || call.inactive !== undefined) continue;
        text ??= lines(root, file.path);
        const line = text[call.line - 1] ?? '';
        const key = `${file.path}:${call.line}`;
        if (seen.has(key) || !/^\s*[^;{}]*\);\s*$/.test(line) || /^\s*(if|while|for|return|switch|do)\b/.test(line) || !line.includes(`${call.field}(`)) continue;
        seen.add(key);
        out.push({ path: file.path, line: call.line, fn: fn.name, field: call.field });
      }
    }
  }
  return out;
}

/** A statement calling through a member taken out of a body. */
export const memberCallRemoved: TreeEdit = (ctx) => {
  const hit = pick(ctx.random, memberCallLines(ctx));
  if (!hit) return null;
  const text = lines(ctx.root, hit.path);
  text.splice(hit.line - 1, 1);
  write(ctx.root, hit.path, text.join('\n'));
  return `member call removed: ${hit.path}:${hit.line}: ${hit.fn} no longer calls .${hit.field}`;
};

/** A statement calling through a member written twice (a call through a member added). */
const memberCallAdded: TreeEdit = (ctx) => {
  const hit = pick(ctx.random, memberCallLines(ctx));
  if (!hit) return null;
  const text = lines(ctx.root, hit.path);
  text.splice(hit.line, 0, text[hit.line - 1]!);
  write(ctx.root, hit.path, text.join('\n'));
  return `member call added: ${hit.path}:${hit.line + 1}: ${hit.fn} calls .${hit.field} twice`;
};

/** A statement calling through a member given one more argument (`0`): the same call site, its arguments changed. */
const memberCallArguments: TreeEdit = (ctx) => {
  const hit = pick(ctx.random, memberCallLines(ctx));
  if (!hit) return null;
  const text = lines(ctx.root, hit.path);
  text[hit.line - 1] = text[hit.line - 1]!.replace(/(\(\s*)?\);(\s*)$/, (_, empty: string | undefined, rest: string) => `${empty ? '(' : ', '}0);${rest}`);
  write(ctx.root, hit.path, text.join('\n'));
  return `member call arguments changed: ${hit.path}:${hit.line}: ${hit.fn} passes one more to .${hit.field}`;
};

/** The edits of calls through members, by kind. */
export const MEMBER_CALL_EDITS: Record<string, TreeEdit> = {
  'member call removed': memberCallRemoved,
  'member call added': memberCallAdded,
  'member call arguments changed': memberCallArguments,
};
