/**
 * What the resolver asks about a tree to bind a call by name to the definitions a compiler would
 * see: which files a translation unit includes (visibility) and which definitions are active
 * under the build's configuration (activity). Both are oracles: the include graph and the build
 * model answer them; the resolver never computes them itself.
 */
import type { Truth } from './build.js';

/**
 * `#include` visibility between files, by file id of the index (an index into `CodeIndex.files`).
 * Answered by the include graph (the caller file's include closure on the profile's include path).
 */
export interface IncludeVisibility {
  /** True when `file` is `callerFile` or is in the include closure of `callerFile`. */
  sees(callerFile: number, file: number): boolean;
  /**
   * The chain of files through which `callerFile` includes `file`, outermost first, ending with
   * `file` (`['include/linux/pci.h', 'include/linux/mod_devicetable.h']`); undefined when it does not. For explain.
   */
  includedVia?(callerFile: number, file: number): string[] | undefined;
}

/**
 * Whether a definition is compiled under the configuration: the truth of its preprocessor
 * condition AND, for a definition in a .c file, whether Kbuild builds that file.
 */
export interface DefinitionActivity {
  /**
   * Truth.Yes, No or Unknown for a node of the index (a function or a macro), as a call from
   * `callerFile` sees it: its preprocessor condition in the caller's translation unit and, for a
   * definition in another .c file, whether Kbuild builds that file (a definition in the caller's
   * folder counts as built with a caller Kbuild does not certainly build).
   */
  activity(callerFile: number, node: number): Truth;
  /**
   * One line saying why a node is inactive or may be, for that caller (`inactive: ... with
   * CONFIG_PCI=y`, `not built: CONFIG_SLOB is not set`); undefined for an active node.
   */
  why(callerFile: number, node: number): string | undefined;
  /**
   * Whether Kbuild compiles a file of the index (a file id) under the configuration: BuildModel.built
   * for a .c file of a tree with Kbuild rules (the profile's `kbuild`), Yes for any other file.
   */
  fileBuilt(file: number): Truth;
  /** One line saying why Kbuild does not build a file or may not (BuildModel.explainBuilt: `not built: CONFIG_S390 is not set (drivers/Makefile:2)`); undefined when it is built. May make the build model (reading every Kconfig and Kbuild file). */
  whyNotBuilt(file: number): string | undefined;
  /**
   * True for a definition in a header whose condition the configuration leaves open and the code
   * macros of the translation unit decide (`#ifndef HAVE_ARCH_BUG`): it is active in some units and
   * not in others, so a macro's body calling it binds as each expanding unit sees it (bind-expansion.ts).
   * Absent: no definition is.
   */
  unitDependent?(node: number): boolean;
  /**
   * Whether Kbuild builds the file at `path` (relative to the root; any file, an assembly one too:
   * BuildModel.built), with one line saying why not when it is not or may not be. May make the build model.
   */
  pathBuilt?(path: string): { built: Truth; why?: string };
  /**
   * The truth of `cond`, the condition of a call at `line` of file `file` inside an `#if` block
   * of a body (CallFact.cond): in a .c file decided in its own translation unit (the config and
   * the code macros it sees), in a header by the config alone (the units including it may
   * differ). Absent: every such call counts.
   */
  callActive?(file: number, cond: string, line: number): Truth;
  /** Why such a call's condition does not certainly hold, as `why` says it for a node (`CONFIG_X is not set`); undefined when it holds. */
  whyCall?(file: number, cond: string, line: number): string | undefined;
  /** Where the configuration comes from (ConfigModel.source: `arch/x86/configs/x86_64_defconfig`, `.config`; '' for none), known without making the build model. */
  readonly configSource: string;
}

/**
 * The oracles binding by name uses (set on CodeIndex.bindingScope). Each is optional: without
 * `visibility`, every candidate counts as seen through the includes is unknown and the rule
 * before include visibility applies (see bindByName); without `activity`, every definition is active.
 */
export interface BindingScope {
  visibility?: IncludeVisibility;
  activity?: DefinitionActivity;
  /**
   * File ids of the files that declare `name` by a prototype (FileFacts.prototypes): a prototype
   * seen through the includes breaks ties among global functions. Absent: no tie is broken.
   */
  declarers?(name: string): number[];
  /**
   * The composite object a file of the index is linked into (BuildModel.linkUnit by file id:
   * `drivers/staging/rtl8723bs/r8723bs.o`), undefined when none: among several global functions
   * still tied, those linked with the caller's file win. Absent: no such tie is broken.
   */
  linkUnit?(file: number): string | undefined;
}
