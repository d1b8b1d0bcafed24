#!/usr/bin/env node
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { constants, Script } from 'node:vm';

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
  const source = readFileSync(path, 'utf8');
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
