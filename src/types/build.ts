/**
 * What a kernel build decides about a tree, as the resolver needs it to bind a call to the
 * definitions a compiler would see: the value of each Kconfig option, the truth of each
 * preprocessor condition, and which .c files Kbuild compiles.
 */

/** Three-valued truth of a preprocessor condition or a Kbuild rule under a config model (Kleene logic). */
export const Truth = {
  No: 0,
  Yes: 1,
  /** The model does not decide it (an option the config model does not know, a macro defined in code). */
  Unknown: 2,
} as const;
export type Truth = (typeof Truth)[keyof typeof Truth];

/**
 * Where option values come from:
 * - 'config': a full kernel configuration (`--config FILE`, or a `.config` found at the root or in
 *   `$KBUILD_OUTPUT`); an option it does not list is not set.
 * - 'defconfig': the architecture's defconfig (arch/x86/configs/x86_64_defconfig); an option it does not
 *   list has its Kconfig default where that is certain, and is unknown otherwise.
 * - 'none': no configuration known (a generic C tree); every option is unknown.
 */
export type ConfigKind = 'config' | 'defconfig' | 'none';

/** The option values of one configuration. */
export interface ConfigModel {
  kind: ConfigKind;
  /** For users, the file the values come from relative to the root or absolute (`.config`, `arch/x86/configs/x86_64_defconfig`); '' for 'none'. */
  source: string;
  /**
   * The value of an option, by its full macro name (`CONFIG_PCI`): 'y', 'm', 'n' (not set), or its
   * value as a .config writes it without quotes (`1000`, `0x1000000`, `lz4`); undefined when unknown.
   */
  value(option: string): string | undefined;
  /** One line saying where the value comes from (`set in .config`, `not set in arch/x86/configs/x86_64_defconfig`, `Kconfig default (mm/Kconfig:231)`); undefined when unknown. */
  why(option: string): string | undefined;
  /** Changes whenever any value may change: part of the graph cache's key. */
  readonly key: string;
  /**
   * A digest (hex) of every option's value, made from the values alone (not the texts they come
   * from): two models with one digest give the same value() for any option name, so a Kconfig
   * help text or a comment edited leaves it as it was. Absent from models that cannot list their
   * options (answered from a graph's kept answers: cache/build-answers.ts).
   */
  valuesDigest?(): string;
}

/** The Kbuild rules' truths BuildModel.built answers from (BuildModel.builtRules), as plain lists sorted by path. */
export interface BuiltRules {
  /** False when no Kbuild rule was read (a profile without Kbuild). */
  kbuild: boolean;
  /** Each object a rule names (`mm/slub.o`), with its truth. */
  objects: [string, Truth][];
  /** Each folder a rule enters (`drivers/net`, no slash), with its truth. */
  folders: [string, Truth][];
  /** The folders only other architectures' Makefiles enter (`drivers/s390` on x86). */
  foreign: string[];
}

/** What the build decides about definitions, for the resolver and explain. */
export interface BuildModel {
  config: ConfigModel;
  /** Truth of a preprocessor condition in the normal form of FunctionFact.cond (undefined: unconditional, Yes). */
  condition(cond: string | undefined): Truth;
  /**
   * Whether Kbuild compiles a file (path relative to the root): No when every rule naming it is
   * false (`obj-$(CONFIG_SLOB) += slob.o` with CONFIG_SLOB not set) or its folder is not built;
   * Yes when a rule naming it holds through every parent folder; Unknown otherwise (not named by
   * any rule, e.g. a .c file #included by another, or rules over unknown options). Headers: Yes.
   */
  built(path: string): Truth;
  /**
   * What `built` answers from, for any path (index/built-rules.ts builtBy): the truth of every
   * object a Kbuild rule names and of every folder a rule enters, and the folders only other
   * architectures enter. Kept in a graph's build answers for the files a patch adds.
   */
  builtRules(): BuiltRules;
  /**
   * The truth of a condition where macros defined in code (not options, not predefined) take
   * their state from `codeMacro` (Yes/No when it decides, undefined when it does not): the
   * condition as one translation unit sees it. Not cached; `condition` is what this gives with nothing decided.
   */
  conditionIn(cond: string | undefined, codeMacro: (name: string) => Truth | undefined): Truth;
  /** explainCondition with the macros `codeMacro` decides (see conditionIn). */
  explainConditionIn(cond: string, codeMacro: (name: string) => Truth | undefined): string;
  /** One line saying why a condition is false or unknown: `CONFIG_PCI=y`, `CONFIG_X86_32 is not set`, `CONFIG_FOO unknown`. */
  explainCondition(cond: string): string;
  /** One line saying why a file is not built or may not be (`not built: CONFIG_SLOB is not set (mm/Makefile:88)`); undefined when it is built. */
  explainBuilt(path: string): string | undefined;
  /**
   * The composite object a .c file's object is linked into first (`drivers/staging/rtl8723bs/r8723bs.o`
   * for `r8723bs-y += core/rtw_mlme.o`), the outermost when composites nest (`gt.o` in `i915.o`);
   * undefined when no composite object names it (a single-file object, a file named by no rule).
   * A header's is that of every object of the innermost folder above it that holds any, at or under
   * it, when they agree (`drivers/staging/r8188eu/include/rtw_mlme_ext.h`: r8188eu.o, whose
   * initializer tables name the module's functions), else undefined (include/linux). Two files of one composite object are linked together before any other object's symbols
   * are looked at, so a global defined in one satisfies the other's references (ld -r). A file under
   * a folder only `subdir-` lists or `$(MAKE) $(build)=dir` rules enter (an image linked on its own,
   * not into the kernel: `subdir-$(CONFIG_EFI_STUB) += libstub`, arch/x86/boot) has the innermost
   * such folder, with its slash (`drivers/firmware/efi/libstub/`), before any composite object in it.
   * `at`: the file's id in the index the model answers for, when the caller knows it (a hint, checked against the path).
   */
  linkUnit(path: string, at?: number): string | undefined;
  /**
   * The folders Kbuild adds to the include path of the file at `path` with `-I` flags
   * (`ccflags-y += -I$(srctree)/$(src)/include`: index/include-dirs.ts), relative to the root,
   * searched after the arch's include path.
   */
  includeDirs(path: string): readonly string[];
  /** What includeDirs answers from: the `-I` flags of each Makefile read that has any (by folder), and the folders whose Makefile was read. */
  readonly includeFlags: { flags: ReadonlyMap<string, { own: string[]; subdir: string[] }>; makefiles: ReadonlySet<string> };
  /**
   * A digest (hex) of what linkUnit answers from for any path, the rules' files and lines aside:
   * each object's link unit, the composite objects, the image folders. Two models with one
   * digest give the same linkUnit() for any path. Absent from models answered from kept answers.
   */
  unitsDigest?(): string;
  /**
   * A digest (hex) of the image folders alone (those only `subdir-` lists or `$(build)=` recipes
   * enter): the link unit of a file whose object no rule names is the image holding it, so two
   * models with one images digest give such a file the same linkUnit(). Absent where unitsDigest is.
   */
  imagesDigest?(): string;
}
