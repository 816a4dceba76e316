import { scanSync } from "libpg-query";

/**
 * Splitting SQL the Postgres parser rejected into statements, at the semicolons its scanner finds.
 * The scanner costs more than a parse (its output is JSON with every token's text), so text it is
 * known to split only at its semicolons, without error, is split without it: printable ASCII with
 * no quote of any kind, no `$`, backslash or comment, no number run into letters or a dot (the
 * scanner rejects `1abc` as trailing junk) and no overlong operator. Results of the scanner are kept
 * per text for one input, since a psql script asks about each segment twice.
 */
export class PgSplitter {
  private readonly scans = new Map<string, ScanTokens | undefined>();

  /** Statements split at top-level semicolons; undefined when the scanner cannot scan the text. */
  split(sql: string): string[] | undefined {
    if (plain(sql)) return sql.split(";").filter((p) => p.trim().length > 0);
    const tokens = this.scan(sql);
    if (!tokens) return undefined;
    const bytes = encoder.encode(sql);
    const pieces: string[] = [];
    let start = 0;
    for (const token of tokens) {
      if (token.tokenName !== "ASCII_59") continue;
      pieces.push(decoder.decode(bytes.subarray(start, token.start)));
      start = token.end;
    }
    pieces.push(decoder.decode(bytes.subarray(start)));
    return pieces.filter((p) => p.trim().length > 0);
  }

  /** Whether the text ends outside any string or comment (the scanner throws on an unterminated one). */
  scansCleanly(sql: string): boolean {
    return plain(sql) || this.scan(sql) !== undefined;
  }

  private scan(sql: string): ScanTokens | undefined {
    if (this.scans.has(sql)) return this.scans.get(sql);
    let tokens: ScanTokens | undefined;
    try {
      tokens = scanSync(sql).tokens;
    } catch {
      tokens = undefined;
    }
    this.scans.set(sql, tokens);
    return tokens;
  }
}

type ScanTokens = ReturnType<typeof scanSync>["tokens"];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Printable ASCII, tabs and newlines, without ' " $ \ (strings, identifiers, dollar quotes, escapes). */
const PLAIN_CHARS = /^[\t\n\r\x20\x21\x23\x25\x26\x28-\x5b\x5d-\x7e]*$/;
/** Comments; a digit run that starts a token and runs into a letter, `_` or `.`; a digit after a dot. */
const UNPLAIN = /--|\/\*|(?:^|[^A-Za-z0-9_])[0-9]+[A-Za-z_.]|\.[0-9]|[~!@#^&|`?+\-*/%<>=]{60}/;

function plain(sql: string): boolean {
  return PLAIN_CHARS.test(sql) && !UNPLAIN.test(sql);
}
