import { describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "../../src/notify/signature.js";
import { agent, deletePod, entries } from "../approvals/monitor-fixtures.js";
import { until } from "../ingress/http/harness.js";
import { closedAfterEach, SECRET, webhook } from "./receiver.js";

const bob = { name: "bob", role: "approver" as const, groups: [] };
const carol = { name: "carol", role: "approver" as const, groups: [] };
const { receiver, rig } = closedAfterEach();

describe("generic JSON webhooks", () => {
  it("announce a new hold once, signed, with the request and a link to its approval page", async () => {
    const hook = await receiver();
    const r = await rig([webhook(hook.url)]);
    const held = await r.service.submit({ ...deletePod(1, "production"), intent: "free the node" }, agent);
    expect(held.decision).toBe("hold");
    // The same action again while it waits is the same request: no second notification.
    await r.service.submit({ ...deletePod(1, "production"), intent: "free the node" }, agent);
    const [got] = await hook.waitFor(1);
    const { headers, body } = got ?? { headers: {}, body: "" };
    const signature = headers["x-airlock-signature"] as string;
    const timestamp = headers["x-airlock-timestamp"] as string;
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, timestamp, body, signature, Date.now())).toEqual({ ok: true });
    const payload = hook.json(0);
    expect(headers["x-airlock-event-id"]).toBe(payload.id);
    expect(payload).toMatchObject({
      version: 1,
      type: "request.held",
      event: "hold",
      request: {
        id: held.request?.id,
        url: `https://airlock.example.com/requests/${held.request?.id}`,
        status: "pending",
        agent: "kiro-7",
        onBehalfOf: "alice",
        intent: "free the node",
        environment: "production",
        approvals: { count: 0, required: 1 },
      },
    });
    expect(payload.summary).toContain("kiro-7 (for alice) wants to");
    // The audit entry it stands for.
    const entry = (await entries(r.store))[payload.auditIndex as number];
    expect(entry).toMatchObject({ type: "action", decision: { decision: "hold" } });
    expect(hook.received).toHaveLength(1);
  });

  it("fail verification when the body, the timestamp or the secret is changed, or the timestamp is old", async () => {
    const hook = await receiver();
    const r = await rig([webhook(hook.url)]);
    await r.service.monitor.pause("agent:kiro-7", "root", "runaway loop");
    const [got] = await hook.waitFor(1);
    const body = got?.body ?? "";
    const sig = got?.headers["x-airlock-signature"] as string;
    const ts = got?.headers["x-airlock-timestamp"] as string;
    const now = Number(ts) * 1000;
    expect(verifyWebhookSignature(SECRET, ts, body, sig, now)).toEqual({ ok: true });
    const tampered = body.replace("runaway loop", "all is well");
    expect(tampered).not.toBe(body);
    expect(verifyWebhookSignature(SECRET, ts, tampered, sig, now)).toMatchObject({ ok: false });
    expect(verifyWebhookSignature(SECRET, String(Number(ts) - 1), body, sig, now)).toMatchObject({
      ok: false,
    });
    expect(verifyWebhookSignature("another-secret-0123456789", ts, body, sig, now)).toMatchObject({
      ok: false,
    });
    // Replayed six minutes later: the signature is right, the timestamp is too old.
    const late = verifyWebhookSignature(SECRET, ts, body, sig, now + 360_000);
    expect(late).toMatchObject({ ok: false, reason: expect.stringContaining("300 seconds") });
    expect(verifyWebhookSignature(SECRET, ts, body, `v1=${"0".repeat(64)}, ${sig}`, now)).toEqual({
      ok: true,
    });
    expect(verifyWebhookSignature(SECRET, undefined, body, sig, now)).toMatchObject({ ok: false });
    expect(verifyWebhookSignature(SECRET, ts, body, undefined, now)).toMatchObject({ ok: false });
  });

  it("send only the events each webhook subscribed to", async () => {
    const pauses = await receiver();
    const votes = await receiver();
    const r = await rig([
      webhook(pauses.url, { name: "pauses", events: ["paused", "resumed"] }),
      webhook(votes.url, { name: "votes", events: ["approved", "released"] }),
    ]);
    const held = await r.service.submit(deletePod(1, "production"), agent);
    await r.service.vote(held.request?.id ?? "", bob, "approve", held.digest ?? "");
    await r.service.monitor.pause("all", "root");
    await r.service.monitor.resume("all", "root");
    await pauses.waitFor(2);
    await votes.waitFor(2);
    await until(async () => (r.notifier.pending === 0 ? true : undefined), 20);
    expect(pauses.received.map((_, i) => pauses.json(i).type).sort()).toEqual(["paused", "resumed"]);
    // One approval of one required, no wait: approved, then released at once.
    expect(votes.received.map((_, i) => votes.json(i).type).sort()).toEqual([
      "request.approved",
      "request.released",
    ]);
    const approved = votes.received.map((_, i) => votes.json(i)).find((p) => p.type === "request.approved");
    expect(approved).toMatchObject({ by: "bob", request: { id: held.request?.id } });
  });

  it("announce a denial with who denied it and why", async () => {
    const hook = await receiver();
    const r = await rig([webhook(hook.url, { events: ["denied"] })]);
    const held = await r.service.submit(deletePod(1, "production"), agent);
    await r.service.vote(held.request?.id ?? "", carol, "deny", held.digest ?? "", "not during the sale");
    await hook.waitFor(1);
    expect(hook.json(0)).toMatchObject({
      type: "request.denied",
      by: "carol",
      comment: "not during the sale",
      request: { status: "denied" },
    });
    expect(hook.json(0).summary).toBe(`carol denied request ${held.request?.id}: "not during the sale".`);
  });

  it("announce a declared freeze with its details, and its lifting", async () => {
    const hook = await receiver();
    const r = await rig([webhook(hook.url, { events: ["freeze"] })]);
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect(await r.service.freezes.declare("production", until, "root", "incident 42")).toMatchObject({
      ok: true,
    });
    await r.service.freezes.lift("production", "root", "resolved");
    await hook.waitFor(2);
    const declared = hook.received.map((_, i) => hook.json(i)).find((p) => p.type === "freeze.declared");
    expect(declared).toMatchObject({
      type: "freeze.declared",
      event: "freeze",
      by: "root",
      summary: `root declared a freeze of environment production until ${until} ("incident 42").`,
      details: { scope: "env:production", until, reason: "incident 42" },
    });
    const lifted = hook.received.map((_, i) => hook.json(i)).find((p) => p.type === "freeze.lifted");
    expect(lifted?.summary).toBe('root lifted the freeze of environment production ("resolved").');
  });
});
