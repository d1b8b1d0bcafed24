/**
 * Checking a `--source-url` template before any link is made from it. The template must hold
 * `{file}` (a link per definition and call site needs the file; `{line}` is optional) and, once
 * `{file}` and `{line}` are replaced (both substituted percent-encoded, see dot-escape.ts and
 * html/source-link.ts), be a valid URL: absolute with the scheme http, https or file, or relative.
 * Characters a URL cannot hold (RFC 3986: anything but letters, digits, `-._~`, the delimiters
 * `:/?#[]@!$&'()*+,;=`, and `%` with two hex digits) are refused, not encoded for the user:
 * the template is theirs, and a silently rewritten link is harder to debug than one error.
 */

/** Schemes a link may use; every renderer drops links with others (`javascript:`, `data:`). */
const SCHEMES = ['http', 'https', 'file'];

/** What `template` gets wrong as a --source-url, in one line; undefined when it is fine. */
export function sourceUrlProblem(template: string): string | undefined {
  if (!template.includes('{file}')) return "--source-url must contain {file} (and may contain {line}), e.g. 'https://elixir.bootlin.com/linux/v6.1/source/{file}#L{line}'";
  const rest = template.replace(/\{file\}|\{line\}/g, '');
  const bad = /[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/u.exec(rest);
  if (bad) {
    const ch = bad[0];
    const how = ch === ' ' ? 'a space is %20' : /[\p{Cc}]/u.test(ch) ? `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} is ${encodeURIComponent(ch)}` : `'${ch}' is ${encodeURIComponent(ch)}`;
    const shown = /[\p{Cc}]/u.test(ch) ? `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
    return `--source-url holds ${shown}, which a URL cannot hold: percent-encode it (${how})`;
  }
  const percent = /%(?![0-9A-Fa-f]{2})/.exec(rest);
  if (percent) return `--source-url holds '${rest.slice(percent.index, percent.index + 3)}', not a percent-encoded byte: write a % as %25`;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(template);
  if (scheme && !SCHEMES.includes(scheme[1]!.toLowerCase())) return `--source-url must be an http, https or file URL, or a relative one, not '${scheme[1]}:'`;
  try {
    new URL(template.replace(/\{file\}/g, 'dir/file.c').replace(/\{line\}/g, '1'), 'http://relative.invalid/');
  } catch {
    return `--source-url is not a valid URL once {file} and {line} are filled in`;
  }
  return undefined;
}
