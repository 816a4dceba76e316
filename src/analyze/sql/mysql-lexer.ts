/**
 * A MySQL tokenizer that splits a script into statements the way the mysql client does:
 * quotes (with backslash escapes), `backticks`, `#` and `-- ` comments, the client's DELIMITER
 * command, and executable comments. `/*! DROP TABLE x *\/` is code to MySQL, not a comment, so
 * its markers are blanked and its content is kept as part of the statement.
 */

export type TokenKind = "word" | "ident" | "string" | "number" | "var" | "punct";

export interface MyToken {
  kind: TokenKind;
  /** As written; quoted identifiers and strings unquoted. */
  text: string;
  /** Upper-cased for unquoted words (keywords are matched on this), "" otherwise. */
  key: string;
  /** Offset into the statement's text. */
  start: number;
}

export interface MyStatement {
  text: string;
  tokens: MyToken[];
}

export interface SplitResult {
  statements: MyStatement[];
  /** Set when the input ends inside a string or comment; statements before it are kept. */
  error?: string;
}

/** [A-Za-z_$\u0080-\uffff] for one UTF-16 unit, by its code (a regex per character is slow). */
function isWordStart(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 36 || code >= 128
  );
}

/** [A-Za-z0-9_$\u0080-\uffff] for one UTF-16 unit. */
function isWordChar(code: number): boolean {
  return isWordStart(code) || (code >= 48 && code <= 57);
}

const SPACE = /\s/;

/** /\s/ for one UTF-16 unit: ASCII by code, the rest by the regex. */
function isSpace(code: number, c: string): boolean {
  return code < 128 ? code === 32 || (code >= 9 && code <= 13) : SPACE.test(c);
}

export interface LexOptions {
  /** MySQL's default; false for sql_mode NO_BACKSLASH_ESCAPES, where `'a\\'` is a whole string. */
  backslashEscapes: boolean;
}

export function splitMysql(sql: string, options: LexOptions = { backslashEscapes: true }): SplitResult {
  const statements: MyStatement[] = [];
  let tokens: MyToken[] = [];
  let blanks: Array<[number, number]> = [];
  let start = 0;
  let delimiter = ";";
  let versioned = false;
  let i = 0;
  const n = sql.length;

  const finish = (end: number) => {
    if (tokens.length > 0) statements.push({ text: textOf(sql, start, end, blanks), tokens });
    tokens = [];
    blanks = [];
  };
  const push = (kind: TokenKind, text: string, at: number) =>
    tokens.push({ kind, text, key: kind === "word" ? text.toUpperCase() : "", start: at - start });

  while (i < n) {
    const c = sql.charAt(i);
    const code = sql.charCodeAt(i);
    if (isSpace(code, c)) {
      i++;
      continue;
    }
    if (tokens.length === 0 && (code | 32) === 100 && /^delimiter\s/i.test(sql.slice(i, i + 10))) {
      const eol = lineEnd(sql, i);
      delimiter =
        sql
          .slice(i + 9, eol)
          .trim()
          .split(/\s+/)[0] || ";";
      i = eol;
      start = i;
      continue;
    }
    if (sql.startsWith(delimiter, i)) {
      finish(i);
      i += delimiter.length;
      start = i;
      continue;
    }
    if (
      c === "#" ||
      (c === "-" && sql.charAt(i + 1) === "-" && (i + 2 >= n || sql.charCodeAt(i + 2) <= 32))
    ) {
      i = lineEnd(sql, i);
      continue;
    }
    if (c === "-" && sql.charAt(i + 1) === "-") {
      // `n--1` is n minus -1 to MySQL but a comment to node-sql-parser: split the pair for the parser.
      push("punct", "-", i);
      blanks.push([i + 1, i + 2]);
      push("punct", "-", i + 1);
      i += 2;
      continue;
    }
    if (c === "/" && sql.charAt(i + 1) === "*") {
      const bang = sql.charAt(i + 2) === "!" ? 3 : sql.startsWith("M!", i + 2) ? 4 : 0;
      if (bang > 0) {
        let j = i + bang;
        while (j < n && /[0-9]/.test(sql.charAt(j))) j++;
        blanks.push([i, j]);
        versioned = true;
        i = j;
        continue;
      }
      const end = sql.indexOf("*/", i + 2);
      if (end < 0) return unterminated(statements, "comment");
      i = end + 2;
      continue;
    }
    if (versioned && c === "*" && sql.charAt(i + 1) === "/") {
      blanks.push([i, i + 2]);
      versioned = false;
      i += 2;
      continue;
    }
    if (c === "'" || c === '"' || c === "`") {
      const end = quoteEnd(sql, i, c, options.backslashEscapes);
      if (end < 0) return unterminated(statements, c === "`" ? "identifier" : "string");
      push(
        c === "`" ? "ident" : "string",
        unquote(sql.slice(i + 1, end - 1), c, options.backslashEscapes),
        i,
      );
      i = end;
      continue;
    }
    if (c === "@") {
      let j = i + 1;
      while (j < n && (isWordChar(sql.charCodeAt(j)) || sql.charAt(j) === "@" || sql.charAt(j) === ".")) j++;
      push("var", sql.slice(i, j), i);
      i = j;
      continue;
    }
    if (isWordChar(code)) {
      const word = isWordStart(code);
      let j = i + 1;
      while (j < n && (isWordChar(sql.charCodeAt(j)) || (!word && sql.charAt(j) === "."))) j++;
      push(word ? "word" : "number", sql.slice(i, j), i);
      i = j;
      continue;
    }
    push("punct", c, i);
    i++;
  }
  finish(n);
  return { statements };
}

function unterminated(statements: MyStatement[], what: string): SplitResult {
  return { statements, error: `unterminated ${what}` };
}

function lineEnd(sql: string, from: number): number {
  const eol = sql.indexOf("\n", from);
  return eol < 0 ? sql.length : eol + 1;
}

/** The index just past the closing quote, or -1. Backslash escapes and doubled quotes are skipped. */
function quoteEnd(sql: string, open: number, quote: string, backslashEscapes: boolean): number {
  let j = open + 1;
  while (j < sql.length) {
    const c = sql.charAt(j);
    if (c === "\\" && quote !== "`" && backslashEscapes) j += 2;
    else if (c === quote && sql.charAt(j + 1) === quote) j += 2;
    else if (c === quote) return j + 1;
    else j++;
  }
  return -1;
}

function unquote(body: string, quote: string, backslashEscapes: boolean): string {
  const doubled = body.split(quote + quote).join(quote);
  return quote === "`" || !backslashEscapes ? doubled : doubled.replace(/\\(.)/g, "$1");
}

/** The statement's source with executable-comment markers replaced by spaces (offsets kept). */
function textOf(sql: string, start: number, end: number, blanks: Array<[number, number]>): string {
  let text = sql.slice(start, end);
  for (const [from, to] of blanks) {
    if (from >= start && to <= end)
      text = text.slice(0, from - start) + " ".repeat(to - from) + text.slice(to - start);
  }
  return text;
}
