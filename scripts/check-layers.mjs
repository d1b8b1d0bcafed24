// Checks the pipeline's layering: a stage imports only from stages before it (and util, types, profiles).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const order = ['util', 'types', 'profiles', 'parse', 'index', 'resolve', 'graph', 'render', 'api', 'cli'];
const base = new URL('../src/', import.meta.url).pathname;
let bad = 0;
for (const stage of order) {
  const dir = join(base, stage);
  for (const file of readdirSync(dir)) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/from '\.\.\/(\w+)\//g)) {
      const to = m[1];
      const shared = ['util', 'types', 'profiles'].includes(to);
      if (to !== stage && !(shared && order.indexOf(to) <= order.indexOf(stage)) && !(order.indexOf(to) < order.indexOf(stage))) {
        console.error(`src/${stage}/${file} imports ../${to}/ (a later stage)`);
        bad++;
      }
    }
  }
}
if (bad) process.exit(1);
console.log('layers ok');
