import type { Profile } from '../profiles/profile.js';

/** A profile's call tables as lookups, built once per profile. */
export interface CallRules {
  transparent: Set<string>;
  containers: Map<string, number>;
  indirect: Map<string, number>;
}

export function callRules(profile: Profile): CallRules {
  return {
    transparent: new Set(profile.transparent),
    containers: new Map(profile.containers.map((c) => [c.name, c.typeArg])),
    indirect: new Map(profile.indirectCalls.map((r) => [r.name, r.hints])),
  };
}
