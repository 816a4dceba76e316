import { hasFunctionRule } from "./functions.js";
import type { MyStatement, MyToken } from "./mysql-lexer.js";
import { NAME_LIKE, PARSER_WORDS } from "./mysql-parser-words.js";

/**
 * Reading a lexed MySQL statement for the shortcut in mysql-fast.ts. Only plain text qualifies:
 * printable ASCII, nothing but spaces, tabs and newlines between tokens (so no comment), and tokens
 * of a plain form (no variable, parameter, backslash, double quote or doubled quote), so that the
 * lexer's tokens are exactly what node-sql-parser will see.
 */
const PLAIN_TEXT = /^[\t\n\r\x20-\x7e]*$/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NUMBER = /^[0-9]+(\.[0-9]+)?$/;
const BACKTICKED = /`[A-Za-z_][A-Za-z0-9_]*`/y;
const QUOTED = /'[^'\\]*'/y;
const PUNCT = new Set(["(", ")", ",", ".", "*", "=", "<", ">", "!", "+", "-", "/"]);

export class Cursor {
  i = 0;

  private constructor(
    readonly tokens: MyToken[],
    /** Where each token ends in the statement's text. */
    private readonly ends: number[],
  ) {}

  /** A cursor over the statement, or undefined when its text or a token is outside the plain subset. */
  static over(stmt: MyStatement): Cursor | undefined {
    const text = stmt.text;
    if (!PLAIN_TEXT.test(text)) return undefined;
    const ends: number[] = [];
    let previous = 0;
    for (const t of stmt.tokens) {
      const end = tokenEnd(text, t);
      if (end === undefined || t.start < previous || !blank(text, previous, t.start)) return undefined;
      previous = end;
      // A function with a rule of its own (sys_exec, load_file …) needs the parser's reading of its call.
      if ((t.kind === "word" || t.kind === "ident") && hasFunctionRule(t.text)) return undefined;
      ends.push(end);
    }
    return blank(text, previous, text.length) ? new Cursor(stmt.tokens, ends) : undefined;
  }

  get done(): boolean {
    return this.i >= this.tokens.length;
  }

  /** The upper-cased word at the cursor ("" for quoted names, strings, numbers and punctuation). */
  get key(): string {
    return this.tokens[this.i]?.key ?? "";
  }

  get kind(): MyToken["kind"] | undefined {
    return this.tokens[this.i]?.kind;
  }

  eat(key: string): boolean {
    if (key === "" || this.key !== key) return false;
    this.i++;
    return true;
  }

  isPunct(c: string, offset = 0): boolean {
    const t = this.tokens[this.i + offset];
    return t?.kind === "punct" && t.text === c;
  }

  eatPunct(c: string): boolean {
    if (!this.isPunct(c)) return false;
    this.i++;
    return true;
  }

  /** Whether the token at i + offset starts right where the one before it ends. */
  touching(offset = 0): boolean {
    const j = this.i + offset;
    return j > 0 && this.tokens[j]?.start === this.ends[j - 1];
  }

  /** A name the parser reads as a name: a backquoted one, or a word with no meaning in its grammar. */
  name(): string | undefined {
    const t = this.tokens[this.i];
    if (!t || (t.kind === "word" ? !plainWord(t.key) : t.kind !== "ident")) return undefined;
    this.i++;
    return t.text;
  }

  /** An unquoted name (where the parser takes no backquoted one). */
  word(): string | undefined {
    return this.kind === "word" ? this.name() : undefined;
  }

  /** An unquoted integer. */
  integer(): boolean {
    const t = this.tokens[this.i];
    if (t?.kind !== "number" || !/^[0-9]+$/.test(t.text)) return false;
    this.i++;
    return true;
  }
}

/**
 * A word the parser reads as a name: not one of its words, unless it is known to be name-like.
 * Its keywords need no space before a digit (`AS0x1F` is AS and 0x1F to it), so a word is plain
 * only if no keyword ends right before one of its digits; and it reads DUAL at the start of any
 * word after FROM (`FROM duals` fails), so those are not plain either.
 */
function plainWord(key: string): boolean {
  if ((PARSER_WORDS.has(key) && !NAME_LIKE.has(key)) || key.startsWith("DUAL")) return false;
  for (let k = 1; k < key.length; k++) {
    const code = key.charCodeAt(k);
    if (code >= 48 && code <= 57 && PARSER_WORDS.has(key.slice(0, k))) return false;
  }
  return true;
}

/** Whether text[from, to) is only spaces, tabs and newlines (the text is already known to be printable ASCII). */
function blank(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (text.charCodeAt(k) > 32) return false;
  return true;
}

function tokenEnd(text: string, t: MyToken): number | undefined {
  switch (t.kind) {
    case "word":
      return WORD.test(t.text) && text.startsWith(t.text, t.start) ? t.start + t.text.length : undefined;
    case "number":
      return NUMBER.test(t.text) && text.startsWith(t.text, t.start) ? t.start + t.text.length : undefined;
    case "ident":
      return quotedEnd(BACKTICKED, text, t);
    case "string":
      return quotedEnd(QUOTED, text, t);
    case "punct":
      // The lexer splits `--` with no space after it, blanking the second `-` in the text.
      return PUNCT.has(t.text) && text.charAt(t.start) === t.text ? t.start + 1 : undefined;
    default:
      return undefined;
  }
}

/** The end of a quoted token whose source is exactly quote + text + quote (no doubled quotes). */
function quotedEnd(pattern: RegExp, text: string, t: MyToken): number | undefined {
  pattern.lastIndex = t.start;
  const m = pattern.exec(text);
  return m && m[0].length === t.text.length + 2 ? t.start + m[0].length : undefined;
}
