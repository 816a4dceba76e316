import { type ParseResult, parseSync, scanSync } from "libpg-query";
import { calledFunctionNames } from "./catalog.js";
import { type Relations, relationsOf } from "./relations.js";

/** One statement of a simple-query message, as its own text, and the kind of its syntax-tree node. */
export interface Statement {
  sql: string;
  /** `DeleteStmt`, `DropStmt`, …; undefined when the message did not parse. */
  node?: string;
  /** The functions it calls, from the same parse; undefined when the message did not parse. */
  functions?: string[];
  /** The relations it uses, from the same parse; undefined when the message did not parse. */
  relations?: Relations;
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
    statements.push({
      sql,
      ...(node ? { node } : {}),
      functions: calledFunctionNames(raw.stmt),
      relations: relationsOf(raw.stmt),
    });
  }
  return statements;
}

/** Statements after which protocol-level prepared statement names may mean something else. */
export const RENAMES_PREPARED = new Set(["PrepareStmt", "DeallocateStmt", "DiscardStmt"]);

/** Where a statement's `$n` parameters are, as UTF-8 byte offsets: found once, at Parse. */
export interface ParameterSlot {
  start: number;
  end: number;
  n: number;
}

export function parameterSlots(sql: string): ParameterSlot[] {
  let tokens: ReturnType<typeof scanSync>["tokens"];
  try {
    tokens = scanSync(sql).tokens;
  } catch {
    return [];
  }
  const bytes = encoder.encode(sql);
  return tokens
    .filter((t) => t.tokenName === "PARAM")
    .map((t) => ({
      start: t.start,
      end: t.end,
      n: Number(decoder.decode(bytes.subarray(t.start + 1, t.end))),
    }));
}

/**
 * A statement with its Bind parameters written in as literals, so that what is judged (and what an
 * approval is bound to) is the statement with these values. Text-format values become quoted
 * strings; binary ones a bytea-style hex string; NULL stays NULL.
 */
export function inlineParameters(
  sql: string,
  values: readonly (Buffer | null)[],
  binary: (i: number) => boolean,
  slots: readonly ParameterSlot[] = values.length === 0 ? [] : parameterSlots(sql),
): string {
  if (values.length === 0 || slots.length === 0) return sql;
  const bytes = encoder.encode(sql);
  const out: string[] = [];
  let at = 0;
  for (const slot of slots) {
    const value = values[slot.n - 1];
    if (value === undefined) continue;
    out.push(decoder.decode(bytes.subarray(at, slot.start)));
    out.push(literal(value, binary(slot.n - 1)));
    at = slot.end;
  }
  out.push(decoder.decode(bytes.subarray(at)));
  return out.join("");
}

function literal(value: Buffer | null, binary: boolean): string {
  if (value === null) return "NULL";
  const text = binary ? `\\x${value.toString("hex")}` : value.toString("utf8");
  return `'${text.replace(/'/g, "''")}'`;
}
