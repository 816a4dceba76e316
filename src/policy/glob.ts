/**
 * Globs for rule matches: `*` is any run of characters, `?` one character; matching ignores case
 * because operation names come in several spellings (SQL keywords, IAM actions).
 */
export type Glob = (text: string) => boolean;

export function compileGlob(pattern: string): Glob {
  if (pattern === "*") return () => true;
  if (!/[*?]/.test(pattern)) {
    const lower = pattern.toLowerCase();
    return (text) => text.toLowerCase() === lower;
  }
  const source = pattern
    .split("")
    .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\/]/g, "\\$&")))
    .join("");
  const regex = new RegExp(`^${source}$`, "is");
  return (text) => regex.test(text);
}

export function compileGlobs(patterns: readonly string[] | undefined): Glob | undefined {
  if (!patterns) return undefined;
  const globs = patterns.map(compileGlob);
  return (text) => globs.some((g) => g(text));
}
