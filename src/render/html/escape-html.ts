/**
 * Escaping for HTML: every string from C sources (function, file and macro names, evidence)
 * that reaches the HTML viewer goes through one of these. The rules follow the HTML standard's
 * parsing of text, attribute values and raw-text `<script>` elements.
 */

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML element's content or a quoted attribute value: `&`, `<`, `>`, `"` and `'` become entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/**
 * JSON for the body of a `<script type="application/json">` element. A script element ends at
 * the first `</script` and treats `<!--` specially, so `<`, `>` and `&` are written as `\u003c`
 * escapes (still the same JSON); U+2028 and U+2029 too, so the text is also valid JavaScript.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Checks that a script we inline (ours or a library's) cannot end its `<script>` element early
 * or open an HTML comment in it; throws if it would.
 */
export function assertInlineScript(name: string, code: string): string {
  if (/<\/script|<!--/i.test(code)) throw new Error(`${name} cannot be inlined in a <script> element`);
  return code;
}
