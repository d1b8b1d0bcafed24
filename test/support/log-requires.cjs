// Loaded with `node --require ./test/support/log-requires.cjs`: every CommonJS module the process
// loads through require (createRequire included), the packages a module loads on demand, is
// written to stderr as `required PATH` (log-imports.mjs sees ES modules only).
const Module = require('node:module');
const { writeSync } = require('node:fs');

const load = Module._load;
Module._load = function (request, parent, isMain) {
  const loaded = load.apply(this, arguments);
  try {
    writeSync(2, `required ${Module._resolveFilename(request, parent, isMain)}\n`);
  } catch {
    // a built-in module (node:fs): not a file
  }
  return loaded;
};
