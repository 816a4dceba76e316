import type { Operation } from "../types.js";
import { listNames, sqlOp, tables } from "./operation.js";

/**
 * How far a WHERE clause reaches, decided per engine from its syntax tree:
 * - missing: no WHERE at all
 * - all: a tautology (1=1, x=x, OR true, LIKE '%') or a predicate that names no column, which
 *   can only pick every row or none
 * - key: an equality on the table's key (id, <table>_id, uuid, email …): one row
 * - filter: any other predicate (ranges, foreign keys, IN lists): some rows
 */
export type WhereVerdict =
  | { reach: "missing" }
  | { reach: "all"; why: string }
  | { reach: "key"; column: string }
  | { reach: "filter" };

const KEY_NAMES = new Set(["id", "uuid", "guid", "pk", "key", "email", "username", "slug"]);

/**
 * A column that names one row. `user_id` is a key of `users` but only a foreign key of `orders`,
 * where it can match many rows, so `<x>_id` counts only when x is the table's own name.
 */
export function isKeyColumn(column: string, table: string): boolean {
  const col = column.toLowerCase();
  if (KEY_NAMES.has(col)) return true;
  const flat = col.replace(/_/g, "");
  const base = (table.split(".").pop() ?? table).toLowerCase().replace(/_/g, "");
  const singular = base.replace(/(es|s)$/, "");
  return [base, singular, base.replace(/s$/, "")].some((t) => flat === `${t}id` || flat === `${t}uuid`);
}

export type RowVerb = "DELETE" | "UPDATE";

/** DELETE or UPDATE of one table's rows, classified by the reach of its WHERE clause. */
export function rowWriteOp(
  verb: RowVerb,
  table: string,
  where: WhereVerdict,
  detail: { columns?: string[]; envHints?: string[]; limited?: boolean } = {},
): Operation {
  const what = verb === "DELETE" ? `DELETE FROM ${table}` : `UPDATE ${table}${setList(detail.columns)}`;
  const targets = tables([table]);
  const envHints = detail.envHints ?? [];
  if (where.reach === "missing" || where.reach === "all") {
    const why = where.reach === "missing" ? "without WHERE" : `with WHERE ${where.why}`;
    const limit = detail.limited ? " (LIMIT caps one run, not a loop)" : "";
    const does = verb === "DELETE" ? "deletes every row" : "overwrites every row";
    return sqlOp({
      name: verb,
      targets,
      envHints,
      effect: verb === "DELETE" ? "delete" : "write",
      reversibility: "irreversible",
      blastRadius: "service",
      tags: ["unbounded", "data-loss"],
      summary: `${what} ${why}: ${does} of the table${limit} (irreversible)`,
    });
  }
  const one = where.reach === "key";
  if (verb === "DELETE" && !one) {
    // A range or filter can match any number of rows: they are gone unless restored from a backup.
    return sqlOp({
      name: verb,
      targets,
      envHints,
      effect: "delete",
      reversibility: "recoverable",
      blastRadius: "service",
      summary: `${what}: deletes every row matching the WHERE clause, however many (recoverable only from a backup)`,
    });
  }
  const rows = one ? `the row with the given ${where.column}` : "the rows matching the WHERE clause";
  return sqlOp({
    name: verb,
    targets,
    envHints,
    effect: "write",
    reversibility: "reversible",
    blastRadius: one ? "resource" : "service",
    summary: `${what}: ${verb === "DELETE" ? "deletes" : "changes"} ${rows}`,
  });
}

function setList(columns: string[] | undefined): string {
  return columns && columns.length > 0 ? ` SET ${listNames(columns)}` : "";
}

export function insertOp(name: string, table: string, manyRows: boolean, envHints: string[] = []): Operation {
  return sqlOp({
    name,
    effect: "write",
    reversibility: "reversible",
    blastRadius: manyRows ? "service" : "resource",
    targets: tables([table]),
    envHints,
    summary: `${name} INTO ${table}: adds ${manyRows ? "rows" : "a row"}${name === "REPLACE" ? ", replacing rows with the same key" : ""}`,
  });
}

export function truncateOp(names: string[], cascade: boolean, envHints: string[] = []): Operation {
  const extra = cascade ? " and every table referencing them (CASCADE)" : "";
  return sqlOp({
    name: "TRUNCATE",
    effect: "delete",
    reversibility: "irreversible",
    blastRadius: "service",
    targets: tables(names),
    envHints,
    tags: names.length > 1 ? ["data-loss", "bulk"] : ["data-loss"],
    summary: `TRUNCATE ${listNames(names)}: deletes all rows${extra} (irreversible)`,
  });
}
