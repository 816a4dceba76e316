import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type pg from "pg";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, until } from "../http/harness.js";
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

/** Drivers through the proxy: the same database as `dev` (development) and as `prod` (production). */
let db: { name: string; drop(): Promise<void> };
let server: ProxyServer;
let token: string;

beforeAll(async () => {
  db = await createDatabase("airlock_protocol");
  await direct(db.name, (c) =>
    c.query("CREATE TABLE items AS SELECT g AS id, 'item ' || g AS name FROM generate_series(1, 100) g"),
  );
  const upstream = `postgres://postgres@127.0.0.1:5432/${db.name}?sslmode=disable`;
  server = await startProxy({
    databases: {
      dev: { upstream, environment: "development" },
      prod: { upstream, environment: "production" },
    },
  });
  token = await agentToken(server);
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const count = () =>
  direct(db.name, async (c) => (await c.query("SELECT count(*)::int AS n FROM items")).rows[0].n as number);
const pgClient = (database: string) => agentClient(server, token, database);

describe("node-postgres (extended protocol) through the proxy", () => {
  it("runs parameterised reads and named prepared statements, each execution judged with its values", async () => {
    const client = await pgClient("prod");
    try {
      expect((await client.query("SELECT $1::int + 1 AS n", [41])).rows).toEqual([{ n: 42 }]);
      const named = { name: "by-id", text: "SELECT name FROM items WHERE id = $1" };
      expect((await client.query({ ...named, values: [3] })).rows).toEqual([{ name: "item 3" }]);
      expect((await client.query({ ...named, values: [4] })).rows).toEqual([{ name: "item 4" }]);
      const error = await client
        .query("DELETE FROM items WHERE id = $1", [5])
        .catch((e: pg.DatabaseError) => e);
      expect(error).toMatchObject({ code: "42501" });
      const request = (
        await call(server, "GET", `/v1/requests/${requestIdIn(String((error as Error).message))}`, token)
      ).json;
      expect(request.action).toMatchObject({
        sql: "DELETE FROM items WHERE id = '5'",
        via: "extended query",
        preview: { rows: 1 },
      });
      // The connection goes on after a refusal.
      expect((await client.query("SELECT count(*)::int AS n FROM items")).rows).toEqual([{ n: 100 }]);
    } finally {
      await client.end();
    }
    expect(await count()).toBe(100);
  });
});

/** postgres.js logged in as the agent through the proxy, over TLS, one connection. */
function postgresJs(database: string) {
  return postgres({
    host: "127.0.0.1",
    port: server.pgPort,
    user: "kiro-7",
    pass: token,
    database,
    ssl: "require",
    max: 1,
    onnotice: () => undefined,
  });
}

describe("postgres.js through the proxy", () => {
  it("reads, pipelines, and runs transactions with savepoints where writes are allowed", async () => {
    const sql = postgresJs("dev");
    try {
      const [a, b] = await Promise.all([
        sql`SELECT ${1}::int AS x`,
        sql`SELECT name FROM items WHERE id = ${2}`,
      ]);
      expect(a?.[0]).toEqual({ x: 1 });
      expect(b?.[0]).toEqual({ name: "item 2" });
      await sql.begin(async (tx) => {
        await tx`INSERT INTO items VALUES (101, 'kept')`;
        await tx
          .savepoint(async (sp) => {
            await sp`INSERT INTO items VALUES (102, 'rolled back')`;
            throw new Error("roll back to the savepoint");
          })
          .catch(() => undefined);
      });
      expect(await count()).toBe(101);
      await sql`DELETE FROM items WHERE id = 101`;
    } finally {
      await sql.end();
    }
  });

  it("aborts the transaction when a write to production is held inside it", async () => {
    const sql = postgresJs("prod");
    try {
      const failed = await sql
        .begin(async (tx) => {
          await tx`SELECT 1`;
          await tx`UPDATE items SET name = 'changed'`;
        })
        .catch((e: { code?: string; message: string }) => e);
      expect(failed).toMatchObject({ code: "42501" });
      expect((failed as Error).message).toMatch(/airlock held this statement for approval: request r_/);
    } finally {
      await sql.end();
    }
    expect(
      await direct(
        db.name,
        async (c) => (await c.query("SELECT count(*)::int AS n FROM items WHERE name = 'changed'")).rows[0].n,
      ),
    ).toBe(0);
  });

  it("cancels a running query on the upstream backend", async () => {
    const sql = postgres({
      host: "127.0.0.1",
      port: server.pgPort,
      user: "kiro-7",
      pass: token,
      database: "prod",
      ssl: "require",
      max: 1,
    });
    try {
      const sleeping = sql`SELECT pg_sleep(60)`;
      const outcome = sleeping.catch((e: { code?: string }) => e);
      await until(async () => {
        const n = await direct(
          db.name,
          async (c) =>
            (
              await c.query(
                "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)' AND state = 'active'",
              )
            ).rows[0].n,
        );
        return n > 0 ? true : undefined;
      }, 100);
      sleeping.cancel();
      expect(await outcome).toMatchObject({ code: "57014" });
    } finally {
      await sql.end();
    }
  });
});

describe("previews, LISTEN and NOTIFY", () => {
  it("shows the approvers how many rows hold data in a column ALTER TABLE would drop", async () => {
    await direct(db.name, (c) => c.query("UPDATE items SET name = NULL WHERE id > 60"));
    try {
      const held = psql(server, token, "prod", "ALTER TABLE items DROP COLUMN name");
      const r = (await call(server, "GET", `/v1/requests/${requestIdIn(held.stderr)}`, token)).json;
      expect((r.action as { preview: unknown }).preview).toMatchObject({
        kind: "columns",
        table: '"items"',
        columns: [{ column: "name", rowsWithData: 60 }],
      });
    } finally {
      await direct(db.name, (c) => c.query("UPDATE items SET name = 'item ' || id WHERE name IS NULL"));
    }
  });

  it("passes notifications to a listening session; NOTIFY on production is a change", async () => {
    const listener = await pgClient("prod");
    try {
      const heard = new Promise<string | undefined>((resolve) =>
        listener.on("notification", (n) => resolve(n.payload)),
      );
      await listener.query("LISTEN airlock_events");
      await direct(db.name, (c) => c.query("NOTIFY airlock_events, 'hello'"));
      expect(await heard).toBe("hello");
      const notify = await listener
        .query("NOTIFY airlock_events, 'from the agent'")
        .catch((e: { code?: string }) => e);
      expect(notify).toMatchObject({ code: "42501" });
    } finally {
      await listener.end();
    }
  });
});

describe("COPY through the proxy", () => {
  it("copies out, and copies in where writes are allowed; COPY FROM STDIN to production is held", async () => {
    const out = psql(
      server,
      token,
      "prod",
      "COPY (SELECT id, name FROM items WHERE id <= 3 ORDER BY id) TO STDOUT",
    );
    expect(out.stdout).toBe("1\titem 1\n2\titem 2\n3\titem 3\n");
    const copyIn = "COPY items FROM STDIN";
    const dev = psql(server, token, "dev", copyIn, { input: "201\tcopied a\n202\tcopied b\n\\.\n" });
    expect(dev.stderr).toBe("");
    expect(await count()).toBe(102);
    const prod = psql(server, token, "prod", copyIn, { input: "203\tcopied c\n\\.\n" });
    expect(prod.stderr).toMatch(/airlock held this statement for approval/);
    expect(await count()).toBe(102);
    await direct(db.name, (c) => c.query("DELETE FROM items WHERE id > 200"));
  });

  it("streams a million-row result without holding it: the proxy's peak memory stays flat", async () => {
    const peak = () =>
      Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.process.pid}/status`, "utf8"))?.[1]) *
      1024;
    const before = peak();
    // About 230 MB of rows, through the proxy, to a reader that throws them away.
    const bytes = await new Promise<number>((resolve, reject) => {
      const child = spawn(
        "psql",
        [
          `host=127.0.0.1 port=${server.pgPort} user=kiro-7 dbname=prod sslmode=require`,
          "-X",
          "-c",
          "COPY (SELECT g, repeat('x', 200) FROM generate_series(1, 1000000) g) TO STDOUT",
        ],
        {
          env: { ...process.env, PGPASSWORD: token },
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      let n = 0;
      child.stdout.on("data", (d: Buffer) => {
        n += d.length;
      });
      child.once("exit", (code) => (code === 0 ? resolve(n) : reject(new Error(`psql exited ${code}`))));
    });
    expect(bytes).toBeGreaterThan(200_000_000);
    expect(peak() - before).toBeLessThan(64 * 1024 * 1024);
  });
});
