#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.top_pad=67108864:${GLIBC_TUNABLES} node
// The line above runs node with glibc's malloc tuned for the large typed arrays a query decodes
// from the graph cache and makes (cli/young-generation.ts LAUNCHER_TUNABLES, which must be these
// very tunables; other C libraries ignore them; a GLIBC_TUNABLES of the user's comes after them,
// so it may set each otherwise): transparent huge pages (glibc.malloc.hugetlb=1: madvise
// MADV_HUGEPAGE on the memory it maps), and blocks up to 32 MiB taken from and freed to malloc's
// arena, which keeps them for reuse and grows 64 MiB at a time. Page faults are costly where
// page-table isolation is on: a whole kernel's warm path query took 11,600-20,000 and a query after
// a function added 59,000-64,000 with huge pages alone, some 5,000 and 34,000 so (Linux 6.1, 2
// cores; young-generation.ts has the times). Tunables are read only when a process starts, so they
// are set by the line that starts node (`node bin/pathfind.js` goes without).
import { isAscii } from 'node:buffer';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { constants, Script } from 'node:vm';

// A warm query waits for find's listing of the tree more than for anything else: it is started
// now, before the bundle loads, as the last listing for the same tree and cache folder was made
// (index/early-listing.ts; the command takes it over only when its own arguments are the same).
// A build from before it has no such module: the command then lists the tree itself.
try {
  (await import('../dist/index/early-listing.js')).startEarlyListing(process.argv.slice(2));
} catch {
  // no early listing
}

// dist/pathfind.cjs is dist/cli/main.js bundled into one script (scripts/bundle.mjs, made by npm run
// build); it is used only when it is at least as new as what tsc built, else dist/cli/main.js is
// imported. The script is compiled with V8's code cache kept beside it (`pathfind.cjs.<flags>.v8`):
// compiling the 870 KB bundle and the functions a query runs costs some 100 ms on every start
// otherwise (Node 20 has no module compile cache: module.enableCompileCache is Node 22's).
const bundleUrl = new URL('../dist/pathfind.cjs', import.meta.url);
const stat = (url) => {
  try {
    return statSync(url);
  } catch {
    return null;
  }
};
const bundle = stat(bundleUrl);
const tsc = stat(new URL('../dist/cli/main.js', import.meta.url));
const { main, keepCodeCache } = bundle && bundle.mtimeMs >= (tsc?.mtimeMs ?? -1) ? runBundle(bundle) : { main: (await import('../dist/cli/main.js')).main };
main(process.argv).then((code) => {
  process.exitCode = code;
  keepCodeCache?.();
  // Once nothing is left to do (the answer written, the cache writer's thread ended, the rows
  // kept: the event loop is empty), the process exits at once instead of letting node tear V8's
  // heap down: freeing every array a query made (several hundred MB after an edit) cost the end of
  // a command 30 to 200 ms. stdout and stderr are written synchronously to files, pipes and
  // terminals on POSIX, so nothing written is lost. Measured on a whole Linux 6.1 x86 tree (2
  // cores, alternated, 4 runs each, medians): a function added then the path query 1.67 s
  // instead of 1.88 s, removed 1.54 s instead of 1.69 s, a member assignment added 1.96 s
  // instead of 2.10 s, removed 1.89 s instead of 1.97 s; a warm query 0.42 s either way.
  process.once('beforeExit', () => process.exit());
});

/**
 * Compiles and runs the bundle as a CommonJS script with the code cache of the same bundle, node
 * and node flags (V8 rejects a cache of another V8 or of other flags; it checks the source only by
 * its length, so the cache names the bundle it was made from: size, mtime and inode, which every
 * build changes). `keepCodeCache` writes the cache, once the command is done (so that it holds
 * the functions it ran), when there was none or it was rejected; a folder that cannot be written is no error.
 */
function runBundle(st) {
  const path = fileURLToPath(bundleUrl);
  // The flags key the file: a node started with other flags (the cold index's larger young generation) keeps its own.
  const flags = [...process.execArgv.join(' ')].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7).toString(36);
  const cachePath = `${path}.${flags}.v8`;
  const identity = Buffer.from(`${st.size}:${st.mtimeMs}:${st.ino}:${process.version}\n`);
  let cachedData;
  try {
    const file = readFileSync(cachePath);
    if (file.subarray(0, identity.length).equals(identity)) cachedData = file.subarray(identity.length);
  } catch {
    // no cache yet
  }
  // The bundle is ASCII (scripts/bundle.mjs checks): read as latin1, the same characters become a
  // one-byte string at once, which V8 also scans faster than the two-byte string a single character
  // past ASCII makes of it. Decoding 1.4 MB took 11 ms of a warm query as UTF-8 with five such characters.
  const bytes = readFileSync(path);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __pathfindBundleUrl) {${source}\n})`, {
    filename: path,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(path), module, path, fileURLToPath(new URL('.', bundleUrl)), bundleUrl.href);
  const keepCodeCache = () => {
    if (cachedData && !script.cachedDataRejected) return;
    const temporary = `${cachePath}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, Buffer.concat([identity, script.createCachedData()]));
      renameSync(temporary, cachePath);
    } catch {
      rmSync(temporary, { force: true });
    }
  };
  return { main: module.exports.main, keepCodeCache };
}
