import { describe, expect, it } from 'vitest';
import { IncludeGraph } from '../../src/index/include-graph.js';
import { seededRandom as random } from '../support/random.js';
import { IncludeResolver, includePathFor, normalisePath } from '../../src/index/include-resolve.js';
import type { IncludeFact } from '../../src/types/facts.js';

/** `"x.h"` or `<x.h>` written as in C, optionally with a condition after `if `. */
function inc(text: string, cond?: string): IncludeFact {
  const system = text.startsWith('<');
  return { path: text.slice(1, -1), system, line: 1, ...(cond ? { cond } : {}) };
}

type Tree = Record<string, string[]>;

/** Files from a map path -> includes written as in C (`<a.h>`, `"b.h"`, `"c.h" if COND`). */
function filesOf(tree: Tree): { path: string; includes: IncludeFact[] }[] {
  return Object.entries(tree).map(([path, incs]) => ({
    path,
    includes: incs.map((t) => {
      const [text, cond] = t.split(' if ');
      return inc(text!, cond);
    }),
  }));
}

const kbuildLike = {
  includePaths: ['arch/{arch}/include', 'arch/{arch}/include/generated', 'include', 'arch/{arch}/include/uapi', 'include/uapi'],
  includeFallbacks: [{ from: 'asm/', to: 'asm-generic/' }],
};

function graphOf(tree: Tree, profile: Parameters<typeof IncludeGraph.build>[1] = kbuildLike, mayHold?: (c: string) => boolean) {
  const files = filesOf(tree);
  const paths = files.map((f) => f.path);
  const graph = IncludeGraph.build(files, profile, 'x86', mayHold);
  const id = (p: string): number => {
    const i = paths.indexOf(p);
    if (i < 0) throw new Error(`no file ${p}`);
    return i;
  };
  /** Path each directive of `from` opens, or null. */
  const opens = (from: string): (string | null)[] => Array.from(graph.includesOf(id(from)), (t) => (t < 0 ? null : paths[t]!));
  const closure = (from: string): string[] => Array.from(graph.closureOf(id(from)), (t) => paths[t]!);
  return { graph, id, opens, closure, paths };
}

describe('normalisePath and includePathFor', () => {
  it('folds . and .. and refuses to climb above the root or start at /', () => {
    expect(normalisePath('drivers/net/../../include/./linux//x.h')).toBe('include/linux/x.h');
    expect(normalisePath('a/../../b.h')).toBeNull();
    expect(normalisePath('/usr/include/stdio.h')).toBeNull();
  });

  it('replaces {arch}, normalises each folder, and keeps the order without duplicates', () => {
    expect(includePathFor({ includePaths: ['arch/{arch}/include/', 'include', './include', '.'] }, 'arm64')).toEqual(['arch/arm64/include', 'include', '']);
  });
});

describe('IncludeResolver', () => {
  const paths = ['drivers/x/x.c', 'drivers/x/types.h', 'drivers/common/c.h', 'include/types.h', 'include/linux/types.h', 'include/uapi/linux/types.h', 'include/uapi/linux/only_uapi.h', 'top.h'];
  const r = new IncludeResolver(paths, ['include', 'include/uapi', '']);

  it('resolves "x.h" beside the including file first, also through ../', () => {
    expect(r.resolve('drivers/x/x.c', 'types.h', false)).toBe(1);
    expect(r.resolve('drivers/x/x.c', '../common/c.h', false)).toBe(2);
  });

  it('resolves "x.h" on the include path when the including folder has none', () => {
    expect(r.resolve('drivers/common/c.h', 'types.h', false)).toBe(3);
    expect(r.resolve('drivers/x/x.c', 'linux/only_uapi.h', false)).toBe(6);
  });

  it('resolves <x.h> on the include path only, never beside the including file', () => {
    expect(r.resolve('drivers/x/x.c', 'types.h', true)).toBe(3);
    expect(r.resolve('drivers/x/x.c', 'x.c', true)).toBe(-1);
  });

  it('takes the include path in order: the first folder holding the name wins', () => {
    expect(r.resolve('drivers/x/x.c', 'linux/types.h', true)).toBe(4);
    const uapiFirst = new IncludeResolver(paths, ['include/uapi', 'include']);
    expect(uapiFirst.resolve('drivers/x/x.c', 'linux/types.h', true)).toBe(5);
  });

  it('searches the parent folders for a quoted name found nowhere else, nearest first, only when asked to', () => {
    const tree = ['gpu/i915/display/intel_display.c', 'gpu/i915/i915_drv.h', 'gpu/i915_drv.h', 'gpu/i915/display/sub/x.c', 'top_only.h', 'include/linux/i915_drv.h'];
    const up = new IncludeResolver(tree, ['include'], [], true);
    expect(up.resolve('gpu/i915/display/intel_display.c', 'i915_drv.h', false)).toBe(1);
    expect(up.resolve('gpu/i915/display/sub/x.c', 'i915_drv.h', false)).toBe(1);
    expect(up.resolve('gpu/i915/display/intel_display.c', 'i915_drv.h', true)).toBe(-1);
    expect(up.resolve('gpu/i915/display/intel_display.c', 'top_only.h', false)).toBe(-1);
    expect(up.resolve('gpu/i915/display/intel_display.c', 'linux/i915_drv.h', false)).toBe(5);
    expect(new IncludeResolver(tree, ['include']).resolve('gpu/i915/display/intel_display.c', 'i915_drv.h', false)).toBe(-1);
  });

  it('searches the root when the include path holds it, and answers -1 for a name no indexed file has', () => {
    expect(r.resolve('drivers/x/x.c', 'top.h', true)).toBe(7);
    expect(r.resolve('drivers/x/x.c', 'generated/autoconf.h', true)).toBe(-1);
    expect(r.resolve('drivers/x/x.c', '../../../etc/passwd', false)).toBe(-1);
  });
});

