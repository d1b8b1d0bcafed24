// Bundles the built CLI (dist/cli/main.js and every module it imports, node_modules left out but commander) into
// one CommonJS script, dist/pathfind.cjs, which bin/pathfind.js compiles instead: one script instead
// of some 150 modules loads about 60 ms faster, and a script (unlike a module, in Node 20) can be
// compiled with a V8 code cache (bin/pathfind.js), some 70 ms more. Run by `npm run build` after
// tsc. Modules that find files beside themselves (`new URL('./x-worker.js', import.meta.url)`: the
// worker threads' scripts, package.json, assets) are given their own dist/ address in place of
// import.meta.url, made from `__pathfindBundleUrl` (the bundle's address, which bin/pathfind.js
// passes in), so they find the same files from the bundle. Without esbuild (it comes with vitest),
// no bundle is made and bin/pathfind.js loads dist/cli/main.js as before.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const outfile = `${dist}pathfind.cjs`;
// The ES module bundle of earlier builds, which nothing loads now.
rmSync(`${dist}pathfind.js`, { force: true });

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  rmSync(outfile, { force: true });
  console.error('bundle: esbuild is not installed; bin/pathfind.js loads dist/cli/main.js');
  process.exit(0);
}

/** Each module's import.meta.url as the address of its own file in dist/, relative to the bundle's. */
const ownAddress = {
  name: 'own-address',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!args.path.startsWith(dist) || !text.includes('import.meta.url')) return { contents: text, loader: 'js' };
      const own = `new URL(${JSON.stringify(`./${relative(dist, args.path)}`)}, __pathfindBundleUrl).href`;
      return { contents: text.replaceAll('import.meta.url', own), loader: 'js' };
    });
  },
};

await esbuild.build({
  entryPoints: [`${dist}cli/main.js`],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Every package stays in node_modules but commander, which every command loads: in the bundle it is
  // compiled with the bundle's code cache (a path query on minikernel, 20 runs of each taken in turn:
  // 177 ms of CPU against 189 ms, medians, load 5-7).
  external: Object.keys(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).dependencies).filter((name) => name !== 'commander'),
  logLevel: 'warning',
  plugins: [ownAddress],
});

// bin/pathfind.js reads an ASCII bundle as latin1 (faster, and a one-byte string for V8): esbuild escapes
// strings past ASCII, not regular expression literals, so a source pattern writes such characters as \u escapes.
{
  const text = readFileSync(outfile, 'utf8');
  const at = text.search(/[^\x00-\x7f]/);
  if (at >= 0) console.error(`bundle: a character past ASCII at offset ${at} (${JSON.stringify(text.slice(Math.max(0, at - 40), at + 10))}): bin/pathfind.js reads the bundle as UTF-8, slower; write it as a \\u escape in the source`);
}

// The code caches of earlier bundles are of no use; the cache of this one is made by a path query
// on the minikernel fixture (bin/pathfind.js writes it after a run that found none), so that it
// holds the functions a query runs, not only those of whatever command happens to run first.
for (const f of readdirSync(dist)) if (/^pathfind\.cjs\..*\.v8$/.test(f)) rmSync(`${dist}${f}`, { force: true });
const scratch = mkdtempSync(join(tmpdir(), 'pathfind-bundle-'));
try {
  const repo = fileURLToPath(new URL('..', import.meta.url));
  spawnSync(process.execPath, [`${repo}bin/pathfind.js`, '-q', '--cache', scratch, '-C', `${repo}fixtures/minikernel`, '-s', 'ksys_write', '-t', 'drv_wake_tx_queue'], { stdio: 'ignore' });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
