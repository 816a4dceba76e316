import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readErrorFields } from "../../../src/ingress/postgres/replies.js";
import { cstring, int16, type Message, message } from "../../../src/ingress/postgres/wire.js";
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
import { WireClient } from "./wire-client.js";

/**
 * Statements sent together (one simple-query message; Binds up to one Sync) are one implicit
 * transaction in Postgres: airlock judges them all first, forwards all or none, and uses an
 * approval only when they all go. Under the default policy an INSERT, an UPDATE or a DELETE with a
 * WHERE in production needs one approval and no wait.
 */
let db: { name: string; drop(): Promise<void> };
let server: ProxyServer;
let agent: string;
let bob: string;

beforeAll(async () => {
  db = await createDatabase("airlock_together");
  await direct(db.name, (c) => c.query("CREATE TABLE items AS SELECT g AS id FROM generate_series(1, 10) g"));
  server = await startProxy({
    databases: {
      prod: {
        upstream: `postgres://postgres@127.0.0.1:5432/${db.name}?sslmode=disable`,
        environment: "production",
      },
    },
  });
  agent = await agentToken(server);
  bob = await approverToken(server, "bob");
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const ids = () =>
  direct(db.name, async (c) =>
    (await c.query("SELECT id FROM items ORDER BY id")).rows.map((r) => r.id as number),
  );
const request = async (id: string) => (await call(server, "GET", `/v1/requests/${id}`, bob)).json;
async function approve(id: string): Promise<void> {
  const r = await request(id);
  expect((await call(server, "POST", `/v1/requests/${id}/approve`, bob, { digest: r.digest })).status).toBe(
    200,
  );
  await until(async () => ((await request(id)).status === "approved" ? true : undefined));
}
/** Every request id named in a text, in order. */
const requestIds = (text: string) =>
  [...text.matchAll(/\b(r_[A-Za-z0-9_-]{8,})/g)].map((m) => m[1] as string);

describe("a simple-query message of several statements", () => {
  it("holds every statement at once, and the retry after the approvals goes through once", async () => {
    const sql = "INSERT INTO items VALUES (11); DELETE FROM items WHERE id = 1";
    const first = psql(server, agent, "prod", sql);
    expect(first.status).not.toBe(0);
    // The message names its own request, and the detail the other statement's: both in one round.
    const [insert, del] = [...new Set(requestIds(first.stderr))];
    expect(insert && del).toBeTruthy();
    expect(first.stderr).toMatch(/statement 1 of 2 sent together/);
    await approve(insert as string);
    // One approved, one not: nothing runs and the approval is kept.
    const second = psql(server, agent, "prod", sql);
    expect(second.status).not.toBe(0);
    expect(requestIdIn(second.stderr)).toBe(del);
    expect(second.stderr).toMatch(new RegExp(`approved by ${insert}, kept for when all go`));
    expect((await request(insert as string)).status).toBe("approved");
    expect(await ids()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await approve(del as string);
    const third = psql(server, agent, "prod", sql);
    expect(third.stderr).toBe("");
    expect(third.status).toBe(0);
    expect(await ids()).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect((await request(insert as string)).status).toBe("used");
    expect((await request(del as string)).status).toBe("used");
    // Once: the identical message is held anew.
    const fourth = psql(server, agent, "prod", sql);
    expect(fourth.status).not.toBe(0);
    expect(requestIds(fourth.stderr)).not.toContain(insert);
  });

  it("does not spend an approved statement's release when a held one is sent with it", async () => {
    const del = "DELETE FROM items WHERE id = 2";
    const alone = requestIdIn(psql(server, agent, "prod", del).stderr);
    await approve(alone);
    const together = psql(server, agent, "prod", `${del}; DROP TABLE items`);
    expect(together.status).not.toBe(0);
    expect(together.stderr).toMatch(/airlock held this statement/);
    expect(together.stderr).toMatch(/statement 2 of 2/);
    expect((await request(alone)).status).toBe("approved");
    expect(await ids()).toContain(2);
    // The approval is still there for the DELETE sent on its own.
    const retry = psql(server, agent, "prod", del);
    expect(retry.stderr).toBe("");
    expect(await ids()).not.toContain(2);
    expect((await request(alone)).status).toBe("used");
  });
});

/** Parse, Bind and Execute of each statement, then one Sync: one write, one implicit transaction. */
function pipeline(statements: string[]): Buffer {
  const parts = statements.flatMap((sql) => [
    message("P", cstring(""), cstring(sql), int16(0)),
    message("B", cstring(""), cstring(""), int16(0), int16(0), int16(0)),
    message("E", cstring(""), Buffer.alloc(4)),
  ]);
  return Buffer.concat([...parts, message("S")]);
}

async function sendPipeline(statements: string[]): Promise<{ errors: string[]; tags: string[] }> {
  const { client, first } = await WireClient.login(server.pgPort, "kiro-7", agent, "prod");
  expect(first?.type).toBe("R");
  try {
    client.send(pipeline(statements));
    const replies: Message[] = await client.until("Z");
    return {
      errors: replies
        .filter((m) => m.type === "E")
        .map((m) => {
          const f = readErrorFields(m.body);
          return `${f.get("M")}\n${f.get("D") ?? ""}`;
        }),
      tags: replies.filter((m) => m.type === "C").map((m) => m.body.toString("utf8", 0, m.body.length - 1)),
    };
  } finally {
    client.end();
  }
}

describe("a pipeline of Binds before one Sync", () => {
  it("runs nothing and uses no approval while one Bind is held; the retry after its approval runs once", async () => {
    const insert = "INSERT INTO items VALUES (12)";
    const update = "UPDATE items SET id = 13 WHERE id = 3";
    const approvedFirst = requestIdIn((await sendPipeline([insert])).errors[0] ?? "");
    await approve(approvedFirst);
    const held = await sendPipeline([insert, update]);
    expect(held.tags).toEqual([]);
    expect(held.errors).toHaveLength(1);
    const [error] = held.errors;
    expect(error).toMatch(/airlock held this statement/);
    expect(error).toMatch(new RegExp(`approved by ${approvedFirst}, kept for when all go`));
    expect(await ids()).not.toContain(12);
    expect((await request(approvedFirst)).status).toBe("approved");
    await approve(requestIdIn(error ?? ""));
    const ran = await sendPipeline([insert, update]);
    expect(ran.errors).toEqual([]);
    expect(ran.tags).toEqual(["INSERT 0 1", "UPDATE 1"]);
    const now = await ids();
    expect(now).toContain(12);
    expect(now).toContain(13);
    expect(now).not.toContain(3);
    expect((await request(approvedFirst)).status).toBe("used");
    // Once: the same pipeline is held again.
    expect((await sendPipeline([insert, update])).errors[0]).toMatch(/airlock held this statement/);
  });
});
