import type { Operation } from "../types.js";
import type { Json } from "./mysql-ast.js";
import type { Cursor } from "./mysql-fast-cursor.js";
import { arithmetic, expression, list } from "./mysql-fast-expr.js";
import { orderAndLimit, type TableRef, tableRef } from "./mysql-fast-select.js";
import { mysqlWhereVerdict } from "./mysql-predicate.js";
import { insertOp, rowWriteOp } from "./rows.js";

/**
 * Plain single-table writes read without node-sql-parser, with the operations its tree gives:
 * `DELETE FROM t [WHERE …] [ORDER BY …] [LIMIT n]`, `UPDATE t [alias] SET c = v, … [WHERE …] …`,
 * and `INSERT|REPLACE INTO t [(columns)] VALUES (…), …`. The WHERE clause is judged by the same
 * rules (mysqlWhereVerdict) on the nodes mysql-fast-expr.ts builds. Anything else is undefined.
 */
export function plainWrite(c: Cursor, head: string): Operation | undefined {
  if (head === "DELETE") return plainDelete(c);
  if (head === "UPDATE") return plainUpdate(c);
  return plainInsert(c, head === "REPLACE" ? "REPLACE" : "INSERT");
}

function plainDelete(c: Cursor): Operation | undefined {
  const target: TableRef[] = [];
  if (!(c.eat("DELETE") && c.eat("FROM") && tableRef(c, target, false))) return undefined;
  const where = whereClause(c);
  const limited = c.tokens.some((t) => t.key === "LIMIT");
  if (where === undefined || !orderAndLimit(c, false) || !c.done) return undefined;
  const { table, envHints } = named(target);
  return rowWriteOp("DELETE", table, mysqlWhereVerdict(where, table), { envHints, limited });
}

function plainUpdate(c: Cursor): Operation | undefined {
  const target: TableRef[] = [];
  if (!(c.eat("UPDATE") && tableRef(c, target, true) && c.eat("SET"))) return undefined;
  const columns = list(c, assignment);
  const where = columns && whereClause(c);
  const limited = c.tokens.some((t) => t.key === "LIMIT");
  if (!columns || where === undefined || !orderAndLimit(c, false) || !c.done) return undefined;
  const { table, envHints } = named(target);
  return rowWriteOp("UPDATE", table, mysqlWhereVerdict(where, table), {
    columns: columns.map((col) => String(col.column)),
    envHints,
    limited,
  });
}

function plainInsert(c: Cursor, verb: "INSERT" | "REPLACE"): Operation | undefined {
  const target: TableRef[] = [];
  if (!(c.eat(verb) && c.eat("INTO") && tableRef(c, target, false))) return undefined;
  let columns: Json[] | undefined;
  if (c.eatPunct("(")) {
    columns = list(c, columnName);
    if (!columns || !c.eatPunct(")")) return undefined;
  }
  if (!c.eat("VALUES")) return undefined;
  const rows = list(c, row);
  if (!rows || !c.done) return undefined;
  // With a column list, the parser rejects a row of another length.
  if (columns && rows.some((r) => (r.values as Json[]).length !== columns.length)) return undefined;
  const { table, envHints } = named(target);
  return insertOp(verb, table, rows.length > 1, envHints);
}

/** The WHERE condition, null when there is none, undefined when it is outside the subset. */
function whereClause(c: Cursor): Json | null | undefined {
  return c.eat("WHERE") ? expression(c) : null;
}

/** `column = value` or `t.column = value`; the tree keeps the column's own name. */
function assignment(c: Cursor): Json | undefined {
  let column = c.name();
  if (column !== undefined && c.isPunct(".") && c.touching() && c.touching(1)) {
    c.i++;
    column = c.name();
  }
  return column !== undefined && c.eatPunct("=") && arithmetic(c) ? { column } : undefined;
}

function columnName(c: Cursor): Json | undefined {
  return c.name() === undefined ? undefined : {};
}

function row(c: Cursor): Json | undefined {
  if (!c.eatPunct("(")) return undefined;
  const values = list(c, arithmetic);
  return values && c.eatPunct(")") ? { values } : undefined;
}

function named(target: TableRef[]): { table: string; envHints: string[] } {
  const ref = target[0] ?? { table: "?" };
  return { table: ref.db ? `${ref.db}.${ref.table}` : ref.table, envHints: ref.db ? [ref.db] : [] };
}
