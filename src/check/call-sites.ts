import type { CodeIndex } from '../index/code-index.js';
import type { EdgeList } from '../resolve/edge-list.js';

/** A place in the tree: a repository-relative file and a 1-based line. */
export interface Site {
  file: string;
  line: number;
}

/**
 * Call sites by caller node, for the callers asked for only: one pass over the EdgeList (every
 * parallel edge, not just the one the folded call graph keeps), so that a document's `file:line`
 * can be matched against any call of the caller to the callee.
 */
export class CallSites {
  private readonly byCaller = new Map<number, number[]>();

  constructor(
    private readonly index: CodeIndex,
    private readonly edges: EdgeList,
    callers: ReadonlySet<number>,
  ) {
    if (callers.size === 0) return;
    const from = edges.from.view();
    for (let e = 0; e < from.length; e++) {
      const f = from[e]!;
      if (!callers.has(f)) continue;
      let list = this.byCaller.get(f);
      if (!list) this.byCaller.set(f, (list = []));
      list.push(e);
    }
  }

  /** Where any of `from` calls any of `to`, then where each of `to` is defined; sorted by file and line, once each. */
  of(from: readonly number[], to: readonly number[]): { calls: Site[]; definitions: Site[] } {
    const targets = new Set(to);
    const calls: Site[] = [];
    for (const f of from) {
      for (const e of this.byCaller.get(f) ?? []) {
        if (targets.has(this.edges.to.get(e))) calls.push({ file: this.index.file(f), line: this.edges.line.get(e) });
      }
    }
    const definitions = to.filter((t) => !this.index.isExternal(t)).map((t) => ({ file: this.index.file(t), line: this.index.nodeLine[t]! }));
    return { calls: uniqueSites(calls), definitions: uniqueSites(definitions) };
  }
}

/** True when a document's `file:line` names this site: the same line (any, for line 0: a file written alone), and the same file or one path a suffix of the other (`tcp.c` for `net/ipv4/tcp.c`). */
export function sameSite(written: Site, site: Site): boolean {
  return (written.line === 0 || written.line === site.line) && sameFile(written.file, site.file);
}

/** A site as `file:line`, or the file alone for line 0. */
export const siteText = (s: Site): string => (s.line ? `${s.file}:${s.line}` : s.file);

/** True when a document's file names this repository-relative file: the same path, or one a suffix of the other at a `/`. */
export function sameFile(written: string, file: string): boolean {
  const a = written.replace(/^\.\//, '');
  return a === file || file.endsWith(`/${a}`) || a.endsWith(`/${file}`);
}

function uniqueSites(sites: Site[]): Site[] {
  const seen = new Map(sites.map((s) => [`${s.file}\0${String(s.line).padStart(9, '0')}`, s]));
  return [...seen.keys()].sort().map((k) => seen.get(k)!);
}
