import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateSignerKey } from "../../src/audit/note.js";
import { LogSealer } from "../../src/audit/sealer.js";
import { verifyStoredLog } from "../../src/audit/stored.js";
import { type Checkpoint, StoreConflict, StoreUnavailable } from "../../src/store/port.js";
import { openSealedStore } from "../../src/store/sealed.js";
import { SqliteStore } from "../../src/store/sqlite/store.js";
import { request as requestOf } from "./conformance.js";

/**
 * What the embedded store's worker thread adds to the conformance suite: a worker that stops or never
 * starts fails closed (no call hangs), errors keep their class and code across the thread, the
 * per-type audit field check still runs where entries are made, and the head is signed in the worker.
 */

const T0 = "2026-11-21T10:00:00.000Z";
const stopped = { type: "server.stopped", time: T0, pid: 1 };
const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const fresh = () => mkdtempSync(join(tmpdir(), "airlock-sqlite-worker-"));

describe("the embedded store's worker thread", () => {
  it("fails closed when the worker stops: the pending calls and every later one reject, none hangs", async () => {
    const store = await SqliteStore.open(fresh(), { workerUrl: fixture("dying-sqlite-worker.mjs") });
    expect(await store.auditSize()).toBe(0);
    const committing = store.commit({ audit: [stopped] });
    // A commit is sent at the end of this turn of the event loop: these reads reach the worker after it.
    await new Promise((resolve) => setImmediate(resolve));
    const pending = [committing, store.auditSize(), store.listTokens()];
    const outcomes = await Promise.allSettled(pending);
    for (const o of outcomes) {
      expect(o.status).toBe("rejected");
      const reason = (o as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(StoreUnavailable);
      expect(reason).toMatchObject({
        code: "store_unavailable",
        message: expect.stringMatching(/worker thread stopped \(exit code 7\)/),
      });
    }
    await expect(store.getRequest("r1")).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.commit({ audit: [stopped] })).rejects.toBeInstanceOf(StoreUnavailable);
    expect(await store.health()).toMatchObject({ ok: false, code: "store_unavailable" });
    expect(await store.acquireLease("sweeps")).toBeUndefined();
    await store.close();
  });

  it("refuses to open when the worker cannot start, or the file cannot be opened", async () => {
    await expect(
      SqliteStore.open(fresh(), { workerUrl: fixture("broken-sqlite-worker.mjs") }),
    ).rejects.toMatchObject({
      name: "StoreUnavailable",
      message: expect.stringContaining("this worker cannot start"),
    });
    await expect(
      SqliteStore.open(fresh(), { workerUrl: fixture("no-such-worker.mjs") }),
    ).rejects.toBeInstanceOf(StoreUnavailable);
    // Read-only needs the file to exist: the engine's own error, from inside the worker.
    await expect(SqliteStore.open(join(fresh(), "none"), { readonly: true })).rejects.toMatchObject({
      name: "StoreUnavailable",
      message: expect.stringContaining("cannot open the store"),
    });
  });

  it("keeps each error's class and code across the thread, and checks audit fields where entries are made", async () => {
    const store = await SqliteStore.open(fresh());
    try {
      const request = requestOf("r1");
      await store.commit({ create: request, audit: [stopped] });
      const conflict = store.commit({ create: { ...request, id: "r2" }, audit: [stopped] });
      await expect(conflict).rejects.toBeInstanceOf(StoreConflict);
      await expect(conflict).rejects.toMatchObject({ name: "StoreConflict", code: "store_conflict" });
      // vitest sets AIRLOCK_CHECK_AUDIT_FIELDS=1: the worker inherits it and refuses a draft without its type's fields.
      expect(process.env.AIRLOCK_CHECK_AUDIT_FIELDS).toBe("1");
      const missing = store.commit({ audit: [{ type: "paused", time: T0 }] });
      await expect(missing).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(missing).rejects.toMatchObject({
        code: "store_unavailable",
        message: expect.stringContaining("not a valid audit entry"),
      });
      // A value that cannot cross the thread is refused, and the store goes on.
      await expect(
        store.commit({ audit: [{ ...stopped, pid: () => 1 } as unknown as typeof stopped] }),
      ).rejects.toBeInstanceOf(StoreUnavailable);
      expect(await store.auditSize()).toBe(1);
    } finally {
      await store.close();
    }
    await expect(store.auditSize()).rejects.toMatchObject({ message: "the store is closed" });
  });

  it("signs the head in the worker with the sealer's key, and tells of it before the commit resolves", async () => {
    const signer = generateSignerKey("worker.test/log");
    const heads: Checkpoint[] = [];
    const first = new LogSealer(signer);
    const store = await SqliteStore.open(fresh(), { sealer: first, afterSeal: (h) => heads.push(h) });
    const committed = store.commit({ audit: [stopped, stopped] }).then(() => heads.length);
    // afterSeal hears of the head before the commit resolves.
    expect(await committed).toBe(1);
    await store.commit({ audit: [stopped] });
    expect(heads.map((h) => h.size)).toEqual([2, 3]);
    expect(first.size).toBe(3);
    expect(await store.head()).toEqual(heads[1]);
    await store.close();
  });

  it("goes on sealing a log a served writer opens again, where the check at start left the tree", async () => {
    const dataDir = fresh();
    const open = () =>
      openSealedStore({ dataDir, origin: "worker.test/log", checkpointDir: join(dataDir, "checkpoints") });
    const first = await open();
    await first.store.commit({ audit: [stopped, stopped] });
    await first.store.close();
    const second = await open();
    expect(second.anchor).toMatchObject({ ok: true });
    await second.store.commit({ audit: [stopped] });
    expect(await second.store.head()).toMatchObject({ size: 3 });
    expect(await verifyStoredLog(second.store, second.keys.verifierKey)).toMatchObject({ ok: true, size: 3 });
    await second.store.close();
  });
});
