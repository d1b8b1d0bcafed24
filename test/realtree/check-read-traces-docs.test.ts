import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDotDiagram } from '../../src/check/read-dot.js';
import { readTraceFile } from '../../src/check/read-traces.js';
import type { Claim } from '../../src/types/claims.js';

/**
 * The real-kernel tier for the trace and diagram readers: Linux 6.1's own Documentation/ (read
 * only). Every diagram must parse, every claim must point at its names, and known stacks read as
 * they are written. Runs when PATHFIND_LINUX names the tree.
 */
const tree = process.env.PATHFIND_LINUX;

/** Files under dir whose names match, sorted for a stable order. */
function files(dir: string, match: RegExp): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p, match));
    else if (match.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** Every claimed name stands at its 1-based line and column. */
function misplaced(text: string, claims: Claim[], names: (c: Claim) => { name: string; line: number; column: number }[]): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  return claims.flatMap(names).filter((n) => !lines[n.line - 1]?.slice(n.column - 1).startsWith(n.name)).map((n) => `${n.name}@${n.line}:${n.column}`);
}

describe.skipIf(!tree)('trace and diagram readers on Linux 6.1 Documentation/', () => {
  const docs = tree ? join(tree, 'Documentation') : '';

  it('reads every .dot diagram (Graphviz separators graphlib-dot lacks included), each edge at its line', () => {
    const dots = files(docs, /\.(dot|gv)$/);
    expect(dots.length).toBeGreaterThan(10);
    for (const f of dots) {
      const text = readFileSync(f, 'utf8');
      const claims = readDotDiagram(relative(tree!, f), text);
      const lines = text.split(/\r\n|\r|\n/);
      // The id of each edge end is on the claimed line (a label may name the function elsewhere).
      for (const c of claims) expect(lines[c.from.line - 1], `${f}:${c.from.line}`).toMatch(/->|--/);
    }
  });

  it('every trace claim in .rst and .txt files points at its names', () => {
    let total = 0;
    for (const f of files(docs, /\.(rst|txt)$/)) {
      const text = readFileSync(f, 'utf8');
      const claims = readTraceFile(f, text);
      total += claims.length;
      expect(misplaced(text, claims, (c) => [c.from, c.to]), f).toEqual([]);
    }
    expect(total).toBeGreaterThan(100);
  });

  it('known stacks read as written: ftrace.rst, and an interrupt stack in rtla-timerlat-top.rst', () => {
    const read = (p: string): string[] => readTraceFile(p, readFileSync(join(docs, p), 'utf8')).map((c) => `${c.from.name}>${c.to.name}@${c.to.line}`);
    expect(read('trace/ftrace.rst')).toContain('vfs_read>seq_read@934');
    const rtla = read('tools/rtla/rtla-timerlat-top.rst');
    expect(rtla.filter((s) => s.startsWith('try_to_wake_up>_raw_spin_unlock_irqrestore'))).toHaveLength(1);
    expect(rtla.filter((s) => s.includes('>asm_sysvec_apic_timer_interrupt'))).toEqual([]);
  });
});