describe('IncludeGraph resolution', () => {
  it('follows the profile include path for the arch, then the asm-generic fallback', () => {
    const { opens } = graphOf({
      'kernel/a.c': ['<asm/barrier.h>', '<asm/rwonce.h>', '<asm/types.h>', '<asm/nothing.h>', '<linux/kernel.h>'],
      'arch/x86/include/asm/barrier.h': [],
      'arch/arm/include/asm/barrier.h': [],
      'arch/arm/include/asm/rwonce.h': [],
      'include/asm-generic/rwonce.h': [],
      'include/asm-generic/types.h': [],
      'arch/x86/include/uapi/asm/types.h': [],
      'include/linux/kernel.h': [],
    });
    expect(opens('kernel/a.c')).toEqual(['arch/x86/include/asm/barrier.h', 'include/asm-generic/rwonce.h', 'arch/x86/include/uapi/asm/types.h', null, 'include/linux/kernel.h']);
  });

  it('keeps the directive order within a row, unresolved ones as -1', () => {
    const { opens } = graphOf({ 'a.c': ['<generated/autoconf.h>', '"a.h"', '<stdarg.h>'], 'a.h': [] });
    expect(opens('a.c')).toEqual([null, 'a.h', null]);
  });

  it('puts the forced includes (and what they include) in every closure, leaving out those not indexed', () => {
    const profile = { ...kbuildLike, forcedIncludes: ['include/linux/kconfig.h', 'include/linux/missing.h'] };
    const { graph, id, closure } = graphOf({ 'a.c': [], 'include/linux/kconfig.h': ['<generated/autoconf.h>', '<linux/consts.h>'], 'include/linux/consts.h': [] }, profile);
    expect(graph.forcedIncludes).toEqual([id('include/linux/kconfig.h')]);
    expect(closure('a.c')).toEqual(['a.c', 'include/linux/kconfig.h', 'include/linux/consts.h']);
  });
});

