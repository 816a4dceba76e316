import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { SqliteStore } from "../../src/store/sqlite/store.js";
import { conformance } from "./conformance.js";

let dir = "";

function raw<T>(run: (db: Database.Database) => T): T {
  const db = new Database(join(dir, "airlock.db"));
  try {
    return run(db);
  } finally {
    db.close();
  }
}

conformance("SQLite", {
  fresh: async () => {
    dir = mkdtempSync(join(tmpdir(), "airlock-conformance-"));
  },
  open: async (options = {}) => await SqliteStore.open(dir, options),
  sql: async (text) => {
    raw((db) => db.exec(text));
  },
  versions: async () =>
    raw((db) =>
      (
        db.prepare("SELECT version FROM schema_migrations ORDER BY version").all() as { version: number }[]
      ).map((r) => r.version),
    ),
});
