import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workerScriptBeside } from '../../src/util/worker-script.js';

describe('a worker script beside its module', () => {
  it('is the one beside the module, else the built copy under dist/, else none', () => {
    const root = mkdtempSync(join(tmpdir(), 'pathfind-worker-'));
    mkdirSync(join(root, 'src/index'), { recursive: true });
    mkdirSync(join(root, 'dist/index'), { recursive: true });
    const fromSources = pathToFileURL(join(root, 'src/index/parse-files.ts')).href;
    expect(workerScriptBeside('parse-worker.js', fromSources)).toBeNull();
    writeFileSync(join(root, 'dist/index/parse-worker.js'), '');
    expect(workerScriptBeside('parse-worker.js', fromSources)?.href).toBe(pathToFileURL(join(root, 'dist/index/parse-worker.js')).href);
    writeFileSync(join(root, 'src/index/parse-worker.js'), '');
    expect(workerScriptBeside('parse-worker.js', fromSources)?.href).toBe(pathToFileURL(join(root, 'src/index/parse-worker.js')).href);
  });
});