describe('IncludeGraph closure', () => {
  const tree: Tree = {
    'net/core/dev.c': ['<linux/netdevice.h>', '"dev.h"'],
    'net/core/dev.h': [],
    'include/linux/netdevice.h': ['<linux/skbuff.h>', '<net/dcbnl.h> if defined(CONFIG_DCB)'],
    'include/linux/skbuff.h': ['<linux/mm.h>'],
    'include/linux/mm.h': ['<linux/sched.h>'],
    'include/linux/sched.h': ['<linux/mm.h>', '<linux/skbuff.h>'],
    'include/net/dcbnl.h': ['<linux/dcb_only.h>'],
    'include/linux/dcb_only.h': [],
    'include/linux/unrelated.h': ['<linux/mm.h>'],
  };

  it('reaches every file through chains of includes, once each, across cycles', () => {
    const { closure } = graphOf(tree);
    expect(closure('net/core/dev.c')).toEqual(['net/core/dev.c', 'net/core/dev.h', 'include/linux/netdevice.h', 'include/linux/skbuff.h', 'include/linux/mm.h', 'include/linux/sched.h', 'include/net/dcbnl.h', 'include/linux/dcb_only.h'].sort((a, b) => treeOrder(a) - treeOrder(b)));
    expect(closure('include/linux/mm.h')).toEqual(['include/linux/skbuff.h', 'include/linux/mm.h', 'include/linux/sched.h']);
  });

  it('sees a file in the closure, itself, and nothing else', () => {
    const { graph, id } = graphOf(tree);
    const dev = id('net/core/dev.c');
    expect(graph.sees(dev, dev)).toBe(true);
    expect(graph.sees(dev, id('include/linux/sched.h'))).toBe(true);
    expect(graph.sees(dev, id('include/linux/unrelated.h'))).toBe(false);
    expect(graph.sees(id('include/linux/sched.h'), id('include/linux/skbuff.h'))).toBe(true);
    expect(graph.sees(id('include/linux/sched.h'), dev)).toBe(false);
    expect(graph.sees(-1, dev)).toBe(false);
    expect(graph.sees(dev, -1)).toBe(false);
    expect(graph.sees(-1, -1)).toBe(false);
  });

  it('gives the same answers whatever order the callers are asked in (current closure, memo, recomputation)', () => {
    const { graph, paths } = graphOf(tree);
    const truth = paths.map((_, c) => paths.map((__, f) => graph.sees(c, f)));
    const fresh = graphOf(tree).graph;
    for (let round = 0; round < 2; round++) {
      for (let c = paths.length - 1; c >= 0; c--) {
        fresh.closureOf((c * 5) % paths.length);
        for (let f = 0; f < paths.length; f++) expect(fresh.sees(c, f)).toBe(truth[c]![f]);
      }
    }
    for (let c = 0; c < paths.length; c++) expect(fresh.closureSize(c)).toBe(truth[c]!.filter(Boolean).length);
  });

  it('gives the same answers when callers are asked about in turn, more of them than closures it keeps marked', () => {
    const { graph, paths } = graphOf(tree);
    const truth = paths.map((_, c) => paths.map((__, f) => graph.sees(c, f)));
    expect(paths.length).toBeGreaterThan(8);
    const r = random(13);
    const fresh = graphOf(tree).graph;
    for (let k = 0; k < 2000; k++) {
      // Mostly a few callers in turn (a caller and the files of tied definitions), sometimes any.
      const c = r() < 0.8 ? Math.floor(r() * 3) : Math.floor(r() * paths.length);
      const f = Math.floor(r() * paths.length);
      expect(fresh.sees(c, f)).toBe(truth[c]![f]);
      if (k % 97 === 0) expect(fresh.closureSize(c)).toBe(truth[c]!.filter(Boolean).length);
    }
  });

  it('does not follow an include whose condition is certainly false', () => {
    const { graph, id, closure } = graphOf(tree, kbuildLike, (cond) => cond !== 'defined(CONFIG_DCB)');
    expect(closure('net/core/dev.c')).not.toContain('include/net/dcbnl.h');
    expect(closure('net/core/dev.c')).not.toContain('include/linux/dcb_only.h');
    expect(graph.sees(id('net/core/dev.c'), id('include/linux/skbuff.h'))).toBe(true);
    expect(graph.follows(id('include/linux/netdevice.h'), 1)).toBe(false);
    expect(graph.follows(id('include/linux/netdevice.h'), 0)).toBe(true);
  });

  it('gives one shortest include chain, null when the file is not visible', () => {
    const { graph, id, paths } = graphOf(tree);
    const via = (a: string, b: string): string[] | null => graph.includedVia(id(a), id(b))?.map((f) => paths[f]!) ?? null;
    expect(via('net/core/dev.c', 'include/linux/sched.h')).toEqual(['net/core/dev.c', 'include/linux/netdevice.h', 'include/linux/skbuff.h', 'include/linux/mm.h', 'include/linux/sched.h']);
    expect(via('net/core/dev.c', 'net/core/dev.c')).toEqual(['net/core/dev.c']);
    expect(via('net/core/dev.c', 'include/linux/unrelated.h')).toBeNull();
    const pruned = graphOf(tree, kbuildLike, () => false);
    expect(pruned.graph.includedVia(pruned.id('net/core/dev.c'), pruned.id('include/linux/dcb_only.h'))).toBeNull();
  });

  it('answers the same from its snapshot', () => {
    const { graph, paths } = graphOf(tree);
    const copy = IncludeGraph.fromSnapshot(structuredClone(graph.snapshot()));
    for (let c = 0; c < paths.length; c++) expect(Array.from(copy.closureOf(c))).toEqual(Array.from(graph.closureOf(c)));
  });

  /** Position of a path in the tree above: file ids are in that order. */
  function treeOrder(p: string): number {
    return Object.keys(tree).indexOf(p);
  }
});
