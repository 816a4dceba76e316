import type { Operation } from "../types.js";
import type { Cursor } from "./mysql-fast-cursor.js";
import { expression, list } from "./mysql-fast-expr.js";
import { listNames, readOp, tables } from "./operation.js";

/**
 * A plain MySQL SELECT read without node-sql-parser: column lists, FROM with joins, WHERE, GROUP BY,
 * HAVING, ORDER BY and LIMIT over names, numbers, strings, comparisons, AND/OR/NOT, IN, LIKE,
 * BETWEEN, IS NULL and function calls. Anything else (subqueries, INTO, UNION, FOR UPDATE,
 * variables, arithmetic …) returns undefined and goes to the parser.
 */
export function plainSelect(c: Cursor): Operation | undefined {
  if (!c.eat("SELECT")) return undefined;
  c.eat("DISTINCT");
  if (!list(c, selectItem)) return undefined;
  const from: TableRef[] = [];
  if (c.eat("FROM")) {
    if (!fromClause(c, from)) return undefined;
    if (c.eat("WHERE") && !expression(c)) return undefined;
    if (c.eat("GROUP") && !(c.eat("BY") && list(c, expression))) return undefined;
    if (c.eat("HAVING") && !expression(c)) return undefined;
    if (!orderAndLimit(c, true)) return undefined;
  }
  if (!c.done) return undefined;
  const names = from.map((r) => (r.db ? `${r.db}.${r.table}` : r.table));
  const summary = names.length > 0 ? `SELECT from ${listNames(names)}: reads rows` : "SELECT: reads values";
  return readOp(
    "SELECT",
    summary,
    tables(names),
    from.flatMap((r) => (r.db ? [r.db] : [])),
  );
}

export interface TableRef {
  db?: string;
  table: string;
}

const PICKED = { type: "star" };

function selectItem(c: Cursor): typeof PICKED | undefined {
  if (c.eatPunct("*")) return PICKED;
  if (c.isPunct(".", 1) && c.isPunct("*", 2) && c.touching(1) && c.touching(2)) {
    if (c.name() === undefined) return undefined;
    c.i += 2;
    return PICKED;
  }
  return expression(c) && alias(c) ? PICKED : undefined;
}

/** `AS name` or a bare name after an expression or a table. */
function alias(c: Cursor): boolean {
  if (c.eat("AS")) return c.name() !== undefined;
  c.name();
  return true;
}

function fromClause(c: Cursor, out: TableRef[]): boolean {
  if (!tableRef(c, out, true)) return false;
  for (;;) {
    if (c.eatPunct(",")) {
      if (!tableRef(c, out, true)) return false;
      continue;
    }
    if (c.eat("INNER")) {
      if (!c.eat("JOIN")) return false;
    } else if (c.eat("LEFT") || c.eat("RIGHT")) {
      c.eat("OUTER");
      if (!c.eat("JOIN")) return false;
    } else if (!c.eat("JOIN")) return true;
    if (!(tableRef(c, out, true) && c.eat("ON") && expression(c))) return false;
  }
}

/** A table name, `db.table` or `table`, and an alias where one is allowed. */
export function tableRef(c: Cursor, out: TableRef[], aliased: boolean): boolean {
  const first = c.name();
  if (first === undefined) return false;
  if (c.isPunct(".") && c.touching() && c.touching(1)) {
    c.i++;
    const table = c.name();
    if (table === undefined) return false;
    out.push({ db: first, table });
  } else out.push({ table: first });
  return !aliased || alias(c);
}

/** ORDER BY and LIMIT at the end of a statement; `offsets` allows `LIMIT n, m` and `OFFSET`. */
export function orderAndLimit(c: Cursor, offsets: boolean): boolean {
  if (c.eat("ORDER") && !(c.eat("BY") && list(c, orderItem))) return false;
  if (!c.eat("LIMIT")) return true;
  if (!c.integer()) return false;
  if (offsets && (c.eatPunct(",") || c.eat("OFFSET"))) return c.integer();
  return true;
}

function orderItem(c: Cursor): typeof PICKED | undefined {
  if (!expression(c)) return undefined;
  if (!c.eat("ASC")) c.eat("DESC");
  return PICKED;
}
