#!/usr/bin/env node
import { statSync } from 'node:fs';

// dist/pathfind.js is dist/cli/main.js bundled into one module (scripts/bundle.mjs, made by npm run
// build), which loads faster; it is used only when it is at least as new as what tsc built.
const built = (path) => {
  try {
    return statSync(new URL(path, import.meta.url)).mtimeMs;
  } catch {
    return -1;
  }
};
const entry = built('../dist/pathfind.js') >= built('../dist/cli/main.js') ? '../dist/pathfind.js' : '../dist/cli/main.js';
const { main } = await import(entry);
main(process.argv).then((code) => { process.exitCode = code; });
