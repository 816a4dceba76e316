import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSql } from "../../../src/analyze/sql/index.js";
import type { Identity } from "../../../src/approvals/identity.js";
import { ApprovalService } from "../../../src/approvals/service.js";
import { issueToken } from "../../../src/approvals/tokens.js";
import { resolvePostgres } from "../../../src/ingress/postgres/config.js";
import { type RunningProxy, startPostgresProxy } from "../../../src/ingress/postgres/listener.js";
import { proxySecureContext } from "../../../src/ingress/postgres/tls.js";
import { loadPolicy } from "../../../src/local/policy-file.js";
import { StoreUnavailable } from "../../../src/store/errors.js";
import { SqliteStore } from "../../../src/store/sqlite/store.js";
import { DoorStore } from "../../store/door-store.js";
import { createDatabase, direct } from "./harness.js";

const sqlOf = (entry: Record<string, unknown>) =>
  entry.type === "action" ? (entry.action as { sql?: string }).sql : undefined;

let db: { name: string; drop(): Promise<void> };
let dir: string;
let store: SqliteStore;
let door: DoorStore;
let proxy: RunningProxy;
let token: string;

beforeAll(async () => {
  db = await createDatabase("airlock_durability");
  await direct(db.name, async (c) => {
    await c.query("CREATE TABLE items AS SELECT g AS id FROM generate_series(1, 10) g");
    await c.query("CREATE SEQUENCE tickets");
  });
  dir = mkdtempSync(join(tmpdir(), "airlock-pg-durability-"));
  store = await SqliteStore.open(join(dir, "data"));
  door = new DoorStore(store);
  const agent: Identity = { name: "kiro-7", role: "agent", groups: [], onBehalfOf: "alice" };
  token = await issueToken(store, agent, "test");
  await loadSql(["postgres"]);
  const config = resolvePostgres(
    {
      listen: "127.0.0.1:0",
      databases: {
        // Development: a write such as nextval is allowed here, so what is under test is when it is forwarded.
        scratch: {
          upstream: `postgres://postgres@127.0.0.1:5432/${db.name}?sslmode=disable`,
          environment: "development",
        },
      },
    },
    undefined,
    dir,
    {},
  );
  if (!config) throw new Error("no postgres configuration");
  const service = new ApprovalService({
    store: door.asStore(),
    policy: await loadPolicy(),
    publicUrl: () => "http://127.0.0.1:1",
  });
  proxy = await startPostgresProxy({
    config,
    secure: proxySecureContext(join(dir, "data")),
    service,
    store,
    identities: new Map(),
    log: () => undefined,
  });
});

afterAll(async () => {
  door?.open();
  await proxy?.close();
  await store?.close();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const connect = async () => {
  const client = new pg.Client({
    host: "127.0.0.1",
    port: proxy.address.port,
    user: "kiro-7",
    password: token,
    database: "scratch",
  });
  client.on("error", () => undefined);
  await client.connect();
  return client;
};

describe("when a statement's audit entry must be durable", () => {
  it("answers a plain read before its entry is written, and records it with its outcome after", async () => {
    const client = await connect();
    try {
      door.closed = true;
      // The store takes nothing: a plain read is still answered.
      expect((await client.query("SELECT count(*)::int AS n FROM items")).rows).toEqual([{ n: 10 }]);
      const sql = "SELECT count(*)::int AS n FROM items";
      const at = await door.waitFor((e) => sqlOf(e) === sql);
      expect(door.held[at]?.change.audit[0]).toMatchObject({ decision: { decision: "allow" } });
      // Its outcome is queued after it, so the log reads in the order things happened.
      const outcome = await door.waitFor(
        (e) => e.type === "outcome.reported" && String(e.message).endsWith(sql),
      );
      expect(outcome).toBeGreaterThan(at);
      expect(door.held[outcome]?.change.audit[0]).toMatchObject({ ok: true, message: `SELECT 1 — ${sql}` });
      door.open();
    } finally {
      await client.end();
    }
  });

  it("forwards nothing that may change something until its entry is durable: nextval waits", async () => {
    const client = await connect();
    try {
      door.closed = true;
      let answered = false;
      const running = client.query("SELECT nextval('tickets') AS n").then((r) => {
        answered = true;
        return r.rows;
      });
      await door.waitFor((e) => sqlOf(e) === "SELECT nextval('tickets') AS n");
      // Its entry is waiting at the door: the upstream has not seen it (the sequence has not moved).
      const moved = await direct(
        db.name,
        async (c) => (await c.query("SELECT last_value, is_called FROM tickets")).rows[0],
      );
      expect(moved).toEqual({ last_value: "1", is_called: false });
      expect(answered).toBe(false);
      door.open();
      expect(await running).toEqual([{ n: "1" }]);
    } finally {
      await client.end();
    }
  });

  it("ends the session when a read's entry cannot be written, and waits for the store from then on", async () => {
    const client = await connect();
    const ended = new Promise<Error>((resolve) => client.once("error", resolve));
    try {
      door.closed = true;
      await client.query("SELECT 1 AS one");
      const at = await door.waitFor((e) => sqlOf(e) === "SELECT 1 AS one");
      door.held.splice(at, 1)[0]?.fail(new StoreUnavailable("disk full"));
      expect(String((await ended).message)).toMatch(/could not record a statement of this session/);
      // Another session: reads now wait for their own entry, so a store that fails refuses them.
      const other = await connect();
      try {
        const next = other.query("SELECT 2 AS two").catch((e: pg.DatabaseError) => e);
        const again = await door.waitFor((e) => sqlOf(e) === "SELECT 2 AS two");
        door.held.splice(again, 1)[0]?.fail(new StoreUnavailable("disk full"));
        expect(await next).toMatchObject({
          code: "42501",
          message: expect.stringMatching(/store_unavailable/),
        });
        door.open();
        // Once an entry is written again, reads go on.
        expect((await other.query("SELECT 3 AS three")).rows).toEqual([{ three: 3 }]);
      } finally {
        await other.end();
      }
    } finally {
      door.open();
      await client.end().catch(() => undefined);
    }
  });
});
