import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The compiled worker script `name` (`parse-worker.js`) beside the module whose `import.meta.url`
 * is `moduleUrl`; when that module runs from the TypeScript sources (tests), the built copy at the
 * same place under dist/ (`src/index/parse-worker.js` -> `dist/index/parse-worker.js`). Null when
 * neither file exists (no build yet).
 */
export function workerScriptBeside(name: string, moduleUrl: string): URL | null {
  const here = new URL(`./${name}`, moduleUrl);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL(here.href.replace(/\/src\/(?=[^/]+\/[^/]+$)/, '/dist/'));
  return existsSync(fileURLToPath(built)) ? built : null;
}
