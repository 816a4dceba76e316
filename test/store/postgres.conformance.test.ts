import { afterAll } from "vitest";
import { PostgresStore } from "../../src/store/postgres/store.js";
import { conformance } from "./conformance.js";
import { adminQuery, createDatabase, dropDatabase, urlOf } from "./postgres-harness.js";

/** Every test gets its own database, made here and dropped at the end (only the ones this file made). */
const made: string[] = [];
let current = "";

afterAll(async () => {
  for (const name of made) await dropDatabase(name);
});

conformance("PostgreSQL", {
  fresh: async () => {
    current = await createDatabase("conformance");
    made.push(current);
  },
  open: (options = {}) => PostgresStore.open({ url: urlOf(current), ...options }),
  sql: async (text) => {
    await adminQuery(current, text);
  },
  versions: async () =>
    (await adminQuery(current, "SELECT version FROM schema_migrations ORDER BY version")).rows.map((r) =>
      Number(r.version),
    ),
});
