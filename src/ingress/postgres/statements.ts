import { type ParseResult, parseSync, scanSync } from "libpg-query";

/** One statement of a simple-query message, as its own text, and the kind of its syntax-tree node. */
export interface Statement {
  sql: string;
  /** `DeleteStmt`, `DropStmt`, …; undefined when the message did not parse. */
  node?: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The statements of a query string, split by the real Postgres parser (locations are UTF-8 byte
 * offsets). Text the parser rejects stays one piece: it is judged whole (the analyzer reports what it
 * cannot read as opaque), and Postgres would reject the whole message anyway.
 */
export function splitStatements(text: string): Statement[] {
  let tree: ParseResult;
  try {
    tree = parseSync(text);
  } catch {
    return [{ sql: text }];
  }
  const bytes = encoder.encode(text);
  const statements: Statement[] = [];
  for (const raw of tree.stmts ?? []) {
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
    const sql = decoder.decode(bytes.subarray(start, end)).trim();
    const node = raw.stmt ? Object.keys(raw.stmt)[0] : undefined;
    statements.push({ sql, ...(node ? { node } : {}) });
  }
  return statements;
}

/** Statements after which protocol-level prepared statement names may mean something else. */
export const RENAMES_PREPARED = new Set(["PrepareStmt", "DeallocateStmt", "DiscardStmt"]);

/**
 * A statement with its Bind parameters written in as literals, so that what is judged (and what an
 * approval is bound to) is the statement with these values. Text-format values become quoted
 * strings; binary ones a bytea-style hex string; NULL stays NULL.
 */
export function inlineParameters(
  sql: string,
  values: readonly (Buffer | null)[],
  binary: (i: number) => boolean,
): string {
  if (values.length === 0) return sql;
  let tokens: ReturnType<typeof scanSync>["tokens"];
  try {
    tokens = scanSync(sql).tokens;
  } catch {
    return sql;
  }
  const bytes = encoder.encode(sql);
  const out: string[] = [];
  let at = 0;
  for (const token of tokens) {
    if (token.tokenName !== "PARAM") continue;
    const n = Number(decoder.decode(bytes.subarray(token.start + 1, token.end)));
    const value = values[n - 1];
    if (value === undefined) continue;
    out.push(decoder.decode(bytes.subarray(at, token.start)));
    out.push(literal(value, binary(n - 1)));
    at = token.end;
  }
  out.push(decoder.decode(bytes.subarray(at)));
  return out.join("");
}

function literal(value: Buffer | null, binary: boolean): string {
  if (value === null) return "NULL";
  const text = binary ? `\\x${value.toString("hex")}` : value.toString("utf8");
  return `'${text.replace(/'/g, "''")}'`;
}
