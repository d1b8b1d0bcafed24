import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Every module reachable from `file` through static imports (`import ... from`, `export ... from`), bare specifiers included. */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) {
    const spec = m[1]!;
    if (spec.startsWith('.')) staticImports(join(dirname(file), spec.replace(/\.js$/, '.ts')), seen);
    else seen.add(spec);
  }
  return seen;
}

describe('SVG renderer loading', () => {
  it('loads Graphviz (WebAssembly) only inside its worker: nothing svg.ts imports statically reaches it', () => {
    const reached = [...staticImports(join(src, 'render/svg.ts'))];
    expect(reached.some((s) => s.includes('svg-finish.ts'))).toBe(true);
    expect(reached.filter((s) => s.includes('@hpcc-js') || s.includes('svg-worker'))).toEqual([]);
    expect([...staticImports(join(src, 'render/svg-worker.ts'))].filter((s) => s.includes('@hpcc-js'))).toEqual([]);
    expect(readFileSync(join(src, 'render/svg-worker.ts'), 'utf8')).toContain("await import('@hpcc-js/wasm-graphviz')");
  });
});
