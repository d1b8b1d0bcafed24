/**
 * Escaping for Graphviz DOT (https://graphviz.org/doc/info/lang.html). Everything pathfind writes
 * in DOT goes through `quoted`: ids and values alike are double-quoted strings, so DOT keywords
 * (`node`, `edge`, `graph`, `digraph`, `subgraph`, `strict`, in any case) and names such as
 * `<anonymous>` stay text, and an HTML-like label (`<...>` unquoted) is never produced.
 */

/**
 * Graphviz rejects a string longer than 16,384 characters (its scanner's YY buffer): we cut the
 * raw text at 8,000 characters, so that even doubled by escaping it stays below the limit.
 */
export const MAX_DOT_TEXT = 8000;

/**
 * `text` as a DOT quoted string: backslashes doubled (Graphviz reads `\N`, `\G`, `\l`... in labels
 * as escapes), `"` escaped, line breaks as `\n` (Graphviz's centred line break), other control
 * characters as spaces, cut to MAX_DOT_TEXT characters (never inside a surrogate pair) with `...`.
 */
export function quoted(text: string): string {
  let raw = text;
  if (raw.length > MAX_DOT_TEXT) {
    let end = MAX_DOT_TEXT - 3;
    if (/[\uD800-\uDBFF]/.test(raw[end - 1]!)) end--;
    raw = `${raw.slice(0, end)}...`;
  }
  const body = raw
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n|\r|\n/g, '\\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, ' ');
  return `"${body}"`;
}

/**
 * `key="value", ...` for an attribute list (or, with `separator` `; `, the attribute statements of a
 * subgraph); attributes whose value is undefined are left out, keys in the order given.
 */
export function attributes(attrs: Record<string, string | number | undefined>, separator = ', '): string {
  return Object.entries(attrs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${quoted(String(value))}`)
    .join(separator);
}

/**
 * A link from a template with `{file}` and `{line}` placeholders: the file's path segments
 * percent-encoded (a `"` or `<` in a file name cannot end the URL or start markup), the line as
 * digits. The result is still to be quoted for DOT.
 */
export function sourceLink(template: string, file: string, line: number | undefined): string {
  const path = file.split('/').map(encodeURIComponent).join('/');
  return template.replace(/\{file\}/g, path).replace(/\{line\}/g, String(line ?? 1));
}
