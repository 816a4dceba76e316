import type { Operation } from "../types.js";
import { Cursor } from "./mysql-fast-cursor.js";
import { plainSelect } from "./mysql-fast-select.js";
import { plainWrite } from "./mysql-fast-write.js";
import type { MyStatement } from "./mysql-lexer.js";
import { listNames, readOp } from "./operation.js";

/**
 * node-sql-parser takes 20–300 µs a statement, most of a MySQL action's time. The statements that
 * dominate traffic (plain SELECTs, single-table DELETE/UPDATE/INSERT, USE, SHOW TABLES, DESCRIBE,
 * transaction control, session SET) are read here from the lexer's tokens instead, but only when
 * the statement keeps to a plain subset that the parser is known to accept and whose tree is known
 * to give exactly these operations (the tests compare the two on thousands of generated
 * statements, and on every grammar word of the parser used as a name). Anything else, including
 * any call of a function with a rule of its own, returns undefined and goes to the parser.
 */
export function fastMysqlOperations(stmt: MyStatement): Operation[] | undefined {
  const head = stmt.tokens[0]?.key ?? "";
  if (!HEADS.has(head)) return undefined;
  const c = Cursor.over(stmt);
  if (!c) return undefined;
  const op = statement(c, head);
  return op && c.done ? [op] : undefined;
}

const HEADS = new Set([
  "SELECT",
  "DELETE",
  "UPDATE",
  "INSERT",
  "REPLACE",
  "USE",
  "BEGIN",
  "COMMIT",
  "ROLLBACK",
  "START",
  "DESCRIBE",
  "DESC",
  "SHOW",
  "SET",
]);

const WRITES = new Set(["DELETE", "UPDATE", "INSERT", "REPLACE"]);

/** SHOW statements whose tree names them by their second word. */
const SHOWN = new Set(["TABLES", "DATABASES"]);

function statement(c: Cursor, head: string): Operation | undefined {
  if (head === "SELECT") return plainSelect(c);
  if (WRITES.has(head)) return plainWrite(c, head);
  c.i = 1;
  switch (head) {
    case "USE": {
      const db = c.name();
      return db === undefined
        ? undefined
        : readOp("USE", `USE ${db}: switches the current database`, [], [db]);
    }
    case "BEGIN":
    case "COMMIT":
    case "ROLLBACK":
      return readOp(head, `${head}: transaction control`);
    case "START":
      return c.eat("TRANSACTION") ? readOp("BEGIN", "BEGIN: transaction control") : undefined;
    case "DESCRIBE":
    case "DESC": {
      const table = c.name();
      return table === undefined
        ? undefined
        : readOp("DESCRIBE", `DESCRIBE ${table}: reads a table's definition`);
    }
    case "SHOW": {
      const what = c.key;
      return SHOWN.has(what) && c.eat(what) ? readOp("SHOW", `SHOW ${what}: reads metadata`) : undefined;
    }
    default:
      return sessionSet(c);
  }
}

/** `SET name = constant, …`: session variables only (no GLOBAL, @@, NAMES, PASSWORD …). */
function sessionSet(c: Cursor): Operation | undefined {
  const names: string[] = [];
  do {
    const name = c.word();
    if (name === undefined || !c.eatPunct("=")) return undefined;
    if (c.kind !== "number" && c.kind !== "string") return undefined;
    c.i++;
    names.push(name);
  } while (c.eatPunct(","));
  return readOp("SET", `SET ${listNames(names)}: changes session settings only`);
}
