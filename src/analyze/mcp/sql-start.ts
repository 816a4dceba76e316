/**
 * Whether an argument's text is SQL, by its first keyword. A scanner rather than a regex: leading
 * comments are skipped with indexOf, so any number of block comments costs linear time
 * (the regex this replaces backtracked exponentially on it and blocked the process).
 */

const SQL_KEYWORDS = new Set(
  "select insert update delete drop truncate alter create grant revoke with explain show copy merge replace call do vacuum set begin commit rename lock comment analyze reindex cluster refresh describe desc use load handler".split(
    " ",
  ),
);

/** Where the first token after leading blanks and comments starts (the text's length if none). */
export function skipBlanksAndComments(text: string, from = 0): number {
  let at = from;
  for (;;) {
    while (at < text.length && /\s/.test(text[at] as string)) at++;
    if (text.startsWith("--", at)) {
      const end = text.indexOf("\n", at);
      if (end < 0) return text.length;
      at = end + 1;
    } else if (text.startsWith("/*", at)) {
      const end = text.indexOf("*/", at + 2);
      if (end < 0) return text.length;
      at = end + 2;
    } else {
      return at;
    }
  }
}

/** The leading word of `text` from `at`, lower-cased ("" when it does not start with a letter). */
export function wordAt(text: string, at: number): string {
  let end = at;
  while (end < text.length && /[A-Za-z]/.test(text[end] as string)) end++;
  // A keyword must end there: `selected` is not `select`.
  if (end < text.length && /\w/.test(text[end] as string)) return "";
  return text.slice(at, end).toLowerCase();
}

/** True when the text starts, after blanks and comments, with a SQL statement's keyword. */
export function looksLikeSql(text: string): boolean {
  return SQL_KEYWORDS.has(wordAt(text, skipBlanksAndComments(text)));
}
