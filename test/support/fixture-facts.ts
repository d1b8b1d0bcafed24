import { discoverFiles } from '../../src/index/discover-files.js';
import { fileParser } from '../../src/parse/file-parser.js';
import { detectProfile } from '../../src/profiles/index.js';
import type { FileFacts } from '../../src/types/facts.js';

/** Every file of two fixture trees (minikernel, macrodef/ops) as the parse workers hand its facts over: their JSON text, and the facts parsed from it. */
export function* fixtureFactsHandedOver(): Generator<{ json: string; facts: FileFacts }> {
  for (const root of ['fixtures/minikernel', 'fixtures/macrodef/ops']) {
    const profile = detectProfile(root);
    const parse = fileParser(root, profile);
    for (const f of discoverFiles(root, profile)) {
      const json = JSON.stringify(parse(f.path));
      yield { json, facts: JSON.parse(json) as FileFacts };
    }
  }
}
