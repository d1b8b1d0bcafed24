import type { Claim, ClaimName } from '../types/claims.js';

/**
 * TEMPORARY reader, to be replaced by the readers of issue 10 when branches merge: claims from
 * fenced ```pathfind blocks only, one arrow chain per line (`a -> b -> c`, `()` allowed, `...`
 * between two names for skipped calls), a trailing `// file:line` giving the site of the line's
 * last step. Everything outside those blocks is ignored. Pure: `(doc, text) => Claim[]`.
 */
export function readDocument(doc: string, text: string): Claim[] {
  const claims: Claim[] = [];
  let inBlock = false;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (/^\s*```/.test(line)) {
      inBlock = !inBlock && /^\s*```pathfind\s*$/.test(line);
      return;
    }
    if (!inBlock) return;
    const siteMatch = /\s\/\/\s*(\S+):(\d+)\s*$/.exec(line);
    const body = siteMatch ? line.slice(0, siteMatch.index) : line;
    const names: (ClaimName | '...')[] = [];
    for (const m of body.matchAll(/\.\.\.|[A-Za-z_][A-Za-z0-9_]*/g)) {
      names.push(m[0] === '...' ? '...' : { name: m[0], line: i + 1, column: m.index + 1 });
    }
    let from: ClaimName | null = null;
    let gap = false;
    for (const n of names) {
      if (n === '...') gap = true;
      else {
        if (from) claims.push({ doc, form: 'arrows', from, to: n, ...(gap ? { gap: true as const } : {}) });
        [from, gap] = [n, false];
      }
    }
    const last = claims[claims.length - 1];
    if (siteMatch && last && last.to.line === i + 1) last.to.site = { file: siteMatch[1]!, line: Number(siteMatch[2]) };
  });
  return claims;
}
