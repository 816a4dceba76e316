import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "../../src/notify/signature.js";
import { deletePod, RULES } from "../approvals/monitor-fixtures.js";
import { call, makeToken, startTestServer, type TestServer } from "../ingress/http/harness.js";
import { type Receiver, SECRET, startReceiver } from "./receiver.js";

/**
 * Notifications from a real `airlock serve`, configured in airlock.yaml: one receiver never answers,
 * one answers at once, one takes Slack messages. The one that hangs must delay nothing.
 */
let server: TestServer;
let stuck: Receiver;
let ops: Receiver;
let slack: Receiver;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  [stuck, ops, slack] = await Promise.all([startReceiver(() => "hang"), startReceiver(), startReceiver()]);
  const dir = mkdtempSync(join(tmpdir(), "airlock-notify-serve-"));
  const dataDir = join(dir, "data");
  writeFileSync(join(dir, "policy.yaml"), RULES);
  writeFileSync(
    join(dir, "airlock.yaml"),
    `version: 1
policy: policy.yaml
notify:
  webhooks:
    - { name: stuck, url: "${stuck.url}", secretEnv: AIRLOCK_TEST_HOOK_SECRET, events: [hold], timeoutSeconds: 60 }
    - { name: ops, url: "${ops.url}", secretEnv: AIRLOCK_TEST_HOOK_SECRET, events: [hold, approved, released, paused] }
    - { name: team, url: "${slack.url}", format: slack, events: [hold] }
`,
  );
  process.env.AIRLOCK_TEST_HOOK_SECRET = SECRET;
  tokens.kiro = makeToken(dataDir, ["--name", "kiro-7", "--role", "agent", "--on-behalf-of", "alice"]);
  tokens.bob = makeToken(dataDir, ["--name", "bob", "--role", "approver"]);
  tokens.root = makeToken(dataDir, ["--name", "root", "--role", "admin"]);
  server = await startTestServer({ dataDir, args: ["--config", join(dir, "airlock.yaml")] });
});

afterAll(async () => {
  await server?.stop();
  await Promise.all([stuck, ops, slack].map((r) => r?.close()));
});

describe("notifications from airlock serve", () => {
  it("answers agents while a receiver hangs, and notifies the others, signed, with the approval page", async () => {
    const first = await call(server, "POST", "/v1/actions", tokens.kiro, deletePod(1, "production"));
    expect(first.json).toMatchObject({ decision: "hold" });
    // The stuck receiver now holds the first notification's connection open, unanswered.
    await stuck.waitFor(1);
    const second = await call(server, "POST", "/v1/actions", tokens.kiro, deletePod(2, "production"));
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ decision: "hold" });
    expect(stuck.hanging[0]?.writableEnded).toBe(false);

    const received = await ops.waitFor(2);
    const ids = [first, second].map((a) => (a.json.request as { id: string }).id);
    for (const [i, got] of received.entries()) {
      const { headers, body } = got;
      const check = verifyWebhookSignature(
        SECRET,
        headers["x-airlock-timestamp"] as string,
        body,
        headers["x-airlock-signature"] as string,
        Date.now(),
      );
      expect(check).toEqual({ ok: true });
      expect(ops.json(i)).toMatchObject({
        type: "request.held",
        request: { id: ids[i], url: `${server.url}/requests/${ids[i]}` },
      });
    }
    await slack.waitFor(2);
    expect((slack.json(0).blocks as { type: string }[]).map((b) => b.type)).toContain("actions");
  });

  it("notifies approvals, releases and pauses through the HTTP API", async () => {
    const held = await call(server, "POST", "/v1/actions", tokens.kiro, deletePod(3, "production"));
    const request = held.json.request as { id: string };
    const vote = await call(server, "POST", `/v1/requests/${request.id}/approve`, tokens.bob, {
      digest: held.json.digest,
      comment: "looks right",
    });
    expect(vote.status).toBe(200);
    expect((await call(server, "POST", "/v1/pauses", tokens.root, { env: "production" })).status).toBe(200);
    await ops.waitFor(6);
    const types = ops.received.map((_, i) => ops.json(i).type);
    // Delivered a few at a time, so not necessarily in order: receivers order by `time` or `auditIndex`.
    expect(types.slice(2).sort()).toEqual(["paused", "request.approved", "request.held", "request.released"]);
    const approved = ops.received.map((_, i) => ops.json(i)).find((p) => p.type === "request.approved");
    expect(approved).toMatchObject({ by: "bob", comment: "looks right", request: { id: request.id } });
    expect(server.stderr()).not.toContain(SECRET);
  });
});
