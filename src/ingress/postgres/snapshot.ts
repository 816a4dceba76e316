import { createHash } from "node:crypto";
import { parseSync } from "libpg-query";
import type { PostgresDatabase } from "./config.js";
import { rowsSql } from "./count-sql.js";
import type { Preview } from "./preview-compare.js";
import { quoteLiteral, upstreamQuery } from "./upstream-query.js";

export const BACKUP_SCHEMA = "airlock_backup";

export interface SnapshotSettings {
  rowsOver: number;
  maxBytes: number;
}

/** What the approvers are told before they approve: a copy will be made (and where), or why not. */
export type SnapshotPlan =
  | { copy: true; table: string; into: string; kind: "table" | "rows"; bytes: number }
  | { copy: false; reason: string };

/** The plan for a statement, from its preview (tables and sizes measured on the upstream). */
export function planSnapshot(
  settings: SnapshotSettings | undefined,
  preview: Preview,
  sql: string,
): SnapshotPlan | undefined {
  if (!settings || preview.kind === "columns") return undefined;
  const rows = preview.kind === "rows";
  const tables = (preview.tables ?? []) as { table: string; bytes?: number }[];
  if (rows && (typeof preview.rows !== "number" || preview.rows <= settings.rowsOver)) return undefined;
  const table = rows ? (preview.table as string | undefined) : tables[0]?.table;
  const bytes = rows ? Number(preview.tableBytes ?? 0) : (tables[0]?.bytes ?? 0);
  if (!table) return { copy: false, reason: "airlock cannot tell which table this statement changes" };
  if (!rows && tables.length > 1) return { copy: false, reason: "only single-table statements are copied" };
  if (rows && !rowsSql(sql))
    return { copy: false, reason: "the rows of a DELETE or UPDATE with USING or FROM are not copied" };
  if (bytes > settings.maxBytes)
    return {
      copy: false,
      reason: `${table} holds ${bytes} bytes, over the policy's limit of ${settings.maxBytes}: no copy will be made`,
    };
  const stamp = createHash("sha256")
    .update(`${sql}\0${String(preview.measuredAt)}`)
    .digest("hex")
    .slice(0, 12);
  const base = table.replace(/"/g, "").split(".").at(-1) ?? "t";
  return {
    copy: true,
    table,
    into: `${BACKUP_SCHEMA}."${base.slice(0, 40)}_${stamp}"`,
    kind: rows ? "rows" : "table",
    bytes,
  };
}

/** Copy what the statement will destroy, before it runs; throws when the copy cannot be made. */
/*
 * The copy keeps columns, CHECK constraints and indexes (primary key included), not defaults: a default
 * that uses the table's own sequence would make the copy depend on it, and DROP TABLE would then fail.
 */
export async function takeSnapshot(
  db: PostgresDatabase,
  plan: Extract<SnapshotPlan, { copy: true }>,
  sql: string,
): Promise<number> {
  const source = plan.kind === "table" ? `SELECT * FROM ${plan.table}` : rowsSql(sql);
  if (!source) throw new Error("no read-only copy can be made of this statement");
  const rows = await upstreamQuery(
    db.upstream,
    `BEGIN; SET LOCAL search_path = pg_catalog, public;
     CREATE SCHEMA IF NOT EXISTS ${BACKUP_SCHEMA};
     CREATE TABLE ${plan.into} (LIKE ${plan.table} INCLUDING CONSTRAINTS INCLUDING INDEXES);
     COMMENT ON TABLE ${plan.into} IS ${quoteLiteral(`airlock snapshot of ${plan.table} before: ${sql.slice(0, 500)}`)};
     RESET search_path;
     INSERT INTO ${plan.into} ${source};
     SELECT count(*) FROM ${plan.into}; COMMIT`,
  );
  return Number(rows.at(-1)?.[0] ?? 0);
}

/** Put a snapshot back: the table recreated (DROP) or the rows inserted again (TRUNCATE, DELETE). */
/** How a copy already put back is marked (its table comment). */
const RESTORED_MARK = "airlock: restored";

export async function restoreSnapshot(
  db: PostgresDatabase,
  plan: Extract<SnapshotPlan, { copy: true }>,
  sql: string,
): Promise<number> {
  const kind = statementKind(sql);
  if (kind === "UpdateStmt")
    throw new Error(
      `the rows before the UPDATE are in ${plan.into}; airlock does not know the table's key to write them back: restore them by hand`,
    );
  const create = kind === "DropStmt" ? `CREATE TABLE ${plan.table} (LIKE ${plan.into} INCLUDING ALL);` : "";
  // A copy is put back once: it is marked in the same transaction, and a second restore finds the mark
  // (inserting the same rows twice into a table without a key would only duplicate them).
  const mark = `${RESTORED_MARK} into ${plan.table} at ${new Date().toISOString()}`;
  const rows = await upstreamQuery(
    db.upstream,
    `BEGIN; LOCK TABLE ${plan.into} IN SHARE ROW EXCLUSIVE MODE;
     DO $airlock$ BEGIN
       IF obj_description(${quoteLiteral(plan.into)}::regclass, 'pg_class') LIKE ${quoteLiteral(`${RESTORED_MARK}%`)} THEN
         RAISE EXCEPTION 'this copy was already put back (%); nothing was done',
           obj_description(${quoteLiteral(plan.into)}::regclass, 'pg_class');
       END IF;
     END $airlock$;
     ${create} INSERT INTO ${plan.table} SELECT * FROM ${plan.into};
     COMMENT ON TABLE ${plan.into} IS ${quoteLiteral(mark)};
     SELECT count(*) FROM ${plan.into}; COMMIT`,
  );
  return Number(rows.at(-1)?.[0] ?? 0);
}

function statementKind(sql: string): string | undefined {
  try {
    const stmt = parseSync(sql).stmts?.[0]?.stmt;
    return stmt ? Object.keys(stmt)[0] : undefined;
  } catch {
    return undefined;
  }
}
