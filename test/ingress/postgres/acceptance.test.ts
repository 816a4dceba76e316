import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlockSync, call, policyWithDelay, until, verifyAudit } from "../http/harness.js";
import {
  agentToken,
  approverToken,
  createDatabase,
  direct,
  type ProxyServer,
  psql,
  requestIdIn,
  startProxy,
} from "./harness.js";

/**
 * The acceptance test: a production database `orders` with a 10,000-row table, reached
 * only through the proxy with psql.
 */
let db: { name: string; drop(): Promise<void> };
let server: ProxyServer;
const tokens: Record<string, string> = {};
let dropRequest = "";

beforeAll(async () => {
  db = await createDatabase("airlock_accept");
  await direct(db.name, async (c) => {
    // 7,000 orders ten days old, 3,000 from today: the DELETE below matches exactly 7,000.
    await c.query(
      "CREATE TABLE orders AS SELECT g AS id, CASE WHEN g <= 7000 THEN now() - interval '10 days' ELSE now() END AS created_at, 'item ' || g AS item FROM generate_series(1, 10000) g",
    );
  });
  const policy = policyWithDelay(mkdtempSync(join(tmpdir(), "airlock-pg-policy-")), 2);
  const text = readFileSync(policy, "utf8");
  const withSnapshots = text.replace(
    "settings:\n",
    "settings:\n  snapshotBeforeDelete: { rowsOver: 1000, maxBytes: 100000000 }\n",
  );
  if (withSnapshots === text) throw new Error("the default policy has no settings section; update the test");
  writeFileSync(policy, withSnapshots);
  server = await startProxy({
    databases: {
      orders: {
        upstream: `postgres://postgres@127.0.0.1:5432/${db.name}?sslmode=disable`,
        environment: "production",
      },
    },
    policy,
  });
  tokens.agent = await agentToken(server);
  tokens.alice = await approverToken(server, "alice", ["sre"]);
  tokens.bob = await approverToken(server, "bob", ["sre"]);
  tokens.carol = await approverToken(server, "carol", ["dba"]);
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const request = async (id: string) => (await call(server, "GET", `/v1/requests/${id}`, tokens.bob)).json;
const vote = (who: string, id: string, digest: string) =>
  call(server, "POST", `/v1/requests/${id}/approve`, tokens[who], { digest });

describe("the acceptance test of the PostgreSQL proxy", () => {
  it("passes a read at once", () => {
    const run = psql(server, tokens.agent ?? "", "orders", "SELECT count(*) FROM orders");
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("10000");
  });

  it("holds the DELETE with the exact number of rows it matches, and holds it anew when that moves", async () => {
    const sql = "DELETE FROM orders WHERE created_at < now() - interval '1 day'";
    const held = psql(server, tokens.agent ?? "", "orders", sql);
    expect(held.status).not.toBe(0);
    expect(held.stderr).toMatch(/ERROR: {2}airlock held this statement for approval: request r_/);
    const id = requestIdIn(held.stderr);
    const r = await request(id);
    expect((r.action as Record<string, unknown>).preview).toMatchObject({ kind: "rows", rows: 7000 });
    expect(
      await direct(db.name, async (c) => (await c.query("SELECT count(*)::int AS n FROM orders")).rows[0].n),
    ).toBe(10000);

    // Approved for 7,000 rows; one more old order arrives before the agent retries.
    expect((await vote("bob", id, r.digest as string)).status).toBe(200);
    await until(async () => ((await request(id)).status === "approved" ? true : undefined));
    await direct(db.name, (c) =>
      c.query("INSERT INTO orders VALUES (0, now() - interval '20 days', 'late')"),
    );
    const again = psql(server, tokens.agent ?? "", "orders", sql);
    expect(again.status).not.toBe(0);
    const renewed = await request(requestIdIn(again.stderr));
    expect(renewed.id).not.toBe(id);
    expect(renewed.action).toMatchObject({
      preview: { rows: 7001 },
      previewAtApproval: { rows: 7000 },
      supersedes: id,
    });
    await direct(db.name, (c) => c.query("DELETE FROM orders WHERE id = 0"));
  });

  it("holds DROP TABLE for two approvers and the wait; neither the agent nor its person can approve; then it drops once", async () => {
    const held = psql(server, tokens.agent ?? "", "orders", "DROP TABLE orders");
    expect(held.stderr).toContain("needs 2 more approval(s) (0/2), then a wait of 2 s");
    const id = requestIdIn(held.stderr);
    const r = await request(id);
    expect((r.action as Record<string, unknown>).preview).toMatchObject({
      kind: "tables",
      tables: [{ table: '"orders"', bytes: expect.any(Number) }],
      // The approvers know before they approve that a copy will be made, and where.
      snapshot: {
        copy: true,
        table: '"orders"',
        into: expect.stringMatching(/^airlock_backup\."orders_[0-9a-f]{12}"$/),
      },
    });
    dropRequest = id;
    const digest = r.digest as string;
    expect((await vote("agent", id, digest)).json.error).toMatchObject({ code: "wrong_role" });
    expect((await vote("alice", id, digest)).json.error).toMatchObject({ code: "four_eyes" });
    expect((await vote("bob", id, digest)).status).toBe(200);
    // Still held after one approval: the identical statement changes nothing.
    expect(psql(server, tokens.agent ?? "", "orders", "DROP TABLE orders").stderr).toContain(id);
    expect((await vote("carol", id, digest)).status).toBe(200);
    await until(async () => ((await request(id)).status === "approved" ? true : undefined));

    const dropped = psql(server, tokens.agent ?? "", "orders", "DROP TABLE orders");
    expect(dropped.stderr).toBe("");
    expect(
      await direct(db.name, async (c) => (await c.query("SELECT to_regclass('orders') AS t")).rows[0].t),
    ).toBeNull();
    expect((await request(id)).status).toBe("used");
    // Once: the same statement again is a new request.
    const twice = psql(server, tokens.agent ?? "", "orders", "DROP TABLE orders");
    expect(requestIdIn(twice.stderr)).not.toBe(id);
  });

  it("airlock restore brings the dropped table back with its 10,000 rows", async () => {
    const restored = airlockSync([
      "restore",
      dropRequest,
      "--config",
      join(server.dir, "airlock.yaml"),
      "--data-dir",
      server.dataDir,
    ]);
    expect(restored.stderr).toBe("");
    expect(restored.stdout).toMatch(
      /^restored 10000 rows of "orders" on orders from airlock_backup\."orders_[0-9a-f]{12}"/,
    );
    const count = psql(server, tokens.agent ?? "", "orders", "SELECT count(*) FROM orders");
    expect(count.stdout.trim()).toBe("10000");
  });

  it("refuses a wrong token, and the audit log verifies", () => {
    const wrong = psql(server, "alk_wrongwrongwrong", "orders", "SELECT 1");
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toContain('password authentication failed for user "kiro-7"');
    const verify = verifyAudit(server);
    expect(verify.stderr).toBe("");
    expect(verify.stdout).toMatch(/audit log verified/);
  });
});
