import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAnchoredLog } from "../../src/audit/anchoring.js";
import { generateSignerKey, verifierFromSigner } from "../../src/audit/note.js";
import { LogSealer } from "../../src/audit/sealer.js";
import type { Charge, GateCheck, TripRecord } from "../../src/gate/records.js";
import { SCHEMA_VERSION } from "../../src/store/migrations.js";
import {
  type Change,
  type Store,
  StoreConflict,
  type StoredEntry,
  StoreUnavailable,
} from "../../src/store/port.js";
import type { ApprovalRequest } from "../../src/store/records/request.js";

/**
 * What every store must do, whatever its engine: one suite, run against each adapter
 * (sqlite.conformance.test.ts, postgres.conformance.test.ts). An adapter gives a fresh empty store
 * location per test, opens as many stores on it as a test asks (each like another process), and runs
 * raw SQL on it to corrupt what a test needs corrupted.
 */
export interface Adapter {
  /** A new, empty location; later opens and `sql` use it. */
  fresh(): Promise<void>;
  open(options?: { sealer?: LogSealer; readonly?: boolean }): Promise<Store>;
  /** Run raw SQL on the current location (the same text works in both engines). */
  sql(text: string): Promise<void>;
  /** The versions recorded in schema_migrations. */
  versions(): Promise<number[]>;
}

export const T0 = "2026-11-21T10:00:00.000Z";
const SIGNER = generateSignerKey("conformance.test/log");
const VERIFIER = verifierFromSigner(SIGNER);

export function request(id: string, over: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id,
    version: 1,
    status: "pending",
    digest: `sha256:${id}`,
    agent: "kiro-7",
    onBehalfOf: "alice",
    createdAt: T0,
    expiresAt: "2026-11-21T11:00:00.000Z",
    requirement: { required: 1, delaySeconds: 0, expiresInSeconds: 3600 },
    approvals: [],
    denials: [],
    action: { kind: "shell", command: "kubectl delete ns payments" },
    decision: { decision: "hold" },
    ...over,
  };
}

const note = (n: number) => ({ type: "server.started", time: T0, n });

function charge(over: Partial<Charge> = {}): Charge {
  return {
    breaker: "deletes",
    scope: "agent:kiro-7",
    key: "",
    weight: 1,
    limit: 3,
    since: "2026-11-21T09:00:00.000Z",
    bucket: "2026-11-21T10:00:00.000Z",
    ...over,
  };
}

function gate(over: Partial<GateCheck> = {}): GateCheck {
  return { now: T0, pauseScopes: [], tripScopes: [], charges: [], ...over };
}

function trip(id: string, over: Partial<TripRecord> = {}): TripRecord {
  return {
    id,
    breaker: "deletes",
    scope: "agent:kiro-7",
    // biome-ignore lint/suspicious/noThenProperty: the policy's word for what a trip does; a string, never awaited.
    then: "deny-all-but-reads",
    trippedAt: T0,
    reason: "too many deletes",
    ...over,
  };
}

async function all(store: Store): Promise<StoredEntry[]> {
  const out: StoredEntry[] = [];
  for await (const e of store.auditEntries()) out.push(e);
  return out;
}

/** The same changes, in the same order, on every adapter: the log they make is byte for byte the same. */
const GOLDEN_CHANGES: Change[] = [
  { audit: [{ type: "config.loaded", time: T0, config: { origin: "x", list: [3, 1, 2] } }] },
  { create: request("r1"), audit: [{ type: "action", time: T0, agent: "kiro-7", note: "é ✓ \u2028" }] },
  {
    pause: { scope: "all", by: "bob", at: T0 },
    audit: [{ type: "paused", time: T0, scope: "all", by: "bob" }],
  },
  { audit: [note(1), note(2), { type: "request.approved", time: T0, requestId: "r1", by: "bob" }] },
];
/** SHA-256 of every entry's bytes and leaf hash, in order, as the SQLite adapter first wrote them. */
export const GOLDEN_LOG = "f79badddda79b095b71594ac2aa2854461719c831f95ceab54d88423377ecf39";

