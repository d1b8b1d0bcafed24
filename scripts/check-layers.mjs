// Checks the pipeline's layering: a stage imports only from stages before it (and util, types, profiles).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const order = ['util', 'types', 'profiles', 'parse', 'index', 'resolve', 'cache', 'graph', 'render', 'api', 'check', 'cli'];
const base = new URL('../src/', import.meta.url).pathname;
let bad = 0;

/** Every .ts file under dir, in subfolders too. */
function* sources(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) yield* sources(join(dir, e.name));
    else if (e.name.endsWith('.ts')) yield join(dir, e.name);
  }
}

for (const stage of order) {
  for (const file of sources(join(base, stage))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/from '(\.[^']+)'/g)) {
      const to = relative(base, resolve(dirname(file), m[1])).split('/')[0];
      if (!order.includes(to) || to === stage) continue;
      const shared = ['util', 'types', 'profiles'].includes(to);
      if (!(shared && order.indexOf(to) <= order.indexOf(stage)) && !(order.indexOf(to) < order.indexOf(stage))) {
        console.error(`${relative(base, file)} imports ${m[1]} (a later stage)`);
        bad++;
      }
    }
  }
}
if (bad) process.exit(1);
console.log('layers ok');
