import type { Profile } from '../profiles/profile.js';
import { gluedToIdentifier } from '../util/c-identifier.js';
import { escapeRegExp } from '../util/regexp.js';
import type { DroppedWords } from './scan/tokens.js';

/** A profile's call tables as lookups, built once per profile. */
export interface CallRules {
  transparent: Set<string>;
  containers: Map<string, number>;
  indirect: Map<string, number>;
  /** Annotation words, left out by the fast extractor's tokenizer. */
  dropped: DroppedWords;
  /** Loop-like statement macros are to be recognised (`list_for_each_entry(...) {` is a loop, not a call). */
  loopMacros: boolean;
  /** Head text of a definition with its annotations neutralised and whitespace collapsed. */
  signature: (head: string) => string;
  /** The names that register or queue work by an object (Profile.objectHandOffs): their calls note which arguments name locals (CallFact.locals). */
  objectCalls: Set<string>;
}

/** A signature cleaner: annotation words replaced as the neutraliser would (most by nothing). */
function signatureCleaner(profile: Profile): (head: string) => string {
  const words = Object.keys(profile.annotations).map(escapeRegExp);
  const withArgs = profile.annotationsWithArgs.map(escapeRegExp);
  if (words.length + withArgs.length === 0) return (head) => head.replace(/\s+/g, ' ').trim();
  const parts = [...(withArgs.length ? [`\\b(?:${withArgs.join('|')})\\s*\\((?:[^()]|\\([^()]*\\))*\\)`] : []), ...(words.length ? [`\\b(?:${words.join('|')})\\b`] : [])];
  const pattern = new RegExp(parts.join('|'), 'g');
  // A match with arguments is checked before its word only: what follows the word is `(`.
  const replace = (m: string, at: number, head: string): string =>
    gluedToIdentifier(head, at, m.endsWith(')') ? at : at + m.length) ? m : (profile.annotations[m] ?? '');
  return (head) => head.replace(pattern, replace).replace(/\s+/g, ' ').trim();
}

export function callRules(profile: Profile): CallRules {
  return {
    transparent: new Set(profile.transparent),
    containers: new Map(profile.containers.map((c) => [c.name, c.typeArg])),
    indirect: new Map(profile.indirectCalls.map((r) => [r.name, r.hints])),
    dropped: { words: new Set(Object.keys(profile.annotations)), withArgs: new Set(profile.annotationsWithArgs) },
    loopMacros: profile.loopMacros,
    signature: signatureCleaner(profile),
    objectCalls: new Set((profile.objectHandOffs ?? []).flatMap((r) => [...r.register, ...r.queue].map((c) => c.name))),
  };
}