export function conformance(name: string, adapter: Adapter): void {
  describe(`the ${name} store (conformance)`, () => {
    // Storage, not entry semantics: these entries are minimal on purpose (and their bytes are golden), so the
    // per-type field check the other tests run under (vitest.config.ts) is off in this file's worker.
    const checked = process.env.AIRLOCK_CHECK_AUDIT_FIELDS;
    beforeAll(() => {
      process.env.AIRLOCK_CHECK_AUDIT_FIELDS = "0";
    });
    afterAll(() => {
      process.env.AIRLOCK_CHECK_AUDIT_FIELDS = checked;
    });
    async function withStore<T>(
      run: (store: Store) => Promise<T>,
      options?: { sealer?: LogSealer },
    ): Promise<T> {
      const store = await adapter.open(options);
      try {
        return await run(store);
      } finally {
        await store.close();
      }
    }

    it("creates requests, refuses a second open one and a stale update, and finds them", async () => {
      await adapter.fresh();
      await withStore(async (store) => {
        const r1 = request("r1");
        expect(await store.commit({ create: r1, audit: [note(0)] })).toEqual({ ok: true, firstIndex: 0 });
        await expect(
          store.commit({ create: { ...request("r2"), digest: r1.digest }, audit: [note(1)] }),
        ).rejects.toBeInstanceOf(StoreConflict);
        const approved = { ...r1, version: 2, status: "approved" as const, releasableAt: T0 };
        expect((await store.commit({ update: approved, audit: [note(2)] })).ok).toBe(true);
        await expect(
          store.commit({ update: { ...r1, version: 2 }, audit: [note(3)] }),
        ).rejects.toBeInstanceOf(StoreConflict);
        expect(await store.getRequest("r1")).toEqual(approved);
        expect(await store.getRequest("nope")).toBeUndefined();
        expect(await store.findOpenRequest(r1.digest, "kiro-7")).toEqual(approved);
        expect(await store.findLatestRequest(r1.digest, "kiro-7")).toEqual(approved);
        expect(await store.dueRequests("2026-11-21T12:00:00.000Z")).toEqual([approved]);
        const used = { ...approved, version: 3, status: "used" as const };
        await store.commit({ update: used, audit: [note(4)] });
        expect(await store.findOpenRequest(r1.digest, "kiro-7")).toBeUndefined();
        await store.commit({ create: request("r3", { digest: r1.digest }), audit: [note(5)] });
        expect((await store.listRequests({})).map((r) => r.id)).toEqual(["r3", "r1"]);
        expect((await store.listRequests({ status: "used" })).map((r) => r.id)).toEqual(["r1"]);
        // The refused changes left no entry: indexes run on without a gap.
        expect((await all(store)).map((e) => e.index)).toEqual([0, 1, 2, 3]);
      });
    });

    it("keeps tokens and revokes every token of a name", async () => {
      await adapter.fresh();
      await withStore(async (store) => {
        const identity = { name: "kiro-7", role: "agent" as const, groups: [], onBehalfOf: "alice" };
        await store.commit({ token: { hash: "h1", identity, createdAt: T0 }, audit: [note(0)] });
        await store.commit({ token: { hash: "h2", identity, createdAt: T0 }, audit: [note(1)] });
        expect(await store.findToken("h1")).toEqual({ hash: "h1", identity, createdAt: T0 });
        await store.commit({ revokeTokensOf: "kiro-7", audit: [note(2)] });
        expect((await store.findToken("h2"))?.revokedAt).toMatch(/^\d{4}-/);
        expect((await store.listTokens()).map((t) => [t.hash, t.revokedAt !== undefined])).toEqual([
          ["h1", true],
          ["h2", true],
        ]);
        expect(await store.findToken("h3")).toBeUndefined();
      });
    });

    it("keeps sessions until deleted", async () => {
      await adapter.fresh();
      await withStore(async (store) => {
        const s = {
          hash: "s1",
          name: "bob",
          tokenHash: "h1",
          csrf: "c",
          expiresAt: "2999-01-01T00:00:00.000Z",
        };
        await store.createSession(s);
        expect(await store.findSession("s1")).toEqual(s);
        await store.deleteSession("s1");
        expect(await store.findSession("s1")).toBeUndefined();
      });
    });

    it("keeps pauses, freezes and trips, and refuses a second open trip or a second reset", async () => {
      await adapter.fresh();
      await withStore(async (store) => {
        await store.commit({
          pause: { scope: "all", by: "bob", reason: "incident", at: T0 },
          audit: [note(0)],
        });
        expect(await store.listPauses()).toEqual([{ scope: "all", by: "bob", reason: "incident", at: T0 }]);
        await store.commit({ resume: "all", audit: [note(1)] });
        expect(await store.listPauses()).toEqual([]);
        const freeze = { scope: "env:production", until: "2026-11-22T00:00:00.000Z", by: "carol", at: T0 };
        await store.commit({ freeze, audit: [note(2)] });
        expect(await store.listFreezes()).toEqual([freeze]);
        await store.commit({ unfreeze: "env:production", audit: [note(3)] });
        expect(await store.listFreezes()).toEqual([]);
        await store.commit({ trip: trip("t1"), audit: [note(4)] });
        await expect(store.commit({ trip: trip("t2"), audit: [note(5)] })).rejects.toBeInstanceOf(
          StoreConflict,
        );
        expect(await store.openTrips()).toEqual([trip("t1")]);
        await store.commit({ resetTrip: { id: "t1", resetAt: T0, resetBy: "bob" }, audit: [note(6)] });
        await expect(
          store.commit({ resetTrip: { id: "t1", resetAt: T0, resetBy: "bob" }, audit: [note(7)] }),
        ).rejects.toBeInstanceOf(StoreConflict);
        expect(await store.openTrips()).toEqual([]);
      });
    });

    it("answers a refusal of the gate as a value, and writes nothing of the refused change", async () => {
      await adapter.fresh();
      await withStore(async (store) => {
        const pause = { scope: "agent:kiro-7", by: "bob", at: T0 };
        await store.commit({ pause, audit: [note(0)] });
        expect(
          await store.commit({ gate: gate({ pauseScopes: ["all", "agent:kiro-7"] }), audit: [note(1)] }),
        ).toEqual({
          ok: false,
          refused: { kind: "paused", pause },
        });
        const freeze = { scope: "env:production", until: "2026-11-22T00:00:00.000Z", by: "carol", at: T0 };
        await store.commit({ freeze, audit: [note(2)] });
        expect(
          await store.commit({ gate: gate({ freezeScopes: ["env:production"] }), audit: [note(3)] }),
        ).toEqual({
          ok: false,
          refused: { kind: "frozen", freeze },
        });
        // A freeze whose time is up refuses nothing.
        const later = gate({ now: "2026-11-23T00:00:00.000Z", freezeScopes: ["env:production"] });
        expect((await store.commit({ gate: later, audit: [note(4)] })).ok).toBe(true);
        await store.commit({ trip: trip("t1", { scope: "env:staging" }), audit: [note(5)] });
        expect(await store.commit({ gate: gate({ tripScopes: ["env:staging"] }), audit: [note(6)] })).toEqual(
          {
            ok: false,
            refused: { kind: "tripped", trip: trip("t1", { scope: "env:staging" }) },
          },
        );
        const c = charge({ limit: 1, weight: 1 });
        expect((await store.commit({ gate: gate({ charges: [c] }), audit: [note(7)] })).ok).toBe(true);
        expect(
          await store.commit({ gate: gate({ charges: [c] }), create: request("r9"), audit: [note(8)] }),
        ).toEqual({
          ok: false,
          refused: { kind: "limit", charge: c, count: 1 },
        });
        expect(await store.getRequest("r9")).toBeUndefined();
        expect((await all(store)).map((e) => JSON.parse(e.bytes).n)).toEqual([0, 2, 4, 5, 7]);
      });
    });

    it("counts a breaker exactly under concurrency: 50 commits against a limit of 3 allow 3", async () => {
      await adapter.fresh();
      const stores = [await adapter.open(), await adapter.open(), await adapter.open()];
      try {
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            (stores[i % 3] as Store).commit({
              gate: gate({ charges: [charge({ limit: 3 })] }),
              audit: [note(i)],
            }),
          ),
        );
        expect(results.filter((r) => r.ok).length).toBe(3);
        expect(results.filter((r) => !r.ok && r.refused.kind === "limit").length).toBe(47);
        expect(await (stores[0] as Store).auditSize()).toBe(3);
      } finally {
        for (const s of stores) await s.close();
      }
    });

    it("appends one gapless chain when many commits (from several stores) arrive at once", async () => {
      await adapter.fresh();
      const sealer = () => new LogSealer(SIGNER);
      const stores = [await adapter.open({ sealer: sealer() }), await adapter.open({ sealer: sealer() })];
      try {
        const results = await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            (stores[i % 2] as Store).commit({ audit: [note(i), note(i)] }),
          ),
        );
        const first = results.map((r) => (r.ok ? r.firstIndex : -1)).sort((a, b) => a - b);
        expect(first).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
        // Whichever store sealed last caught up with the other's entries: the head covers the whole log.
        await (stores[0] as Store).commit({ audit: [note(999)] });
        const head = await (stores[0] as Store).head();
        expect(head?.size).toBe(401);
        const report = await checkAnchoredLog({
          store: stores[0] as Store,
          verifierKey: VERIFIER,
          saved: [],
        });
        expect(report.problems).toEqual([]);
        expect(report).toMatchObject({ ok: true, size: 401, signedSize: 401 });
      } finally {
        for (const s of stores) await s.close();
      }
    });

    it("writes the same bytes and leaf hashes as every other adapter for the same changes", async () => {
      await adapter.fresh();
      await withStore(async (store) => {
        for (const change of GOLDEN_CHANGES) expect((await store.commit(change)).ok).toBe(true);
        const entries = await all(store);
        const digest = createHash("sha256");
        for (const e of entries) digest.update(`${e.index}\n${e.bytes}\n${e.leafHash.toString("hex")}\n`);
        expect(entries.length).toBe(6);
        expect(JSON.parse(entries[1]?.bytes ?? "{}").prev).toBe(entries[0]?.leafHash.toString("hex"));
        expect(digest.digest("hex")).toBe(GOLDEN_LOG);
      });
    });

    it("undoes only the change that failed in a group commit", async () => {
      await adapter.fresh();
      await withStore(async (store) => {
        const results = await Promise.allSettled([
          store.commit({ audit: [note(0)] }),
          store.commit({ audit: [{ type: "no.such.type", time: T0 }] }),
          store.commit({ create: request("r1"), audit: [note(2)] }),
          store.commit({ create: request("r2", { digest: "sha256:r1" }), audit: [note(3)] }),
          store.commit({ audit: [note(4)] }),
        ]);
        expect(results.map((r) => r.status)).toEqual([
          "fulfilled",
          "rejected",
          "fulfilled",
          "rejected",
          "fulfilled",
        ]);
        expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailable);
        expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(StoreConflict);
        expect((await all(store)).map((e) => [e.index, JSON.parse(e.bytes).n])).toEqual([
          [0, 0],
          [1, 2],
          [2, 4],
        ]);
      });
    });

    it("keeps checkpoints (once per size) and the signed head of the last commit", async () => {
      await adapter.fresh();
      await withStore(
        async (store) => {
          expect(await store.head()).toBeUndefined();
          await store.commit({ audit: [note(0), note(1)] });
          expect((await store.head())?.size).toBe(2);
          await store.addCheckpoint({ size: 2, note: "first" });
          await store.addCheckpoint({ size: 2, note: "again" });
          expect(await store.checkpoints()).toEqual([{ size: 2, note: "first" }]);
          expect(await store.auditSize()).toBe(2);
          expect((await store.auditEntry(1))?.index).toBe(1);
          expect(await store.auditEntry(2)).toBeUndefined();
        },
        { sealer: new LogSealer(SIGNER) },
      );
    });

    it("reads one snapshot in consistentRead, whatever another store commits meanwhile", async () => {
      await adapter.fresh();
      const reader = await adapter.open();
      const writer = await adapter.open();
      try {
        await writer.commit({ audit: [note(0)] });
        const seen = await reader.consistentRead(async () => {
          const before = await reader.auditSize();
          await writer.commit({ audit: [note(1)] });
          return [before, await reader.auditSize(), (await all(reader)).length];
        });
        expect(seen).toEqual([1, 1, 1]);
        expect(await reader.auditSize()).toBe(2);
      } finally {
        await reader.close();
        await writer.close();
      }
    });

    it("reads the log lazily across pages, and across pages still one snapshot in consistentRead", async () => {
      await adapter.fresh();
      const reader = await adapter.open();
      const writer = await adapter.open();
      try {
        // More than a page of every adapter (1,000 entries), then a partial one.
        await writer.commit({ audit: Array.from({ length: 2_345 }, (_, i) => note(i)) });
        const from = async (start: number) => {
          const indexes: number[] = [];
          for await (const e of reader.auditEntries(start)) {
            expect(Buffer.isBuffer(e.leafHash) && e.leafHash.length === 32).toBe(true);
            indexes.push(e.index);
          }
          return indexes;
        };
        expect(await from(0)).toEqual(Array.from({ length: 2_345 }, (_, i) => i));
        expect(await from(999)).toEqual(Array.from({ length: 2_345 - 999 }, (_, i) => 999 + i));
        expect(await from(2_345)).toEqual([]);
        const seen = await reader.consistentRead(async () => {
          let read = 0;
          for await (const e of reader.auditEntries()) {
            // Another process appends while this one is between pages.
            if (e.index === 1_500) await writer.commit({ audit: [note(-1)] });
            read++;
          }
          return read;
        });
        expect(seen).toBe(2_345);
        expect((await all(reader)).length).toBe(2_346);
      } finally {
        await reader.close();
        await writer.close();
      }
    });

    it("migrates once, however many stores open together, and again finds nothing to do", async () => {
      await adapter.fresh();
      const stores = await Promise.all([adapter.open(), adapter.open(), adapter.open()]);
      for (const s of stores) await s.close();
      await (await adapter.open()).close();
      expect(await adapter.versions()).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    });

    it("refuses a schema newer than it knows, saying so", async () => {
      await adapter.fresh();
      await (await adapter.open()).close();
      await adapter.sql(
        `INSERT INTO schema_migrations (version, applied_at) VALUES (${SCHEMA_VERSION + 1}, '${T0}')`,
      );
      const opening = adapter.open();
      await expect(opening).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(opening).rejects.toMatchObject({
        code: "store_schema_newer",
        message: expect.stringMatching(/schema version \d+, newer than this airlock knows/),
      });
    });

    it("answers readiness by its schema version, and holds a lease until released or closed", async () => {
      await adapter.fresh();
      const store = await adapter.open();
      try {
        expect(await store.health()).toEqual({ ok: true, schema: SCHEMA_VERSION });
        await adapter.sql("INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 'newer')");
        expect(await store.health()).toMatchObject({ ok: false, code: "schema_newer" });
        await adapter.sql("DELETE FROM schema_migrations WHERE version = 9999");
        const lease = await store.acquireLease("conformance.sweeps");
        expect(await lease?.held()).toBe(true);
        await lease?.release();
        expect(await lease?.held()).toBe(false);
        const again = await store.acquireLease("conformance.sweeps");
        expect(await again?.held()).toBe(true);
        await store.close();
        expect(await again?.held()).toBe(false);
        expect(await store.health()).toMatchObject({ ok: false, code: "store_unavailable" });
        expect(await store.acquireLease("conformance.sweeps")).toBeUndefined();
      } finally {
        await store.close();
      }
    });

    it("answers StoreUnavailable for a corrupt row, naming the table, never a cast record", async () => {
      await adapter.fresh();
      await withStore(async (store) => {
        await store.commit({ create: request("r1"), trip: trip("t1"), audit: [note(0)] });
        await adapter.sql(`UPDATE requests SET body = '{"id":"r1","status":"pending"}' WHERE id = 'r1'`);
        await expect(store.getRequest("r1")).rejects.toMatchObject({
          name: "StoreUnavailable",
          code: "store_corrupt",
          message: expect.stringContaining("corrupt row in requests"),
        });
        await adapter.sql(`UPDATE breaker_trips SET body = 'not json' WHERE id = 't1'`);
        await expect(store.openTrips()).rejects.toMatchObject({ code: "store_corrupt" });
        await adapter.sql(
          `INSERT INTO tokens (hash, name, created_at, body) VALUES ('h', 'x', '${T0}', '{"hash":"h"}')`,
        );
        await expect(store.findToken("h")).rejects.toMatchObject({
          code: "store_corrupt",
          message: expect.stringContaining("tokens"),
        });
        // A corrupt last entry is not chained onto: the commit fails, nothing is appended.
        await adapter.sql("UPDATE audit_entries SET idx = -1 - idx");
        await expect(store.commit({ audit: [note(1)] })).rejects.toMatchObject({
          name: "StoreUnavailable",
          message: expect.stringContaining("corrupt row in audit_entries"),
        });
      });
    });
  });
}
