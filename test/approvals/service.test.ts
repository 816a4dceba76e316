import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Identity } from "../../src/approvals/identity.js";
import { ReadRecords } from "../../src/approvals/read-records.js";
import { ApprovalService } from "../../src/approvals/service.js";
import { loadPolicy } from "../../src/local/policy-file.js";
import type { CompiledPolicy } from "../../src/policy/compile.js";
import { StoreUnavailable } from "../../src/store/port.js";
import { SqliteStore } from "../../src/store/sqlite/store.js";
import { entries as entriesOf } from "./monitor-fixtures.js";

const agent: Identity = { name: "kiro-7", role: "agent", groups: [], onBehalfOf: "alice" };
const bob: Identity = { name: "bob", role: "approver", groups: [] };
const carol: Identity = { name: "carol", role: "approver", groups: [] };
const DROP_NS = {
  kind: "k8s",
  verb: "delete",
  resource: "namespaces",
  name: "payments",
  kubeContext: "prod-eu",
};

let policy: CompiledPolicy;
let store: SqliteStore;
let now: number;
let service: ApprovalService;

beforeEach(async () => {
  policy ??= await loadPolicy();
  store = await SqliteStore.open(mkdtempSync(join(tmpdir(), "airlock-service-")));
  now = Date.parse("2026-11-21T10:00:00Z");
  service = new ApprovalService({ store, policy, publicUrl: () => "http://airlock.test", clock: () => now });
});

afterEach(async () => {
  await store.close();
});

function entries(s: SqliteStore = store) {
  return entriesOf(s);
}

describe("the approval service on SQLite", () => {
  it("never releases an expired request, even fully approved", async () => {
    const held = await service.submit(DROP_NS, agent);
    const id = held.request?.id ?? "";
    await service.vote(id, bob, "approve", held.digest ?? "");
    await service.vote(id, carol, "approve", held.digest ?? "");
    now += 7200 * 1000; // the default policy's expiry for production destruction
    expect((await service.get(id))?.status).toBe("expired");
    const late = await service.vote(
      id,
      { name: "dan", role: "approver", groups: [] },
      "approve",
      held.digest ?? "",
    );
    expect(late).toMatchObject({ ok: false, code: "request_closed" });
    const again = await service.submit(DROP_NS, agent);
    expect(again.decision).toBe("hold");
    expect(again.request?.id).not.toBe(id);
  });

  it("counts concurrent votes correctly: two approvals at once both land, once each", async () => {
    const held = await service.submit(DROP_NS, agent);
    const id = held.request?.id ?? "";
    const votes = await Promise.all([
      service.vote(id, bob, "approve", held.digest ?? ""),
      service.vote(id, carol, "approve", held.digest ?? ""),
      service.vote(id, bob, "approve", held.digest ?? ""),
    ]);
    expect(votes.filter((v) => v.ok)).toHaveLength(2);
    expect(votes.filter((v) => !v.ok)).toMatchObject([{ code: "already_voted" }]);
    const request = await service.get(id);
    expect(request?.approvals.map((a) => a.by).sort()).toEqual(["bob", "carol"]);
  });

  it("opens one request for the same action submitted many times at once", async () => {
    const decisions = await Promise.all(Array.from({ length: 20 }, () => service.submit(DROP_NS, agent)));
    expect(new Set(decisions.map((d) => d.request?.id)).size).toBe(1);
    expect(await store.listRequests({ status: "pending" })).toHaveLength(1);
  });

  it("records every step with the agent's intent beside its action, and chains the entries", async () => {
    const held = await service.submit({ ...DROP_NS, intent: "clean up the old namespace" }, agent);
    await service.vote(held.request?.id ?? "", bob, "deny", held.digest ?? "", "still in use");
    const log = await entries();
    expect(log.map((e) => e.type)).toEqual(["action", "request.denied"]);
    expect(log[0]).toMatchObject({
      intent: "clean up the old namespace",
      agent: "kiro-7",
      onBehalfOf: "alice",
    });
    expect(log[1]).toMatchObject({ by: "bob", comment: "still in use" });
    expect(log.map((e) => e.index)).toEqual([0, 1]);
  });

  it("fails closed when the store cannot write: a deny with store_unavailable, never an allow", async () => {
    await store.close();
    const decision = await service.submit({ kind: "k8s", verb: "get", resource: "pods" }, agent);
    expect(decision).toMatchObject({ decision: "deny", code: "store_unavailable" });
    await expect(store.commit({ audit: [] })).rejects.toBeInstanceOf(StoreUnavailable);
    store = await SqliteStore.open(mkdtempSync(join(tmpdir(), "airlock-service-")));
  });

  it("fails closed with internal_error, not store_unavailable, when airlock itself fails", async () => {
    // A bug on the way to the store (here: a commit that throws a TypeError), the store itself healthy.
    const broken = new Proxy(store, {
      get: (target, property) =>
        property === "commit"
          ? () => Promise.reject(new TypeError("cannot read properties of undefined"))
          : (Reflect.get(target, property, target).bind?.(target) ?? Reflect.get(target, property, target)),
    });
    const buggy = new ApprovalService({ store: broken, policy, publicUrl: () => "http://airlock.test" });
    const decision = await buggy.submit({ kind: "k8s", verb: "get", resource: "pods" }, agent);
    expect(decision).toMatchObject({ decision: "deny", code: "internal_error" });
    expect(decision.reasons[0]).toMatch(/a bug in airlock/);
  });

  it("survives a restart: pending requests and votes are read back from disk", async () => {
    const dir = mkdtempSync(join(tmpdir(), "airlock-restart-"));
    const first = await SqliteStore.open(dir);
    const s1 = new ApprovalService({ store: first, policy, publicUrl: () => "", clock: () => now });
    const held = await s1.submit(DROP_NS, agent);
    await s1.vote(held.request?.id ?? "", bob, "approve", held.digest ?? "");
    await first.close();
    const second = await SqliteStore.open(dir);
    const s2 = new ApprovalService({ store: second, policy, publicUrl: () => "", clock: () => now });
    expect((await s2.submit(DROP_NS, agent)).request?.id).toBe(held.request?.id);
    expect((await s2.get(held.request?.id ?? ""))?.approvals).toHaveLength(1);
    expect((await entries(second)).map((e) => e.index)).toEqual([0, 1, 2]);
    await second.close();
  });
});

