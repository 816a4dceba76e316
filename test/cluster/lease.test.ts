import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdvisoryLeases } from "../../src/store/postgres/lease.js";
import { createDatabase, direct, PG } from "../ingress/postgres/harness.js";

/** The sweep lease on the real PostgreSQL: one holder at a time, and lost with its holder's session. */
describe("advisory leases", () => {
  let db: { name: string; drop(): Promise<void> };
  let url: string;
  beforeAll(async () => {
    db = await createDatabase("airlock_lease");
    url = `postgres://${PG.user}@${PG.host}:${PG.port}/${db.name}`;
  });
  afterAll(async () => {
    await db.drop();
  });

  it("is held by one replica at a time and taken over when released", async () => {
    const a = new AdvisoryLeases({ connectionString: url });
    const b = new AdvisoryLeases({ connectionString: url });
    try {
      const leaseA = await a.acquire("test.sweeps");
      expect(leaseA).toBeDefined();
      expect(await leaseA?.held()).toBe(true);
      expect(await b.acquire("test.sweeps")).toBeUndefined();
      // Another name is another lock.
      expect(await b.acquire("test.other")).toBeDefined();
      await leaseA?.release();
      expect(await leaseA?.held()).toBe(false);
      const leaseB = await b.acquire("test.sweeps");
      expect(await leaseB?.held()).toBe(true);
      expect(await a.acquire("test.sweeps")).toBeUndefined();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("is lost when its holder's session ends, and the other replica takes it", async () => {
    const a = new AdvisoryLeases({ connectionString: url });
    const b = new AdvisoryLeases({ connectionString: url });
    try {
      const leaseA = await a.acquire("test.sweeps");
      expect(await b.acquire("test.sweeps")).toBeUndefined();
      // What the database does to a replica that died or was cut off: its session is gone.
      await direct(db.name, (c) =>
        c.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'airlock lease' AND datname = $1 AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)",
          [db.name],
        ),
      );
      expect(await leaseA?.held()).toBe(false);
      const leaseB = await b.acquire("test.sweeps");
      expect(await leaseB?.held()).toBe(true);
      // The replica that lost it reconnects and may take it again once it is free.
      expect(await a.acquire("test.sweeps")).toBeUndefined();
      await leaseB?.release();
      expect(await (await a.acquire("test.sweeps"))?.held()).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
