/**
 * Escaping for Mermaid flowcharts: every string read from C source (function, file and macro
 * names, members, evidence) goes through one of these before it reaches Mermaid text.
 *
 * What Mermaid (version 11, the flowchart grammar and its preprocessing) treats specially, and
 * how each is neutralised:
 * - `"` ends a quoted label; Mermaid has no backslash escape, and a raw `"` inside is dropped.
 * - `<`, `>` and `&` reach the label's HTML (`<b>` is read as markup, `&lt;` as an entity).
 * - `#name;` and `#123;` are Mermaid's entity codes, so a raw `#` could start one.
 * - A backtick just inside the quotes makes a "markdown string" (`**bold**`, `_italic_`).
 * - `%%{ ... }%%` anywhere in the text is read as a directive (configuration, even
 *   `securityLevel`), and `%%` starts a comment line.
 * - `|` delimits an edge label (`-->|"text"|`); quoted it is safe, but nothing is lost by coding it.
 * - A line break ends a statement; other control characters have no business in a label.
 * Each of `"#&<>%|` and the backtick becomes a numeric entity code (`#34;`), which Mermaid turns
 * into an HTML character reference, so the reader sees the character and the browser sees text.
 * Markdown emphasis (`*`, `_`) only applies inside a backtick string, which cannot start once
 * backticks are encoded.
 */

const ENTITY = /["#&<>%`|]/g;
// C0 controls, DEL and the C1 range, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * The text of a quoted Mermaid label (without the quotes): entity-coded so that the reader
 * sees `text` exactly, minus control characters, which become spaces.
 */
export function mermaidText(text: string): string {
  return text.replace(CONTROL, ' ').replace(ENTITY, (c) => `#${c.codePointAt(0)};`);
}

/**
 * The text of a `%%` comment line: control characters become spaces (a line break would end the
 * comment) and `%` is written `#37;` (so no `%%{` directive can start inside it).
 */
export function mermaidComment(text: string): string {
  return text.replace(CONTROL, ' ').replace(/%/g, '#37;');
}

/**
 * A quoted Mermaid label: `"` + mermaidText(text) + `"`; an empty text becomes `#160;` (a
 * no-break space), because Mermaid refuses an empty quoted label (`[""]` is a parse error).
 */
export function mermaidLabel(text: string): string {
  return `"${mermaidText(text) || '#160;'}"`;
}

/**
 * A URL made safe for `click ID href "URL"`: characters that would end the string, read as an
 * entity code, comment or directive, or break the line are percent-encoded (`"` as `%22`).
 * Mermaid itself refuses `javascript:` and other unsafe schemes under its default strict
 * security level; this only keeps the URL one inert string.
 */
export function mermaidUrl(url: string): string {
  return url.replace(/[\u0000-\u0020\u007f-\u009f\u2028\u2029"'<>`{}|\\^;%]/g, (c) => {
    // A `%` already starting a percent-escape (%2F) stays; a lone one is encoded.
    if (c === '%') return '%';
    return Array.from(new TextEncoder().encode(c), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }).replace(/%(?![0-9A-Fa-f]{2})/g, '%25');
}

/**
 * A link from a `--source-url` template: `{file}` replaced by the file path with each segment
 * percent-encoded (so a file name cannot add markup, a query or a fragment), `{line}` by the
 * line number, and the whole made safe by mermaidUrl.
 */
export function sourceLink(template: string, file: string, line: number | undefined): string {
  const path = file.split('/').map(encodeURIComponent).join('/');
  return mermaidUrl(template.replaceAll('{file}', path).replaceAll('{line}', String(line ?? 1)));
}

/**
 * The front matter's `title:` value. Mermaid sanitises a title as HTML and then draws the result
 * as plain text, so `<...>` spans vanish and `&`, `<`, `>` show as `&amp;`, `&lt;`, `&gt;`; no
 * escape draws them as themselves. So an arrow `->` becomes `→`, and a remaining `<`, `>`, `&`
 * becomes the look-alike `‹`, `›`, `＆` (the exact title is also kept in a `%%` comment). Written
 * as a YAML double-quoted scalar in JSON string syntax (which YAML reads the same), with `%` as
 * `\u0025` so no `%%{` directive can appear.
 */
export function mermaidTitle(title: string): string {
  const shown = title
    .replace(CONTROL, ' ')
    .replaceAll('->', '→')
    .replace(/[<>&]/g, (c) => ({ '<': '‹', '>': '›', '&': '＆' })[c]!);
  return JSON.stringify(shown).replace(/%/g, '\\u0025');
}
