import { type BuiltRules, Truth } from '../types/build.js';

/**
 * What Kbuild's answer for a path reads of the rules (BuildModel.built): the truth of the object
 * a rule names, the truth of a folder a rule enters, and the folders only other architectures
 * enter. The build model reads them from its rules (build-model.ts); the build answers a graph
 * keeps read them from BuiltRules (cache/build-answers.ts), for a file added since.
 */
export interface BuiltLookup {
  /** False when no Kbuild rule was read (a profile without Kbuild): every .c file is Unknown. */
  kbuild: boolean;
  /** The truth of an object (`drivers/net/e1000/e1000_main.o`) some rule names; undefined when none names it. */
  object(obj: string): Truth | undefined;
  /** The truth of a folder (`drivers/net`, no slash) some rule enters; undefined when none enters it. */
  folder(folder: string): Truth | undefined;
  /** True for a folder only other architectures' Makefiles enter (`drivers/s390` on x86). */
  foreign(folder: string): boolean;
}

/** The object Kbuild makes of a .c or .S file (`x.c` -> `x.o`), undefined for another file. */
export const objectOf = (path: string): string | undefined => (/\.[cS]$/.test(path) ? path.slice(0, -2) + '.o' : undefined);

/**
 * BuildModel.built of `path` (relative to the root) from the rules: a header is Yes; an object a
 * rule names has that rule's truth; an object named by no rule is No when the nearest folder above
 * it that a rule enters (else the root) is not built, or a folder above it is foreign; otherwise
 * Unknown (an #included .c, a list built by make functions).
 */
export function builtBy(path: string, rules: BuiltLookup): Truth {
  if (path.endsWith('.h')) return Truth.Yes;
  const obj = objectOf(path);
  if (!obj || !rules.kbuild) return Truth.Unknown;
  const named = rules.object(obj);
  if (named !== undefined) return named;
  let entered: Truth = Truth.Yes;
  for (let dir = obj, cut = dir.lastIndexOf('/'); cut > 0; cut = dir.lastIndexOf('/')) {
    dir = dir.slice(0, cut);
    const t = rules.folder(dir);
    if (t !== undefined) {
      entered = t;
      break;
    }
  }
  if (entered === Truth.No) return Truth.No;
  for (let cut = obj.indexOf('/'); cut > 0; cut = obj.indexOf('/', cut + 1)) if (rules.foreign(obj.slice(0, cut))) return Truth.No;
  return Truth.Unknown;
}

/** A BuiltLookup over BuiltRules as kept (the lists made into maps once). */
export function lookupOfRules(rules: BuiltRules): BuiltLookup {
  const objects = new Map(rules.objects);
  const folders = new Map(rules.folders);
  const foreign = new Set(rules.foreign);
  return { kbuild: rules.kbuild, object: (obj) => objects.get(obj), folder: (folder) => folders.get(folder), foreign: (folder) => foreign.has(folder) };
}
