import type pg from "pg";
import { checkSchemaVersion, forPostgres, MIGRATIONS } from "../migrations.js";
import { MIGRATE_LOCK } from "./sql.js";

/**
 * Bring the database's schema up to date: the shared list of migrations, each in its own transaction,
 * under a session advisory lock so that replicas starting together migrate once and the others wait,
 * then find nothing to do. A schema newer than this airlock knows is refused before anything runs.
 * `apply` false: only check (a read-only opener must not change the schema).
 */
export async function migrate(client: pg.ClientBase, apply: boolean): Promise<void> {
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATE_LOCK]);
  try {
    if (apply)
      await client.query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
      );
    else if (!(await client.query("SELECT to_regclass('schema_migrations') AS t")).rows[0]?.t) return;
    const rows = (await client.query<{ version: number }>("SELECT version FROM schema_migrations")).rows;
    const applied = new Set(rows.map((r) => Number(r.version)));
    checkSchemaVersion(applied);
    if (!apply) return;
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      await client.query("BEGIN");
      try {
        await client.query(forPostgres(m.sql));
        await client.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", [
          m.version,
          new Date().toISOString(),
        ]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      }
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATE_LOCK]);
  }
}
