import { parseSync } from "libpg-query";
import { calledFunctionNames } from "./catalog.js";
import type { PostgresDatabase } from "./config.js";
import { countSql } from "./count-sql.js";
import type { Preview } from "./preview-compare.js";
import { quoteLiteral, upstreamQuery } from "./upstream-query.js";

/** Built-in functions a preview may evaluate in a WHERE: they read, and cannot reach outside. */
const SAFE_FUNCTIONS = new Set(
  "now current_date current_timestamp localtimestamp statement_timestamp transaction_timestamp clock_timestamp date_trunc date_part extract age lower upper length coalesce nullif greatest least abs round floor ceil trim btrim ltrim rtrim substring substr position concat to_char to_date to_timestamp make_interval make_date interval array_length cardinality any all in isnull".split(
    " ",
  ),
);

/**
 * ALTER TABLE … DROP COLUMN: the rows holding data in each dropped column.
 * DELETE and UPDATE: the exact number of rows the WHERE matches, counted in a READ ONLY transaction
 * with a statement timeout, pg_catalog first in the search path. DROP TABLE and TRUNCATE: each
 * table's row estimate, size, and the objects CASCADE would take. Nothing for development, for other
 * statements, or when the WHERE calls a function that is not a known built-in (it would run before
 * anyone approved it).
 */
export async function measure(
  db: PostgresDatabase,
  sql: string,
  timeoutMs: number,
): Promise<Preview | undefined> {
  if (db.environment === "development") return undefined;
  let node: [string, Record<string, unknown>] | undefined;
  try {
    const stmt = parseSync(sql).stmts?.[0]?.stmt as Record<string, Record<string, unknown>> | undefined;
    const kind = stmt ? Object.keys(stmt)[0] : undefined;
    node = kind && stmt?.[kind] ? [kind, stmt[kind]] : undefined;
  } catch {
    return undefined;
  }
  if (!node) return undefined;
  const [kind, tree] = node;
  const measuredAt = new Date().toISOString();
  try {
    if (kind === "DeleteStmt" || kind === "UpdateStmt") {
      const unsafe = calledFunctionNames(tree).filter((f) => !SAFE_FUNCTIONS.has(f));
      if (unsafe.length > 0)
        return { kind: "rows", skipped: `calls ${unsafe.join(", ")}: not run before approval`, measuredAt };
      const count = countSql(sql);
      if (!count)
        return { kind: "rows", skipped: "no read-only count can be made of this statement", measuredAt };
      const rows = await upstreamQuery(
        db.upstream,
        `BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.floor(timeoutMs)}; SELECT set_config('search_path', 'pg_catalog, ' || current_setting('search_path'), true); ${count}; ROLLBACK`,
      );
      const table = relationName(tree.relation as RangeVar | undefined);
      const size = await upstreamQuery(
        db.upstream,
        `SELECT pg_total_relation_size(to_regclass(${quoteLiteral(table)}))`,
      );
      return {
        kind: "rows",
        rows: Number(rows.at(-1)?.[0]),
        table,
        tableBytes: Number(size[0]?.[0] ?? 0),
        measuredAt,
      };
    }
    if (kind === "AlterTableStmt") return await droppedColumns(db, tree, timeoutMs, measuredAt);
    const tables = tablesOf(kind, tree);
    if (tables.length === 0) return undefined;
    const measured = [];
    for (const table of tables) measured.push(await tableFigures(db, table, timeoutMs));
    return { kind: "tables", tables: measured, measuredAt };
  } catch (err) {
    return {
      kind: kind === "DeleteStmt" || kind === "UpdateStmt" ? "rows" : "tables",
      error: (err as Error).message,
      measuredAt,
    };
  }
}

async function tableFigures(db: PostgresDatabase, table: string, timeoutMs: number): Promise<Preview> {
  const reg = `to_regclass(${quoteLiteral(table)})`;
  const rows = await upstreamQuery(
    db.upstream,
    `BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.floor(timeoutMs)};
     SELECT c.reltuples::bigint, pg_total_relation_size(c.oid),
       (SELECT string_agg(DISTINCT pg_describe_object(d.classid, d.objid, d.objsubid), '; ')
          FROM pg_depend d WHERE d.refobjid = c.oid AND d.deptype = 'n')
     FROM pg_class c WHERE c.oid = ${reg}; ROLLBACK`,
  );
  const row = rows.at(-1);
  if (!row) return { table, exists: false };
  const estimate = Number(row[0]);
  return {
    table,
    rowEstimate: estimate < 0 ? null : estimate,
    bytes: Number(row[1]),
    cascade: row[2] ? row[2].split("; ") : [],
  };
}

/** ALTER TABLE … DROP COLUMN: for each dropped column, the rows that hold data in it (not NULL). */
async function droppedColumns(
  db: PostgresDatabase,
  tree: Record<string, unknown>,
  timeoutMs: number,
  measuredAt: string,
): Promise<Preview | undefined> {
  const cmds = ((tree.cmds ?? []) as { AlterTableCmd?: { subtype?: string; name?: string } }[])
    .map((c) => c.AlterTableCmd)
    .filter((c) => c?.subtype === "AT_DropColumn" && c.name);
  if (cmds.length === 0) return undefined;
  const table = relationName(tree.relation as RangeVar | undefined);
  const columns = [];
  for (const c of cmds) {
    const column = `"${(c?.name ?? "").replace(/"/g, '""')}"`;
    const rows = await upstreamQuery(
      db.upstream,
      `BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.floor(timeoutMs)}; SELECT count(*) FROM ${table} WHERE ${column} IS NOT NULL; ROLLBACK`,
    );
    columns.push({ column: c?.name, rowsWithData: Number(rows.at(-1)?.[0]) });
  }
  return { kind: "columns", table, columns, measuredAt };
}

type RangeVar = { schemaname?: string; relname?: string };

function relationName(r: RangeVar | undefined): string {
  const q = (n: string) => `"${n.replace(/"/g, '""')}"`;
  return r?.schemaname ? `${q(r.schemaname)}.${q(r.relname ?? "")}` : q(r?.relname ?? "");
}

function tablesOf(kind: string, tree: Record<string, unknown>): string[] {
  if (kind === "TruncateStmt")
    return ((tree.relations ?? []) as { RangeVar: RangeVar }[]).map((r) => relationName(r.RangeVar));
  if (kind === "DropStmt" && tree.removeType === "OBJECT_TABLE")
    return ((tree.objects ?? []) as { List: { items: { String: { sval: string } }[] } }[]).map((o) =>
      o.List.items.map((i) => `"${i.String.sval.replace(/"/g, '""')}"`).join("."),
    );
  return [];
}
