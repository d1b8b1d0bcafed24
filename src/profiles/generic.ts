import type { Profile } from './profile.js';

/** Plain C: no macro conventions known, every file indexed. */
export const genericProfile: Profile = {
  name: 'generic',
  markers: [],
  annotations: {},
  annotationsWithArgs: [],
  definers: [],
  loopMacros: false,
  indirectCalls: [],
  transparent: [],
  containers: [],
  excludeDirs: [],
  dispatchTables: [],
  deferredCalls: [],
  compilerBuiltins: ['__builtin_', '__atomic_', '__sync_'],
  pictureExcludes: [],
  // Plain C trees conventionally keep public headers in include/; quoted includes are searched beside the including file first.
  includePaths: ['include', '.'],
  includeFallbacks: [],
  predefinedMacros: {},
  undefinedMacros: [],
  registrations: [],
  kbuild: false,
};
