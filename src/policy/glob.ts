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
  const lower = pattern.toLowerCase();
  return (text) => wildcardMatch(lower, text.toLowerCase());
}

/**
 * `*` and `?` matching without a regex: `^.*a.*b.*$` backtracks in time polynomial in the text, and
 * the text (an operation or a target name) comes from the agent. When a later part fails, only the
 * last `*` is retried further on, so this takes at most pattern × text steps.
 */
function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === "?" || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

export function compileGlobs(patterns: readonly string[] | undefined): Glob | undefined {
  if (!patterns) return undefined;
  const globs = patterns.map(compileGlob);
  return (text) => globs.some((g) => g(text));
}
