/**
 * Where each edge of a DOT graph is written. graphlib-dot parses DOT but keeps no positions, so
 * this small scan of the DOT grammar's tokens finds every `a -> b` (or `a -- b`) in the text, with
 * the 1-based line and column of both node ids, for read-dot.ts to pin graphlib's edges to lines.
 * It follows the grammar only as far as edge statements need: ids (plain, numeral, quoted, HTML),
 * comments (`//`, `/* *\/`, `#` lines), ports (`a:p:n`), attribute lists and `{ }` groups as an
 * end of an edge (`a -> {b c}` is a -> b and a -> c).
 */

/** A token of DOT text and where it starts (1-based). `value` is a quoted id's content with `\"` undone. */
interface Token {
  kind: 'id' | 'quoted' | 'html' | 'op' | 'punct';
  value: string;
  line: number;
  column: number;
  /** Offsets of the token's first character and of the character after it in the text. */
  start: number;
  end: number;
}

/** A node id as written at one end of an edge, and where (the column of a quoted id is that of its first character inside the quotes). */
export interface WrittenEnd {
  id: string;
  line: number;
  column: number;
}

/** One edge as written: `from -> to` (or `from -- to`), in text order. */
export interface WrittenEdge {
  from: WrittenEnd;
  to: WrittenEnd;
}

/** The DOT keywords, which are no node ids unless quoted (any case, per the DOT grammar). */
const KEYWORDS = new Set(['node', 'edge', 'graph', 'digraph', 'subgraph', 'strict']);

/** The tokens of DOT text, comments and whitespace dropped. */
function tokens(text: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const advance = (to: number): void => {
    for (; i < to; i++) {
      if (text[i] === '\n') {
        line++;
        lineStart = i + 1;
      }
    }
  };
  while (i < text.length) {
    const c = text[i]!;
    const rest = text.slice(i, i + 2);
    const start = { line, column: i - lineStart + 1 };
    if (/\s/.test(c)) advance(i + 1);
    else if (rest === '//' || (c === '#' && i === lineStart)) advance(text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i));
    else if (rest === '/*') advance(text.indexOf('*/', i + 2) < 0 ? text.length : text.indexOf('*/', i + 2) + 2);
    else if (rest === '->' || rest === '--') {
      out.push({ kind: 'op', value: rest, ...start, start: i, end: i + 2 });
      advance(i + 2);
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out.push({ kind: 'quoted', value: text.slice(i + 1, j).replace(/\\"/g, '"'), line, column: start.column + 1, start: i, end: j + 1 });
      advance(j + 1);
    } else if (c === '<') {
      let depth = 0;
      let j = i;
      for (; j < text.length; j++) {
        if (text[j] === '<') depth++;
        else if (text[j] === '>' && --depth === 0) break;
      }
      out.push({ kind: 'html', value: text.slice(i + 1, j), ...start, start: i, end: j + 1 });
      advance(j + 1);
    } else {
      const m = /^(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*|-?(?:\.\d+|\d+(?:\.\d*)?))/.exec(text.slice(i, i + 4096));
      const len = m ? m[0].length : 1;
      out.push({ kind: m ? 'id' : 'punct', value: m ? m[0] : c, ...start, start: i, end: i + len });
      advance(i + len);
    }
  }
  return out;
}

const isId = (t: Token | undefined): t is Token => !!t && (t.kind === 'quoted' || t.kind === 'html' || (t.kind === 'id' && !KEYWORDS.has(t.value.toLowerCase())));
const end = (t: Token): WrittenEnd => ({ id: t.value, line: t.line, column: t.column });

/** The node ids of a `{ ... }` group starting at index `open`: ids that are not attribute names or values, ports, or keywords. */
function groupIds(toks: Token[], open: number): { ids: WrittenEnd[]; close: number } {
  const ids: WrittenEnd[] = [];
  let depth = 0;
  let inAttrs = 0;
  let i = open;
  for (; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind === 'punct' && t.value === '{') depth++;
    else if (t.kind === 'punct' && t.value === '}' && --depth === 0) break;
    else if (t.kind === 'punct' && t.value === '[') inAttrs++;
    else if (t.kind === 'punct' && t.value === ']') inAttrs--;
    else if (!inAttrs && isId(t) && toks[i - 1]?.value !== ':' && toks[i - 1]?.value !== '=' && toks[i + 1]?.value !== '=') ids.push(end(t));
  }
  return { ids, close: i };
}

/** The group `{...}` that ends at index `close` (a `}`): the index of its `{`. */
function groupOpen(toks: Token[], close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const v = toks[i]!.kind === 'punct' ? toks[i]!.value : '';
    if (v === '}') depth++;
    else if (v === '{' && --depth === 0) return i;
  }
  return 0;
}

/** The node ids of the edge end just before the operator at index `op`. */
function leftEnds(toks: Token[], op: number): WrittenEnd[] {
  let k = op - 1;
  // Skip ports: `id:port` or `id:port:compass`.
  while (k >= 2 && toks[k - 1]?.value === ':' && toks[k - 1]?.kind === 'punct') k -= 2;
  const t = toks[k];
  if (t?.kind === 'punct' && t.value === '}') return groupIds(toks, groupOpen(toks, k)).ids;
  return isId(t) ? [end(t)] : [];
}

/** The node ids of the edge end just after the operator at index `op`. */
function rightEnds(toks: Token[], op: number): WrittenEnd[] {
  let k = op + 1;
  if (toks[k]?.kind === 'id' && toks[k]!.value.toLowerCase() === 'subgraph') k += isId(toks[k + 1]) ? 2 : 1;
  const t = toks[k];
  if (t?.kind === 'punct' && t.value === '{') return groupIds(toks, k).ids;
  return isId(t) ? [end(t)] : [];
}

/** Every edge written in DOT text, in text order: one per pair of ends of each `->`/`--`. */
export function writtenEdges(text: string): WrittenEdge[] {
  const toks = tokens(text);
  const edges: WrittenEdge[] = [];
  toks.forEach((t, i) => {
    if (t.kind !== 'op') return;
    for (const from of leftEnds(toks, i)) for (const to of rightEnds(toks, i)) edges.push({ from, to });
  });
  return edges;
}

/**
 * DOT text as graphlib-dot 0.6 can parse it, every line kept where it was: `#` lines (C
 * preprocessor output, which Graphviz ignores and graphlib-dot rejects) blanked; HTML-like
 * strings (`<<b>tcp_push</b>>`, on which graphlib-dot fails) turned into quoted strings of
 * their content (so a label reads `<b>tcp_push</b>`); commas between statements
 * (`{a, b}`, which Graphviz takes like `;`) made `;`, and semicolons between attributes
 * (`[style=dashed;dir=back]`, which Graphviz takes like `,`) made `,`.
 */
export function graphlibText(text: string): string {
  let out = '';
  let at = 0;
  let inAttrs = 0;
  for (const t of tokens(text)) {
    if (t.kind === 'punct' && t.value === '[') inAttrs++;
    else if (t.kind === 'punct' && t.value === ']') inAttrs--;
    let put: string | undefined;
    if (t.kind === 'html') put = '"' + t.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
    else if (t.kind === 'punct' && t.value === ',' && inAttrs <= 0) put = ';';
    else if (t.kind === 'punct' && t.value === ';' && inAttrs > 0) put = ',';
    if (put === undefined) continue;
    out += text.slice(at, t.start) + put;
    at = t.end;
  }
  out += text.slice(at);
  return out.replace(/^#[^\n\r]*/gm, (line) => ' '.repeat(line.length));
}
