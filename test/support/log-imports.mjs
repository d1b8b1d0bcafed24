// Loaded with `node --import ./test/support/log-imports.mjs`: every module the process loads is
// written to stderr as `loaded URL`, so a test can check which renderers a command loaded.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`export async function load(url, context, next) { process.stderr.write('loaded ' + url + '\\n'); return next(url, context); }`)}`,
);
