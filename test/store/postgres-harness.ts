import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * The machine's real PostgreSQL (127.0.0.1:5432, user postgres, trust auth; `npm test` starts it through
 * scripts/test-setup.mjs). Tests make their own uniquely named databases and drop only those.
 */
export const PG_HOST = process.env.AIRLOCK_TEST_PGHOST ?? "127.0.0.1";
export const PG_PORT = Number(process.env.AIRLOCK_TEST_PGPORT ?? 5432);
export const PG_USER = process.env.AIRLOCK_TEST_PGUSER ?? "postgres";

export function urlOf(database: string, port = PG_PORT): string {
  return `postgres://${PG_USER}@${PG_HOST}:${port}/${database}`;
}

async function withClient<T>(database: string, run: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ host: PG_HOST, port: PG_PORT, user: PG_USER, database });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL does not answer on ${PG_HOST}:${PG_PORT} as ${PG_USER} (${(err as Error).message}). ` +
        "Start it with `npm test` (scripts/test-setup.mjs starts it), or `pg_ctlcluster 15 main start`; " +
        "install it with `apt-get install postgresql`.",
    );
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A new database named `airlock_test_<what>_<random>`. */
export async function createDatabase(what: string): Promise<string> {
  const name = `airlock_test_${what}_${randomBytes(6).toString("hex")}`;
  await withClient("postgres", (c) => c.query(`CREATE DATABASE ${name}`));
  return name;
}

/** Drop a database this test made (its name says so), closing what still connects to it. */
export async function dropDatabase(name: string): Promise<void> {
  if (!/^airlock_test_[a-z0-9_]+$/.test(name)) throw new Error(`not a test database: ${name}`);
  await withClient("postgres", (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export function adminQuery(database: string, text: string): Promise<pg.QueryResult> {
  return withClient(database, (c) => c.query(text));
}
