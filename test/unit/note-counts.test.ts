import { describe, expect, it } from 'vitest';
import { builtOnlyTreeNotes } from '../../src/api/built-only.js';
import { treeExcludeNotes } from '../../src/cli/option-notes.js';
import type { CodeIndex } from '../../src/index/code-index.js';
import { renderTreeText } from '../../src/render/text.js';
import type { TreeItem, TreeResult } from '../../src/types/results.js';

/** Counts in notes and marks have comma thousands separators, as paths' `one of 2,745 targets` and pictures' captions do. */
describe('counts in notes', () => {
  const index = { bindingScope: { activity: { configSource: 'arch/x86/configs/x86_64_defconfig' } } } as unknown as CodeIndex;
  const fn = { name: 'f', file: 'a.c', line: 1 };
  const tree = (root: Partial<TreeItem>, extra: Partial<TreeResult> = {}): TreeResult => ({ direction: 'callees', function: fn, root: { node: fn, children: [], ...root }, ...extra });

  it('--built-only and --exclude notes', () => {
    expect(builtOnlyTreeNotes(index, [tree({}, { leftOutNotBuilt: 2935 })], true, true)).toEqual(['--built-only left out 2,935 calls of code not built with arch/x86/configs/x86_64_defconfig']);
    const many = Array.from({ length: 4409 }, (_, i) => ({ node: { name: `g${i}`, file: 'b.c', line: i + 1, ...(i < 2935 ? { notBuilt: 'not built' } : {}) }, children: [] }));
    expect(builtOnlyTreeNotes(index, [tree({ children: many })], false, true)).toEqual(['2,935 of the 4,409 functions in the tree of f are not built with arch/x86/configs/x86_64_defconfig; --built-only leaves such code out']);
    expect(treeExcludeNotes([tree({}, { leftOutExcluded: 1234, excludesMatched: ['pr_*'] })], ['pr_*'])).toEqual(['--exclude left out 1,234 calls']);
  });

  it("a tree's mark of calls left out", () => {
    expect(renderTreeText([tree({ leftOutNotBuilt: 1059 })], { color: false })).toContain('[1,059 calls left out: not built]');
  });
});
