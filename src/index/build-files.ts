/**
 * Reads the build files of a kernel-like tree for the build model (build-model.ts): the Kconfig
 * files reached from the root `Kconfig` through `source` lines, and the Kbuild files (`Kbuild`,
 * else `Makefile`) of the folders the build descends into from the root.
 */

import { readdirSync, readFileSync, type Stats, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { type KconfigFile } from '../parse/kbuild/kconfig-model.js';
import { inheritDependencies, readKconfig } from '../parse/kbuild/kconfig.js';
import { type KbuildEntry, readMakefile } from '../parse/kbuild/makefile.js';
import { type IncludeFlags, readIncludeFlags } from '../parse/kbuild/include-flags.js';
import { ownStrings } from '../util/own-strings.js';
import { contentHash } from '../parse/file-parser.js';

/** A build file the model read: path relative to the root (or absolute outside it), size in bytes, mtime in ms. */
export interface BuildFile {
  path: string;
  size: number;
  mtimeMs: number;
  /**
   * What the path held (pathHash): a file's content hash, a folder's names; so that one whose
   * mtime moved with the same content (a branch checked out and back, a copy of the tree) still
   * holds (cache/tree-build.ts unchanged). Absent for a file that could not be read.
   */
  hash?: string;
}

/** BuildFile.hash of a folder: the content hash (parse/file-parser.ts contentHash) of its names, sorted, `d:` first (a file's is its bytes' content hash). */
const namesHash = (names: readonly string[]): string => `d:${contentHash(Buffer.from([...names].sort().join('\0')))}`;

/**
 * BuildFile.hash of what stands at `path` (absolute) now, `st` its stat(): a file's content hash, a
 * folder's names' hash; undefined for anything else, or what cannot be read now.
 */
export function pathHash(path: string, st: Stats): string | undefined {
  try {
    if (st.isFile()) return contentHash(readFileSync(path));
    if (st.isDirectory()) return namesHash(readdirSync(path));
  } catch {
    // unreadable now
  }
  return undefined;
}

/**
 * Reads build files under a root, remembering what each look found (for the cache: see
 * cache/tree-build.ts) and feeding a hash with each text read. `files` holds every path that
 * exists when looked at (files read, and what stands where a file was looked for: a folder, an
 * unreadable file; folders listed for a glob), with size and mtime; `absent` every path looked
 * for and not there. Between them they hold every path the model's result depends on, so a build
 * file appearing, changing or going away changes what a later stat() of them says.
 */
export class BuildFileReader {
  readonly files: BuildFile[] = [];
  private readonly missing = new Set<string>();
  constructor(
    readonly root: string,
    private readonly onText: (path: string, text: string) => void,
  ) {}

  /** Paths relative to the root (or absolute) looked for and absent, in first-look order, each once. */
  get absent(): string[] {
    return [...this.missing];
  }

  /** The text of a file relative to the root (or absolute), or undefined when it is absent, not a file, or unreadable. */
  read(path: string): string | undefined {
    const st = this.look(path);
    if (!st?.isFile()) return undefined;
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.at(path));
    } catch {
      return undefined;
    }
    // The entry look() just made is this file's.
    this.files[this.files.length - 1]!.hash = contentHash(bytes);
    const text = bytes.toString('utf8');
    this.onText(path, text);
    return text;
  }

  /**
   * Keeps a file relative to the root (or absolute) that something other than the model reads from
   * the tree (the profile's dispatch tables: resolve/bind-dispatch-tables.ts), with its stat() and
   * content hash, or as absent: so that a cached graph stops holding when it changes, appears or
   * goes away. Its text is not fed to the model's hash (no option value or Kbuild rule depends on it).
   */
  watch(path: string): void {
    const st = this.look(path);
    if (!st?.isFile()) return;
    try {
      this.files[this.files.length - 1]!.hash = contentHash(readFileSync(this.at(path)));
    } catch {
      // unreadable: kept without a hash, so that any move of its stat() counts as a change
    }
  }

  /** The names in a folder relative to the root (unsorted), or [] when it is absent or not a folder; the folder's mtime is kept, so a name added or removed is seen. */
  list(folder: string): string[] {
    const st = this.look(folder);
    if (!st?.isDirectory()) return [];
    // look() read them for the folder's hash.
    const names = this.listed;
    this.listed = undefined;
    return names ?? [];
  }

  /** The names look() read of the folder it last looked at, for list(). */
  private listed: string[] | undefined;

  /** The names in a folder (unsorted), or undefined when it cannot be read. */
  private names(folder: string): string[] | undefined {
    try {
      return readdirSync(this.at(folder));
    } catch {
      return undefined;
    }
  }

  private at(path: string): string {
    return path.startsWith('/') ? path : join(this.root, path);
  }

  /** stat() of a path, kept in `files` when it exists and in `absent` when not. */
  private look(path: string): Stats | undefined {
    let st: Stats | undefined;
    try {
      st = statSync(this.at(path), { throwIfNoEntry: false });
    } catch {
      st = undefined; // not searchable: as absent
    }
    if (st) {
      // A folder's names are hashed here (a file's bytes where read() reads them).
      const names = (this.listed = st.isDirectory() ? this.names(path) : undefined);
      this.files.push({ path, size: st.size, mtimeMs: st.mtimeMs, ...(names ? { hash: namesHash(names) } : {}) });
    } else this.missing.add(path);
    return st;
  }
}

