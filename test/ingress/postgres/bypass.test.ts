import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../http/harness.js";
import {
  agentClient,
  agentToken,
  createDatabase,
  direct,
  type ProxyServer,
  psql,
  requestIdIn,
  startProxy,
} from "./harness.js";

/**
 * Ways around the gate an agent might try on a production database. Each is held or denied, and the
 * table is still there afterwards (checked on a direct connection).
 */
let db: { name: string; drop(): Promise<void> };
let server: ProxyServer;
let token: string;

beforeAll(async () => {
  db = await createDatabase("airlock_bypass");
  await direct(db.name, async (c) => {
    await c.query("CREATE TABLE accounts AS SELECT g AS id, 100 AS balance FROM generate_series(1, 50) g");
    // As if created earlier, by someone else or under an approval: reads like a read at the call site.
    await c.query("CREATE FUNCTION tidy() RETURNS int LANGUAGE sql AS 'DELETE FROM accounts RETURNING 1'");
    await c.query("CREATE ROLE airlock_bypass_admin SUPERUSER NOLOGIN").catch(() => undefined);
  });
  server = await startProxy({
    databases: {
      prod: {
        upstream: `postgres://postgres@127.0.0.1:5432/${db.name}?sslmode=disable`,
        environment: "production",
      },
    },
  });
  token = await agentToken(server);
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
  await direct("postgres", (c) => c.query("DROP ROLE IF EXISTS airlock_bypass_admin")).catch(() => undefined);
});

const rows = () =>
  direct(
    db.name,
    async (c) => (await c.query("SELECT count(*)::int AS n FROM accounts")).rows[0].n as number,
  );

const ATTEMPTS: [string, string][] = [
  ["a destructive statement after a comment", "/* just a read */ -- SELECT 1\nDROP TABLE accounts"],
  ["a destructive statement in a multi-statement string", "SELECT 1; DELETE FROM accounts; SELECT 2"],
  [
    "a function created and then called",
    "CREATE FUNCTION wipe() RETURNS void LANGUAGE sql AS 'DELETE FROM accounts'; SELECT wipe()",
  ],
  ["a user-defined function called from a SELECT", "SELECT tidy()"],
  ["SET ROLE", "SET ROLE airlock_bypass_admin"],
  ["SET SESSION AUTHORIZATION", "SET SESSION AUTHORIZATION airlock_bypass_admin"],
  ["set_config of the role", "SELECT set_config('role', 'airlock_bypass_admin', false)"],
  ["COPY … TO PROGRAM", "COPY accounts TO PROGRAM 'cat > /tmp/airlock-bypass'"],
  ["EXECUTE format(…) in a DO block", "DO $$BEGIN EXECUTE format('DROP TABLE %I', 'accounts'); END$$"],
  ["a write inside a CTE", "WITH gone AS (DELETE FROM accounts RETURNING id) SELECT count(*) FROM gone"],
  ["an SQL-level prepared statement", "PREPARE p AS DELETE FROM accounts; EXECUTE p"],
];

describe("bypass attempts through the proxy", () => {
  for (const [what, sql] of ATTEMPTS) {
    it(`guards ${what}`, async () => {
      const run = psql(server, token, "prod", sql);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(/airlock (held|denied) this statement/);
      expect(run.stdout).toBe("");
      expect(await rows()).toBe(50);
    });
  }

  it("shows the approvers what the catalog says of a user-defined function", async () => {
    const run = psql(server, token, "prod", "SELECT tidy()");
    const r = (await call(server, "GET", `/v1/requests/${requestIdIn(run.stderr)}`, token)).json;
    expect(r.action).toMatchObject({
      functions: [{ name: "tidy", schema: "public", volatility: "v", owner: "postgres", language: "sql" }],
    });
    const ops = (r.decision as { operations: { name: string; opaque?: boolean }[] }).operations;
    expect(ops).toContainEqual(expect.objectContaining({ name: "FUNCTION public.tidy", opaque: true }));
  });

  it("does not let a reused prepared-statement name change what was judged", async () => {
    const sql = "SELECT 1";
    expect(psql(server, token, "prod", sql).stdout.trim()).toBe("1");
    // A client can only Bind what it Parsed; reusing a live name is refused before the upstream sees it.
    const client = await agentClient(server, token);
    try {
      expect(
        (await client.query({ name: "s1", text: "SELECT count(*)::int AS n FROM accounts" })).rows,
      ).toEqual([{ n: 50 }]);
      // node-postgres trusts its cache of names; a second Parse of s1 goes out only from a fresh client object.
      const raw = client as unknown as { connection: { parsedStatements: Record<string, string> } };
      raw.connection.parsedStatements = {};
      const error = await client
        .query({ name: "s1", text: "DELETE FROM accounts" })
        .catch((e: { code?: string }) => e);
      expect(error).toMatchObject({ code: "42P05" });
    } finally {
      await client.end();
    }
    expect(await rows()).toBe(50);
  });
});
