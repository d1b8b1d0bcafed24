import type { BindingRef, EdgeRef } from '../../types/results.js';
import { mergedBindings } from '../binding-lines.js';

/** The last identifier of a called expression, brackets skipped: `write` for `file->f_op->write`, `run` for `ops[i].run`, `fn` for `(*fn)`. */
export function lastMember(expression: string): string | undefined {
  let text = expression;
  // Drop bracketed parts from the inside out (`ops[idx[i]].run` -> `ops.run`), keeping `(*fn)` readable.
  for (let prev = ''; prev !== text; ) {
    prev = text;
    text = text.replace(/\[[^[\]]*\]/g, '');
  }
  const ids = text.match(/[\p{L}_$][\p{L}\p{N}_$]*/gu);
  return ids?.[ids.length - 1];
}

/** The member a binding assigns: `sendmsg` for `.sendmsg = inet_sendmsg in ...`, `output` for `rt->dst.output = ip_output in ...`; undefined for other bindings. */
export function boundMember(binding: BindingRef): string | undefined {
  const m = /^(\S+?)\s*=\s/.exec(binding.text);
  return m ? lastMember(m[1]!) : undefined;
}

/** What a pointer edge of a picture shows: the member called, and its first binding in one line with how many more there are. */
export function pointerDetails(edge: EdgeRef): { member?: string; evidence?: string; moreEvidence?: number } {
  const out: { member?: string; evidence?: string; moreEvidence?: number } = {};
  // Bindings as a reader counts them: one passing stored on two lines is one (render/binding-lines.ts).
  const evidence = mergedBindings(edge.evidence ?? []);
  const first = evidence[0];
  // The first binding that assigns a member names it (an indirect-hint edge's first evidence is the wrapper's naming).
  const member = edge.via !== undefined ? lastMember(edge.via) : (edge.evidence ?? []).map(boundMember).find((m) => m !== undefined);
  if (member !== undefined) out.member = member;
  if (first) {
    out.evidence = `${first.file}:${first.line} ${first.text}`;
    if (evidence.length > 1) out.moreEvidence = evidence.length - 1;
  }
  return out;
}
