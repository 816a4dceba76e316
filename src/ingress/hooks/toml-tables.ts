import { parse } from "smol-toml";

/**
 * Where each `[table]` and `[[array of tables]]` of a TOML text starts and ends, so that one table's
 * text can be replaced and every other byte of the file kept. Only run on text a TOML parser has
 * already read without error: it skips strings (basic, literal, multi-line), comments and values
 * spanning lines (arrays, inline tables) to find the headers, and decodes each header with the
 * parser itself (quoted keys, escapes).
 */

export interface TomlTable {
  key: string[];
  array: boolean;
  /** Offset of the header line's first character. */
  start: number;
  /**
   * Offset just past the table's last line holding a key (its header line when it holds none):
   * blank and comment lines after it are left to what follows (a comment above the next table).
   */
  end: number;
}

/** The offset just past the line `at` is on (past its newline, or the end of the text). */
function lineEnd(text: string, at: number): number {
  const newline = text.indexOf("\n", at);
  return newline < 0 ? text.length : newline + 1;
}

/** The offset just past the string that opens at `at` (its quote character). */
function skipString(text: string, at: number): number {
  const quote = text[at] ?? "";
  const escapes = quote === '"';
  const triple = text.startsWith(quote.repeat(3), at);
  const close = triple ? quote.repeat(3) : quote;
  let i = at + close.length;
  while (i < text.length) {
    if (escapes && text[i] === "\\") i += 2;
    else if (text.startsWith(close, i)) {
      i += close.length;
      // Up to two quotes may sit right before a multi-line string's closing three.
      while (triple && text[i] === quote) i += 1;
      return i;
    } else i += 1;
  }
  return i;
}

/** The offset just past a `key = value` line, the lines its value spans included. */
function skipKeyValue(text: string, at: number): number {
  let depth = 0;
  let i = at;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i = skipString(text, i);
      continue;
    }
    if (c === "#") {
      i = text.indexOf("\n", i);
      if (i < 0) return text.length;
      continue;
    }
    if (c === "[" || c === "{") depth += 1;
    else if (c === "]" || c === "}") depth -= 1;
    else if (c === "\n" && depth <= 0) return i + 1;
    i += 1;
  }
  return i;
}

/** The key path a header names (`[a."b.c"]` → a, b.c), read by the parser from the header alone. */
function headerKey(header: string): { key: string[]; array: boolean } {
  let node: unknown = parse(header);
  const key: string[] = [];
  let array = false;
  while (node !== null && typeof node === "object") {
    if (Array.isArray(node)) {
      array = true;
      node = node[0];
      continue;
    }
    const [first] = Object.keys(node);
    if (first === undefined) break;
    key.push(first);
    node = (node as Record<string, unknown>)[first];
  }
  return { key, array };
}

export function tomlTables(text: string): TomlTable[] {
  const tables: TomlTable[] = [];
  let current: TomlTable | undefined;
  let i = 0;
  while (i < text.length) {
    const lineStart = i;
    while (text[i] === " " || text[i] === "\t") i += 1;
    const c = text[i];
    if (c === "\n" || c === "\r" || c === "#" || c === undefined) {
      i = lineEnd(text, i);
      continue;
    }
    if (c !== "[") {
      i = skipKeyValue(text, i);
      if (current) current.end = i;
      continue;
    }
    // A header: `]` inside a quoted key does not close it.
    let close = i + 1;
    while (close < text.length && text[close] !== "]") {
      const q = text[close];
      close = q === '"' || q === "'" ? skipString(text, close) : close + 1;
    }
    if (text[close + 1] === "]") close += 1;
    const { key, array } = headerKey(text.slice(i, close + 1));
    i = lineEnd(text, close);
    current = { key, array, start: lineStart, end: i };
    tables.push(current);
  }
  return tables;
}
