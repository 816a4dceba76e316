/**
 * Whether an argument's text is SQL, by its first keyword. A scanner rather than a regex: leading
 * comments are skipped with indexOf, so any number of block comments costs linear time
 * (the regex this replaces backtracked exponentially on it and blocked the process).
 */

const SQL_KEYWORDS = new Set(
  "select insert update delete drop truncate alter create grant revoke with explain show copy merge replace call do vacuum set begin commit rollback savepoint abort checkpoint deallocate discard reassign unlisten rename lock comment analyze reindex cluster refresh describe desc use load handler".split(
    " ",
  ),
);
/** Words that start SQL statements and ordinary sentences alike: SQL only among several statements. */
const AMBIGUOUS_KEYWORDS = new Set(
  "start end release prepare execute fetch move close declare values table import notify listen reset security".split(
    " ",
  ),
);

/** Whitespace, and what displays as nothing (zero-width spaces and joiners, a byte-order mark, a soft hyphen). */
function isBlank(ch: string): boolean {
  return /\s/.test(ch) || /[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]/.test(ch);
}

/**
 * Where the first word after leading blanks, comments, empty statements (`;`) and opening
 * parentheses starts (the text's length if none).
 */
export function skipBlanksAndComments(text: string, from = 0): number {
  let at = from;
  for (;;) {
    while (at < text.length && (isBlank(text[at] as string) || text[at] === ";" || text[at] === "(")) at++;
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

function firstWord(text: string): string {
  return wordAt(text, skipBlanksAndComments(text));
}

/**
 * True when the text starts, after blanks and comments, with a SQL statement's keyword, or when
 * one of several statements (`ROLLBACK; DROP TABLE t`, `hello; delete from users`) does.
 */
export function looksLikeSql(text: string): boolean {
  if (SQL_KEYWORDS.has(firstWord(text))) return true;
  if (!text.includes(";")) return false;
  return text.split(";").some((statement) => {
    const word = firstWord(statement);
    return SQL_KEYWORDS.has(word) || AMBIGUOUS_KEYWORDS.has(word);
  });
}
