import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, until } from "../http/harness.js";
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
 * settings.previewTolerance, through psql: a DELETE approved for N rows is released when the count
 * moved within the policy's tolerance, and held anew, showing both figures, when it moved beyond it.
 */
let db: { name: string; drop(): Promise<void> };
let server: ProxyServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  db = await createDatabase("airlock_tolerance");
  await direct(db.name, (c) =>
    c.query("CREATE TABLE jobs AS SELECT g AS id, g <= 40 AS done FROM generate_series(1, 100) g"),
  );
  const dir = mkdtempSync(join(tmpdir(), "airlock-pg-tolerance-"));
  const defaultPolicy = new URL("../../../policies/default.yaml", import.meta.url).pathname;
  const text = readFileSync(defaultPolicy, "utf8");
  const policy = text.replace("settings:\n", "settings:\n  previewTolerance: { rows: { count: 2 } }\n");
  if (policy === text) throw new Error("the default policy has no settings section; update the test");
  writeFileSync(join(dir, "policy.yaml"), policy);
  server = await startProxy({
    databases: {
      app: { upstream: `postgres://postgres@127.0.0.1:5432/${db.name}?sslmode=disable` },
    },
    policy: join(dir, "policy.yaml"),
  });
  tokens.agent = await agentToken(server);
  tokens.bob = await approverToken(server, "bob", ["sre"]);
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const request = async (id: string) => (await call(server, "GET", `/v1/requests/${id}`, tokens.bob)).json;

/** Held, approved by bob, and released: the request id. */
async function approved(sql: string, rows: number): Promise<string> {
  const held = psql(server, tokens.agent ?? "", "app", sql);
  expect(held.stderr).toMatch(/airlock held this statement for approval/);
  const id = requestIdIn(held.stderr);
  const r = await request(id);
  expect(r.action).toMatchObject({ preview: { kind: "rows", rows } });
  const vote = await call(server, "POST", `/v1/requests/${id}/approve`, tokens.bob, { digest: r.digest });
  expect(vote.status).toBe(200);
  await until(async () => ((await request(id)).status === "approved" ? true : undefined));
  return id;
}

const countWhere = (where: string) =>
  direct(
    db.name,
    async (c) => (await c.query(`SELECT count(*)::int AS n FROM jobs WHERE ${where}`)).rows[0].n,
  );

describe("the policy's preview tolerance", () => {
  it("releases a DELETE whose count moved within it", async () => {
    const id = await approved("DELETE FROM jobs WHERE done", 40);
    // Two more rows match by the time the agent retries: within { count: 2 }.
    await direct(db.name, (c) => c.query("INSERT INTO jobs VALUES (101, true), (102, true)"));
    const run = psql(server, tokens.agent ?? "", "app", "DELETE FROM jobs WHERE done");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(await countWhere("done")).toBe(0);
    expect((await request(id)).status).toBe("used");
  });

  it("holds anew, showing both figures, a DELETE whose count moved beyond it", async () => {
    const sql = "DELETE FROM jobs WHERE id > 90";
    const id = await approved(sql, 10);
    await direct(db.name, (c) =>
      c.query("INSERT INTO jobs SELECT g, false FROM generate_series(103, 105) g"),
    );
    const run = psql(server, tokens.agent ?? "", "app", sql);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/airlock held this statement for approval: request r_/);
    expect(run.stderr).toContain(
      `the approval of ${id} does not apply: the statement matched 10 rows when approved and matches 13 now, beyond the policy's tolerance`,
    );
    const renewed = await request(requestIdIn(run.stderr));
    expect(renewed.id).not.toBe(id);
    expect(renewed.action).toMatchObject({
      preview: { rows: 13 },
      previewAtApproval: { rows: 10 },
      supersedes: id,
    });
    // Nothing ran.
    expect(await countWhere("id > 90")).toBe(13);
  });
});
