/**
 * A test for names matching any of `patterns`: glob-like, `*` any run of characters, `?` one
 * character, everything else literal, matched against the whole name (`pr_*` matches `pr_err`).
 */
export function excludeMatcher(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => false;
  const source = patterns
    .map((p) => p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.'))
    .join('|');
  const re = new RegExp(`^(?:${source})$`, 'u');
  return (name) => re.test(name);
}
