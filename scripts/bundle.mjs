// Bundles the built CLI (dist/cli/main.js and every module it imports, node_modules left out) into
// one CommonJS script, dist/pathfind.cjs, which bin/pathfind.js compiles instead: one script instead
// of some 150 modules loads about 60 ms faster, and a script (unlike a module, in Node 20) can be
// compiled with a V8 code cache (bin/pathfind.js), some 70 ms more. Run by `npm run build` after
// tsc. Modules that find files beside themselves (`new URL('./x-worker.js', import.meta.url)`: the
// worker threads' scripts, package.json, assets) are given their own dist/ address in place of
// import.meta.url, made from `__pathfindBundleUrl` (the bundle's address, which bin/pathfind.js
// passes in), so they find the same files from the bundle. Without esbuild (it comes with vitest),
// no bundle is made and bin/pathfind.js loads dist/cli/main.js as before.
import { readFileSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
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
  packages: 'external',
  logLevel: 'warning',
  plugins: [ownAddress],
});
