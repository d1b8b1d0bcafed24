// Checks that no code file of ours passes 400 lines (the architecture's "small files"): the sources, tests, scripts and benches, not the C fixtures.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const MAX_LINES = 400;
const root = new URL('..', import.meta.url).pathname;
const folders = ['src', 'test', 'scripts', 'bench', 'bin'];
const code = /\.(ts|mjs|cjs|js)$/;

/** Every code file under dir, in subfolders too, but fixtures (C trees and their expected outputs, data rather than code). */
function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (e.name !== 'fixtures' && e.name !== 'node_modules') yield* files(join(dir, e.name));
    } else if (code.test(e.name)) yield join(dir, e.name);
  }
}

let bad = 0;
for (const folder of folders) {
  for (const file of files(join(root, folder))) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (lines > MAX_LINES) {
      console.error(`${relative(root, file)}: ${lines} lines, more than ${MAX_LINES}: split it`);
      bad++;
    }
  }
}
if (bad) process.exit(1);
console.log(`lengths ok (at most ${MAX_LINES} lines a file)`);
