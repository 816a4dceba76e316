import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sweeper } from "../../src/ingress/http/sweeper.js";
import { PostgresStore } from "../../src/store/postgres/store.js";
import { createDatabase, PG } from "../ingress/postgres/harness.js";

/** The sweeps of two replicas on the real PostgreSQL: one sweeps at a time, the other takes over. */
describe("sweeps once in the cluster", () => {
  let db: { name: string; drop(): Promise<void> };
  beforeAll(async () => {
    db = await createDatabase("airlock_sweeper");
  });
  afterAll(async () => {
    await db.drop();
  });

  it("runs the sweeps and checkpoints on the lease holder only, and moves when it stops", async () => {
    const url = `postgres://${PG.user}@${PG.host}:${PG.port}/${db.name}`;
    const replica = async (name: string) => {
      const store = await PostgresStore.open({ url });
      const counts = { everyReplica: 0, sweep: 0, checkpoint: 0, held: [] as boolean[] };
      const sweeper = new Sweeper({
        store,
        everyReplica: async () => counts.everyReplica++,
        sweep: async () => counts.sweep++,
        checkpoint: async () => counts.checkpoint++,
        sweepMs: 1000,
        checkpointMs: 60_000,
        log: () => undefined,
        onLease: (held) => counts.held.push(held),
      });
      return { name, store, counts, sweeper };
    };
    const a = await replica("a");
    const b = await replica("b");
    try {
      for (let i = 0; i < 3; i++) {
        await a.sweeper.tick();
        await b.sweeper.tick();
      }
      expect(a.counts).toEqual({ everyReplica: 3, sweep: 3, checkpoint: 1, held: [true] });
      expect(b.counts).toEqual({ everyReplica: 3, sweep: 0, checkpoint: 0, held: [] });

      // A stops: it still holds the lease, signs its last checkpoint, and gives the lease up.
      expect(await a.sweeper.stop()).toBe(true);
      await a.sweeper.release();
      await a.store.close();
      await b.sweeper.tick();
      // The new holder signs at once: the old one may have died before its next checkpoint.
      expect(b.counts).toMatchObject({ sweep: 1, checkpoint: 1, held: [true] });
    } finally {
      await a.sweeper.stop();
      await b.sweeper.stop();
      await a.store.close();
      await b.store.close();
    }
  });
});
