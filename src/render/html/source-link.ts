/**
 * Links to source through the `--source-url` template: `{file}` becomes the file path relative
 * to the tree root, each path segment URL-encoded (so `#`, `?`, `"` and spaces in a name cannot
 * change the link), and `{line}` the 1-based line.
 */

/** Schemes a link may use; anything else (`javascript:`, `data:`) gives no link. */
const SAFE_SCHEME = /^(https?:|file:|[^:/?#]*(?:[/?#]|$))/i;

/**
 * The link for `file` at `line` (line 1 when unknown), or undefined when there is no template,
 * no file, or the result does not use http, https, file or a relative URL.
 */
export function sourceHref(template: string | undefined, file: string | undefined, line: number | undefined): string | undefined {
  if (!template || !file) return undefined;
  const path = file.split('/').map(encodeURIComponent).join('/');
  const href = template.replace(/\{file\}/g, path).replace(/\{line\}/g, String(line ?? 1));
  return SAFE_SCHEME.test(href) ? href : undefined;
}
