import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlockSync, call, policyWithDelay, until } from "../http/harness.js";
import {
  agentToken,
  approverToken,
  auditEntries,
  createDatabase,
  direct,
  type ProxyServer,
  psql,
  requestIdIn,
  startProxy,
} from "./harness.js";

/** snapshotBeforeDelete: a big DELETE and a TRUNCATE are copied before they run, and restored. */
let db: { name: string; drop(): Promise<void> };
let server: ProxyServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  db = await createDatabase("airlock_snapshot");
  await direct(db.name, async (c) => {
    await c.query("CREATE TABLE events (id serial PRIMARY KEY, kind text NOT NULL CHECK (kind <> ''))");
    await c.query("INSERT INTO events (kind) SELECT 'k' || (g % 7) FROM generate_series(1, 2000) g");
    await c.query(
      "CREATE TABLE big AS SELECT g AS id, repeat('x', 200) AS pad FROM generate_series(1, 20000) g",
    );
  });
  const policy = policyWithDelay(mkdtempSync(join(tmpdir(), "airlock-pg-snap-")), 0);
  const text = readFileSync(policy, "utf8");
  writeFileSync(
    policy,
    text.replace("settings:\n", "settings:\n  snapshotBeforeDelete: { rowsOver: 1000, maxBytes: 1000000 }\n"),
  );
  server = await startProxy({
    databases: { prod: { upstream: `postgres://postgres@127.0.0.1:5432/${db.name}?sslmode=disable` } },
    policy,
  });
  tokens.agent = await agentToken(server);
  tokens.bob = await approverToken(server, "bob");
  tokens.carol = await approverToken(server, "carol");
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const request = async (id: string) => (await call(server, "GET", `/v1/requests/${id}`, tokens.bob)).json;
const events = () =>
  direct(db.name, async (c) => (await c.query("SELECT count(*)::int AS n FROM events")).rows[0].n as number);

/** Hold, approve with every approver needed, wait for the release, run again: the request id. */
async function approveAndRun(sql: string): Promise<{ id: string; preview: Record<string, unknown> }> {
  const held = psql(server, tokens.agent ?? "", "prod", sql);
  const id = requestIdIn(held.stderr);
  const r = await request(id);
  for (const who of ["bob", "carol"].slice(0, (r.requirement as { required: number }).required))
    expect(
      (await call(server, "POST", `/v1/requests/${id}/approve`, tokens[who], { digest: r.digest })).status,
    ).toBe(200);
  await until(async () => ((await request(id)).status === "approved" ? true : undefined));
  const ran = psql(server, tokens.agent ?? "", "prod", sql);
  expect(ran.stderr).toBe("");
  return { id, preview: (r.action as { preview: Record<string, unknown> }).preview };
}

const restore = (id: string) =>
  airlockSync(["restore", id, "--config", join(server.dir, "airlock.yaml"), "--data-dir", server.dataDir]);

describe("snapshotBeforeDelete", () => {
  it("copies the rows of a big DELETE first, and restore puts them back under the same key", async () => {
    const { id, preview } = await approveAndRun("DELETE FROM events WHERE id > 500");
    expect(preview).toMatchObject({ rows: 1500, snapshot: { copy: true, kind: "rows", table: '"events"' } });
    expect(await events()).toBe(500);
    const into = (preview.snapshot as { into: string }).into;
    expect(
      await direct(db.name, async (c) => (await c.query(`SELECT count(*)::int AS n FROM ${into}`)).rows[0].n),
    ).toBe(1500);
    const restored = restore(id);
    expect(restored.stdout).toContain("restored 1500 rows");
    expect(await events()).toBe(2000);
    // The decision, the copy and what the statement did are all in the audit log.
    const audit = await auditEntries(server);
    expect(audit).toContainEqual(
      expect.objectContaining({ type: "snapshot.taken", requestId: id, into, rows: 1500 }),
    );
    expect(audit).toContainEqual(
      expect.objectContaining({
        type: "outcome.reported",
        ok: true,
        message: expect.stringMatching(/^DELETE 1500 — DELETE FROM events/),
      }),
    );
    expect(audit).toContainEqual(
      expect.objectContaining({ type: "snapshot.restored", requestId: id, rows: 1500 }),
    );
    const dup = await direct(db.name, (c) =>
      c.query("INSERT INTO events VALUES (600, 'again')").catch((e: { code: string }) => e),
    );
    expect(dup).toMatchObject({ code: "23505" });
  });

  it("copies a truncated table first, and restore fills it again", async () => {
    const { id, preview } = await approveAndRun("TRUNCATE events");
    expect(preview).toMatchObject({ kind: "tables", snapshot: { copy: true, kind: "table" } });
    expect(await events()).toBe(0);
    expect(restore(id).stdout).toContain("restored 2000 rows");
    expect(await events()).toBe(2000);
    // Once: a second restore finds the copy marked, and puts nothing back.
    const again = restore(id);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/this copy was already put back \(airlock: restored into "events" at /);
    expect(await events()).toBe(2000);
  });

  it("tells the approvers before they approve that a table over maxBytes will not be copied", async () => {
    const held = psql(server, tokens.agent ?? "", "prod", "DROP TABLE big");
    const r = await request(requestIdIn(held.stderr));
    expect((r.action as { preview: unknown }).preview).toMatchObject({
      snapshot: {
        copy: false,
        reason: expect.stringMatching(/over the policy's limit of 1000000: no copy will be made/),
      },
    });
    expect(restore(r.id as string).stderr).toMatch(/has no snapshot/);
  });

  it("does not copy a DELETE of fewer rows than rowsOver", async () => {
    const held = psql(server, tokens.agent ?? "", "prod", "DELETE FROM events WHERE id <= 10");
    const r = await request(requestIdIn(held.stderr));
    expect((r.action as { preview: Record<string, unknown> }).preview).toMatchObject({ rows: 10 });
    expect((r.action as { preview: Record<string, unknown> }).preview.snapshot).toBeUndefined();
  });
});
