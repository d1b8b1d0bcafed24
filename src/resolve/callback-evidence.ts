/**
 * The evidence text of a callback-arg binding, written by the resolver and read back by the
 * queries that ask which function calls the callback (check, explain). A callback-arg edge sits at
 * the call site that passes a function (`driver_attach` passing `__driver_attach` to
 * `bus_for_each_dev`); the function that calls it through its own parameter (`bus_for_each_dev`,
 * or the last of a chain of wrappers passing it on) is named only here, with the place of that call.
 */
import { flat } from '../util/flat-text.js';

/** What a callback-arg evidence text says: the function that calls the callback through its parameter, and where (`file:line`). */
export interface CallbackUser {
  /** The function (or macro) whose call of its own parameter calls the callback. */
  user: string;
  /** `file:line` of that call of the parameter. */
  where: string;
}

/**
 * `what passed to callee, which calls it (where)`, or, when `callee` passes it on to `user`,
 * `what passed to callee, which passes it on[ through a, b] to user, which calls it (where)`.
 * `what` is the callback (a function name, or the member or local that holds it); `via` the wrappers between callee and user.
 */
export function callbackEvidenceText(what: string, callee: string, user: string, via: readonly string[] | undefined, where: string): string {
  const through = via?.length ? ` through ${via.join(', ')}` : '';
  const how = callee === user ? 'which calls it' : `which passes it on${through} to ${user}, which calls it`;
  return flat`${what} passed to ${callee}, ${how} (${where})`;
}

const CALLS_IT = /(?:passed to|to) ([A-Za-z_$][\w$]*), which calls it \(([^()]*:\d+)\)$/;

/** The user and place a callbackEvidenceText names; null for any other evidence text. */
export function callbackUser(text: string): CallbackUser | null {
  const m = CALLS_IT.exec(text);
  return m ? { user: m[1]!, where: m[2]! } : null;
}

const PASSES_ON = /passed to ([A-Za-z_$][\w$]*), which passes it on(?: through ([\w$, ]+))? to ([A-Za-z_$][\w$]*), which calls it \(([^()]*:\d+)\)$/;

/**
 * The functions a callbackEvidenceText names as passing the callback on before the one that
 * calls it (the first callee, then the wrappers between, in order), with that user and place;
 * null when the callee calls it itself or for any other evidence text.
 */
export function callbackPassers(text: string): (CallbackUser & { passers: string[] }) | null {
  const m = PASSES_ON.exec(text);
  return m ? { passers: [m[1]!, ...(m[2] ? m[2].split(', ') : [])], user: m[3]!, where: m[4]! } : null;
}
