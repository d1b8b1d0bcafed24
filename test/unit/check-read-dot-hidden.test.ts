import { describe, expect, it } from 'vitest';
import { readDotDiagram } from '../../src/check/read-dot.js';
import { LEGEND_CLUSTER } from '../../src/render/dot.js';
import type { Claim } from '../../src/types/claims.js';

/** What the DOT reader leaves out: what a picture draws that is no call. */
const steps = (claims: Claim[]): string[] => claims.map((c) => `${c.from.name}>${c.to.name}`);

describe('DOT edges that draw no call', () => {
  it('invisible edges (style invis, alone, in a list, any case, or from an edge default) are left out', () => {
    const text = ['digraph {', '  a_fn -> b_fn [style=invis];', '  a_fn -> c_fn [style="dashed,INVIS"];', '  a_fn -> d_fn [style=dashed];', '  subgraph s { edge [style=invis]; e_fn -> f_fn; }', '}', ''].join('\n');
    expect(steps(readDotDiagram('g.dot', text))).toEqual(['a_fn>d_fn']);
  });

  it('edges to or from an invisible node are left out', () => {
    const text = 'digraph {\n  h [label="hidden_fn", style=invis];\n  h -> x_fn;\n  y_fn -> h;\n  y_fn -> x_fn;\n}\n';
    expect(steps(readDotDiagram('g.dot', text))).toEqual(['y_fn>x_fn']);
  });

  it("pathfind's legend subgraph is no call, even with a visible edge, at any depth", () => {
    const text = `digraph {\n  subgraph "${LEGEND_CLUSTER}" {\n    legend0 [label="path 1: 6 calls"];\n    legend1 [label="path 2: 6 calls"];\n    legend0 -> legend1;\n    subgraph inner { legend2 [label="path 3: 7 calls"]; legend1 -> legend2; }\n  }\n  k_fn -> m_fn;\n}\n`;
    expect(steps(readDotDiagram('g.dot', text))).toEqual(['k_fn>m_fn']);
  });

  it('a node whose label names no function names none, whatever its id (pathfind summarises nodes --max-nodes left out so)', () => {
    const text = 'digraph {\n  n2 [label="+24 callers (10 files)", shape=note, style=dashed];\n  n0 [label="x_fn"];\n  n2 -> n0;\n  y_fn -> n0;\n  z_fn;\n  z_fn -> n0;\n}\n';
    expect(steps(readDotDiagram('g.dot', text))).toEqual(['y_fn>x_fn', 'z_fn>x_fn']);
  });
});
