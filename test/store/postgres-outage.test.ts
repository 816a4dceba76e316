import { connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApprovalService } from "../../src/approvals/service.js";
import { loadPolicy } from "../../src/local/policy-file.js";
import { StoreUnavailable } from "../../src/store/port.js";
import { PostgresStore } from "../../src/store/postgres/store.js";
import { createDatabase, dropDatabase, PG_HOST, PG_PORT, urlOf } from "./postgres-harness.js";

/**
 * A relay between the store and the machine's PostgreSQL that the test can cut and restore: the
 * database "goes away" for this store alone, without touching the cluster other tests share.
 */
class Relay {
  readonly #sockets = new Set<Socket>();
  #open = true;
  server: Server;
  constructor() {
    this.server = createServer((client) => {
      if (!this.#open) return client.destroy();
      const upstream = connect(PG_PORT, PG_HOST);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on("close", () => this.#sockets.delete(s));
        s.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
  }
  listen(): Promise<number> {
    return new Promise((resolve) =>
      this.server.listen(0, "127.0.0.1", () => resolve((this.server.address() as { port: number }).port)),
    );
  }
  cut(): void {
    this.#open = false;
    for (const s of this.#sockets) s.destroy();
  }
  restore(): void {
    this.#open = true;
  }
}

let db = "";
const relay = new Relay();
let port = 0;

beforeAll(async () => {
  db = await createDatabase("outage");
  port = await relay.listen();
});

afterAll(async () => {
  relay.server.close();
  await dropDatabase(db);
});

describe("a PostgreSQL store that loses its database", () => {
  it("answers StoreUnavailable while it is gone, and works again by itself when it returns", async () => {
    const store = await PostgresStore.open({ url: urlOf(db, port), poolSize: 2 });
    try {
      const note = (n: number) => ({ type: "server.started", time: "2026-11-21T10:00:00.000Z", n });
      expect((await store.commit({ audit: [note(0)] })).ok).toBe(true);
      relay.cut();
      await expect(store.commit({ audit: [note(1)] })).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(store.listPauses()).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(
        store.commit({
          gate: { now: "x", pauseScopes: ["all"], tripScopes: [], charges: [] },
          audit: [note(2)],
        }),
      ).rejects.toBeInstanceOf(StoreUnavailable);
      relay.restore();
      // The pool may still hand out one connection that died with the relay: it fails once, and is gone.
      let result = await store.commit({ audit: [note(3)] }).catch((err: unknown) => err);
      if (result instanceof StoreUnavailable) result = await store.commit({ audit: [note(3)] });
      expect(result).toEqual({ ok: true, firstIndex: 1 });
      expect(await store.auditSize()).toBe(2);
    } finally {
      await store.close();
    }
  });

  it("denies an agent's action with store_unavailable while the database is gone, then decides again", async () => {
    const store = await PostgresStore.open({ url: urlOf(db, port), poolSize: 2 });
    const service = new ApprovalService({
      store,
      policy: await loadPolicy(),
      publicUrl: () => "http://airlock.test",
    });
    const agent = { name: "kiro-7", role: "agent" as const, groups: [], onBehalfOf: "alice" };
    const action = { kind: "shell", command: "ls /tmp" };
    try {
      expect((await service.submit(action, agent)).decision).toBe("allow");
      relay.cut();
      expect(await service.submit(action, agent)).toMatchObject({
        decision: "deny",
        code: "store_unavailable",
      });
      relay.restore();
      let decision = await service.submit(action, agent);
      if (decision.code === "store_unavailable") decision = await service.submit(action, agent);
      expect(decision.decision).toBe("allow");
    } finally {
      await store.close();
    }
  });

  it("cannot be opened while the database does not answer, and says where it looked", async () => {
    relay.cut();
    try {
      await expect(PostgresStore.open({ url: urlOf(db, port) })).rejects.toMatchObject({
        name: "StoreUnavailable",
        message: expect.stringContaining(`cannot open the store at postgres://`),
      });
    } finally {
      relay.restore();
    }
  });
});