/** Expands one `*` glob segment in a Kconfig source path (`drivers/*\/Kconfig`), relative to the root; the folders listed are kept by the reader. */
function expandGlob(reader: BuildFileReader, path: string): string[] {
  if (!path.includes('*')) return [path];
  const parts = path.split('/');
  const star = parts.findIndex((p) => p.includes('*'));
  const dir = parts.slice(0, star).join('/');
  const re = new RegExp(`^${parts[star]!.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  const names = reader.list(dir || '.').filter((n) => re.test(n)).sort();
  return names.flatMap((n) => expandGlob(reader, [...parts.slice(0, star), n, ...parts.slice(star + 1)].join('/')));
}

/**
 * The facts of every Kconfig file reached from the root `Kconfig` through `source`, `rsource`,
 * `osource` and `orsource` (`$(SRCARCH)` and `$(HEADER_ARCH)` are the architecture), as
 * scripts/kconfig reads them for `make ARCH=arch`, each entry with the dependencies of the `if`
 * blocks and menus around the `source` line that reads its file. Empty when the root has no Kconfig.
 */
export function readKconfigTree(reader: BuildFileReader, arch: string): KconfigFile[] {
  const out: KconfigFile[] = [];
  const seen = new Set<string>(['Kconfig']);
  const queue: { path: string; deps: string[] }[] = [{ path: 'Kconfig', deps: [] }];
  while (queue.length) {
    const { path, deps } = queue.shift()!;
    const text = reader.read(path);
    if (text === undefined) continue;
    const facts = readKconfig(text);
    inheritDependencies(facts, deps);
    // The facts' strings are pieces of the text and joins of them: copied, so that the text is not kept with them (util/own-strings.ts).
    out.push({ path, facts: ownStrings(facts) });
    for (const s of facts.sources) {
      const named = s.path.replace(/\$\((SRCARCH|HEADER_ARCH|ARCH)\)/g, arch);
      if (named.includes('$')) continue;
      const full = s.relative ? posix.normalize(posix.join(posix.dirname(path), named)) : posix.normalize(named);
      for (const p of expandGlob(reader, full)) {
        if (seen.has(p)) continue;
        seen.add(p);
        queue.push({ path: p, deps: s.deps });
      }
    }
  }
  return out;
}

/** The build-list entries of one folder's Kbuild file, with the file they come from. */
export interface FolderRules {
  /** Folder relative to the root, '' for the root, no trailing slash. */
  folder: string;
  /** The file read: `mm/Makefile`, `arch/x86/Kbuild`. */
  file: string;
  entries: KbuildEntry[];
  /** The `-I` folders its flags add (readIncludeFlags), when it has any. */
  includeFlags?: IncludeFlags;
}

/** The lists of the root and arch Makefiles that name folders relative to the root (Makefile: `core-y`, `drivers-y`...). */
export const TOP_LISTS = new Set(['core', 'drivers', 'libs', 'net', 'virt', 'init', 'head']);

/**
 * Every folder's Kbuild rules the build reaches: the root's `Kbuild` (else `Makefile`) obj lists,
 * the top lists of the root `Makefile` and `arch/{arch}/Makefile`, then, folder by folder, each
 * `dir/` entry of an `obj-*`/`lib-*` list or a top list, read from `dir/Kbuild` or else
 * `dir/Makefile` (scripts/Makefile.build's order). Folders are read once; the returned list is
 * in reading order, the root first (its entries include the top lists, as `top:` files).
 * `archVars` are the architecture's make variables (Profile.kbuildVars), `varValues` every value
 * each may take (Profile.kbuildVarValues): a folder's entries named with another value are read
 * as never taken (MakefileOptions.otherValues).
 */
export function readKbuildTree(reader: BuildFileReader, arch: string, archVars: Record<string, string> = {}, varValues: Record<string, string[]> = {}): FolderRules[] {
  const vars = { ...archVars, SRCARCH: arch, KBUILD_EXTMOD: '', srctree: '.' };
  // The values the architecture's variables take in other builds (BITS=32 on x86-64): what they name is not built.
  const otherValues: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(archVars)) {
    const others = (varValues[name] ?? []).filter((v) => v !== value);
    if (others.length) otherValues[name] = others;
  }
  const out: FolderRules[] = [];
  const seen = new Set<string>(['']);
  const queue: string[] = [];
  const visit = (folder: string, entries: KbuildEntry[], topLevel: boolean): void => {
    for (const e of entries) {
      if (!e.name.endsWith('/')) continue;
      if (!(e.list === 'obj' || e.list === 'lib' || e.list === 'subdir' || (topLevel && TOP_LISTS.has(e.list)))) continue;
      const base = topLevel && TOP_LISTS.has(e.list) ? '' : folder;
      const sub = posix.normalize(posix.join(base || '.', e.name)).replace(/\/+$/, '');
      if (sub === '.' || sub.startsWith('..') || seen.has(sub)) continue;
      seen.add(sub);
      queue.push(sub);
    }
  };
  const readFolder = (folder: string): { file: string; text: string } | undefined => {
    for (const name of ['Kbuild', 'Makefile']) {
      const file = folder ? `${folder}/${name}` : name;
      const text = reader.read(file);
      if (text !== undefined) return { file, text };
    }
    return undefined;
  };
  const rootFile = readFolder('');
  if (rootFile) {
    const entries = readMakefile(rootFile.text, { vars, blocks: rootFile.file !== 'Makefile' }).filter((e) => e.list === 'obj' || e.list === 'lib' || TOP_LISTS.has(e.list));
    out.push({ folder: '', file: rootFile.file, entries });
    visit('', entries, true);
  }
  for (const top of rootFile?.file === 'Makefile' ? [`arch/${arch}/Makefile`] : ['Makefile', `arch/${arch}/Makefile`]) {
    const text = reader.read(top);
    if (text === undefined) continue;
    // An architecture's Makefile also builds images apart from the kernel (`$(MAKE) $(build)=$(boot)`): read as subdir- folders.
    const isArch = top !== 'Makefile';
    const entries = readMakefile(text, { vars, blocks: isArch, ...(isArch ? { folder: '' } : {}) }).filter((e) => TOP_LISTS.has(e.list) || (isArch && e.list === 'subdir'));
    out.push({ folder: '', file: top, entries });
    visit('', entries, true);
  }
  while (queue.length) {
    const folder = queue.shift()!;
    const found = readFolder(folder);
    if (!found) continue;
    const entries = readMakefile(found.text, { vars, otherValues, folder });
    const flags = readIncludeFlags(found.text, folder);
    out.push({ folder, file: found.file, entries, ...(flags.own.length || flags.subdir.length ? { includeFlags: flags } : {}) });
    visit(folder, entries, false);
  }
  // The rules' strings are pieces of the Makefiles' texts: copied, so that the texts are not kept with them (util/own-strings.ts).
  return ownStrings(out);
}

/** A folder outside arch/ that another architecture's Makefile names in a top list (`drivers-y += drivers/s390/` in arch/s390/Makefile). */
export interface ForeignFolder {
  /** Folder relative to the root, no trailing slash (`drivers/s390`). */
  folder: string;
  /** The Makefile naming it and the 1-based line (the first such, architectures in name order). */
  file: string;
  line: number;
}

/**
 * The folders outside arch/ that only other architectures' build enters: the top lists
 * (TOP_LISTS) of `arch/{other}/Makefile` for every folder of `arch/` but `arch` (in Linux 6.1,
 * drivers/s390 from arch/s390/Makefile). Entries with make references (`$(objtree)/...`) are
 * skipped. The folder listing and each Makefile read are kept by the reader, so a change to them
 * is seen. The caller drops the folders this architecture's rules enter too.
 */
export function readForeignFolders(reader: BuildFileReader, arch: string): ForeignFolder[] {
  const out = new Map<string, ForeignFolder>();
  for (const other of reader.list('arch').sort()) {
    if (other === arch) continue;
    const file = `arch/${other}/Makefile`;
    const text = reader.read(file);
    if (text === undefined) continue;
    for (const e of readMakefile(text, { vars: { SRCARCH: other, KBUILD_EXTMOD: '', srctree: '.' }, blocks: true })) {
      if (!TOP_LISTS.has(e.list) || !e.name.endsWith('/') || e.name.includes('$')) continue;
      const folder = posix.normalize(e.name).replace(/\/+$/, '');
      if (folder === '.' || folder.startsWith('..') || folder === 'arch' || folder.startsWith('arch/') || out.has(folder)) continue;
      out.set(folder, { folder, file, line: e.line });
    }
  }
  return ownStrings([...out.values()]);
}