describe("submitRead: an allowed plain read comes back before its entry is written", () => {
  const sql = (text: string) => ({
    kind: "sql",
    engine: "postgres",
    sql: text,
    database: "orders",
    context: { environment: "production" },
  });
  // Queued only when the test says so (now()), never by the timer.
  const reads = () => new ReadRecords(600_000);
  const actionSql = async () =>
    (await entries()).filter((e) => e.type === "action").map((e) => (e.action as { sql: string }).sql);

  it("queues a read's entry at reads.now(), and says when it is durable", async () => {
    const r = reads();
    const read = await service.submitRead(sql("SELECT * FROM orders"), agent, r);
    expect(read.decision.decision).toBe("allow");
    expect(read.queued).toBeDefined();
    await new Promise((resolve) => setImmediate(resolve));
    expect((await entries()).some((e) => e.type === "action")).toBe(false);
    r.now();
    await read.recorded;
    expect((await entries()).filter((e) => e.type === "action")).toMatchObject([
      { action: { sql: "SELECT * FROM orders" }, decision: { decision: "allow" } },
    ]);
  });

  it("records anything else before it comes back, after the reads forwarded before it", async () => {
    const r = reads();
    const read = await service.submitRead(sql("SELECT * FROM orders"), agent, r);
    const held = await service.submitRead(sql("DELETE FROM orders"), agent, r);
    expect(held.decision.decision).toBe("hold");
    expect(held.queued).toBeUndefined();
    await held.recorded;
    await read.recorded;
    // The read was sent first, so it is logged first, though its entry was not yet queued.
    expect(await actionSql()).toEqual(["SELECT * FROM orders", "DELETE FROM orders"]);
  });

  it("rejects `recorded` when the read's entry cannot be written; later reads then wait for theirs", async () => {
    const r = reads();
    const read = await service.submitRead(sql("SELECT 1"), agent, r);
    await store.close();
    r.now();
    await expect(read.recorded).rejects.toBeInstanceOf(StoreUnavailable);
    expect(r.early).toBe(false);
    // The store is gone: the next read is not forwarded early, and is refused.
    const refused = await service.submitRead(sql("SELECT 2"), agent, r);
    expect(refused.queued).toBeUndefined();
    expect(refused.decision).toMatchObject({ decision: "deny", code: "store_unavailable" });
    // A store again: once an entry is durable, reads go early again.
    store = await SqliteStore.open(mkdtempSync(join(tmpdir(), "airlock-service-")));
    service = new ApprovalService({
      store,
      policy,
      publicUrl: () => "http://airlock.test",
      clock: () => now,
    });
    const durable = await service.submitRead(sql("SELECT 3"), agent, r);
    expect(durable.decision.decision).toBe("allow");
    expect(durable.queued).toBeUndefined();
    expect(await actionSql()).toEqual(["SELECT 3"]);
    expect(r.early).toBe(true);
    expect((await service.submitRead(sql("SELECT 4"), agent, r)).queued).toBeDefined();
    r.now();
  });
});

describe("submitUnspent: an approval looked at, not used", () => {
  const DELETE = {
    kind: "sql",
    engine: "postgres",
    sql: "DELETE FROM orders WHERE id = 3",
    database: "orders",
    context: { environment: "production" },
  };

  it("says which approved request would release the action, writes nothing, and leaves it for submit", async () => {
    const held = await service.submit(DELETE, agent);
    const id = held.request?.id ?? "";
    expect((await service.vote(id, bob, "approve", held.digest ?? "")).ok).toBe(true);
    const before = (await entries()).length;
    for (const look of [
      await service.submitUnspent(DELETE, agent),
      (await service.submitRead(DELETE, agent, new ReadRecords(), { spend: false })).decision,
    ])
      expect(look).toMatchObject({ decision: "hold", request: { id, status: "approved" } });
    expect((await entries()).length).toBe(before);
    expect((await service.get(id))?.status).toBe("approved");
    expect(await service.submit(DELETE, agent)).toMatchObject({ decision: "allow", code: "released" });
    expect((await service.get(id))?.status).toBe("used");
    // Once used, a look finds nothing to release: a new request is opened, as by submit.
    const after = await service.submitUnspent(DELETE, agent);
    expect(after.request?.id).not.toBe(id);
    expect(after.request?.status).toBe("pending");
  });
});
