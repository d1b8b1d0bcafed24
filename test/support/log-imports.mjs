// Loaded with `node --import ./test/support/log-imports.mjs`: every module the process loads is
// written to stderr as `loaded URL`, so a test can check which renderers a command loaded. The
// hooks run on their own thread, whose process.stderr is relayed to the main thread
// asynchronously and can lose lines when the process exits; writeSync to fd 2 cannot.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`import { writeSync } from 'node:fs'; export async function load(url, context, next) { writeSync(2, 'loaded ' + url + '\\n'); return next(url, context); }`)}`,
);
