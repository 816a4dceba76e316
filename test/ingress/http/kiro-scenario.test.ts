import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  call,
  makeToken,
  policyWithDelay,
  startTestServer,
  type TestServer,
  until,
  verifyAudit,
} from "./harness.js";

/**
 * The incident that started airlock, replayed against a real `airlock serve`: an agent acting for
 * alice tries to delete the production stack. It is held; alice cannot approve her own agent's
 * action; one approver is not enough; two are, but only after the wait; then the identical action
 * runs once, and a changed one does not.
 */
const DELAY = 4;
const DELETE_STACK = {
  kind: "aws",
  action: "cloudformation:DeleteStack",
  region: "us-east-1",
  params: { StackName: "cost-explorer-prod" },
  intent: "Fix a minor bug in the cost report by deleting and recreating the environment",
};

let server: TestServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "airlock-kiro-"));
  const dataDir = join(dir, "data");
  const policy = policyWithDelay(dir, DELAY);
  tokens.kiro = makeToken(dataDir, ["--name", "kiro-7", "--role", "agent", "--on-behalf-of", "alice"]);
  tokens.alice = makeToken(dataDir, ["--name", "alice", "--role", "approver", "--group", "sre"]);
  tokens.bob = makeToken(dataDir, ["--name", "bob", "--role", "approver", "--group", "sre"]);
  tokens.carol = makeToken(dataDir, ["--name", "carol", "--role", "approver", "--group", "dba"]);
  tokens.root = makeToken(dataDir, ["--name", "root", "--role", "admin"]);
  server = await startTestServer({ dataDir, policy });
});

afterAll(async () => {
  await server?.stop();
});

const submit = (action: unknown = DELETE_STACK) => call(server, "POST", "/v1/actions", tokens.kiro, action);
const vote = (who: string, id: string, verdict: "approve" | "deny", body: unknown) =>
  call(server, "POST", `/v1/requests/${id}/${verdict}`, tokens[who], body);

describe("the Kiro scenario against airlock serve", () => {
  it("holds the deletion, enforces four eyes and the wait, and releases the identical action once", async () => {
    const held = await submit();
    expect(held.status).toBe(200);
    expect(held.json).toMatchObject({
      decision: "hold",
      approvals: { required: 2, delaySeconds: DELAY },
      request: { status: "pending" },
    });
    const request = held.json.request as { id: string; url: string };
    const digest = held.json.digest as string;
    expect(request.url).toBe(`${server.url}/requests/${request.id}`);

    // The same action again is the same request, not a new one.
    expect((await submit()).json.request).toMatchObject({ id: request.id });

    // The person the agent acts for cannot approve it.
    const own = await vote("alice", request.id, "approve", { digest });
    expect(own.status).toBe(403);
    expect(own.json.error).toMatchObject({ code: "four_eyes" });

    // One approver is not enough.
    const first = await vote("bob", request.id, "approve", { digest, comment: "checked the runbook" });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ status: "pending", approvalsNeeded: 1 });
    expect((await submit()).json).toMatchObject({ decision: "hold", request: { id: request.id } });
    expect((await vote("bob", request.id, "approve", { digest })).json.error).toMatchObject({
      code: "already_voted",
    });

    // An approval is bound to the digest the approver saw.
    const swapped = await vote("carol", request.id, "approve", { digest: "0".repeat(64) });
    expect(swapped.status).toBe(409);
    expect(swapped.json.error).toMatchObject({ code: "digest_mismatch" });

    const second = await vote("carol", request.id, "approve", { digest });
    expect(second.status).toBe(200);
    const releasableAt = Date.parse(second.json.releasableAt as string);
    expect(releasableAt).toBeGreaterThan(
      Date.parse((second.json.approvals as { at: string }[])[1]?.at ?? ""),
    );

    // Before the wait is over the identical action is still held.
    const early = await submit();
    if (Date.now() < releasableAt) expect(early.json.decision).toBe("hold");

    // A changed action is a different digest: it gets its own request and no release.
    const changed = await submit({
      ...DELETE_STACK,
      params: { StackName: "cost-explorer-prod", RetainResources: [] },
    });
    expect(changed.json.decision).toBe("hold");
    expect((changed.json.request as { id: string }).id).not.toBe(request.id);

    await until(async () => {
      const r = await call(server, "GET", `/v1/requests/${request.id}`, tokens.bob);
      return r.json.status === "approved" ? r : undefined;
    });

    const released = await submit();
    expect(released.json).toMatchObject({
      decision: "allow",
      code: "released",
      request: { id: request.id, status: "used" },
    });
    expect(released.json.digest).toBe(digest);

    // Once: the next identical submission opens a new request.
    const again = await submit();
    expect(again.json.decision).toBe("hold");
    expect((again.json.request as { id: string }).id).not.toBe(request.id);
  });

  it("ends a request at a denial, and refuses the identical action while that request would have been open", async () => {
    const drop = { kind: "sql", engine: "postgres", database: "orders_prod", sql: "DROP TABLE invoices" };
    const held = await submit(drop);
    expect(held.json.decision).toBe("hold");
    const id = (held.json.request as { id: string }).id;
    const denied = await vote("bob", id, "deny", {
      digest: held.json.digest,
      comment: "restore from backup instead",
    });
    expect(denied.json).toMatchObject({ status: "denied" });
    const retry = await submit(drop);
    expect(retry.json).toMatchObject({ decision: "deny", code: "request_closed" });
    expect((retry.json.reasons as string[])[0]).toContain("restore from backup instead");
  });

  it("lets an admin cancel, but never approve", async () => {
    const held = await submit({
      kind: "k8s",
      verb: "delete",
      resource: "namespaces",
      name: "payments",
      kubeContext: "prod-eu",
    });
    const id = (held.json.request as { id: string }).id;
    const approve = await vote("root", id, "approve", { digest: held.json.digest });
    expect(approve.status).toBe(403);
    const cancelled = await call(server, "POST", `/v1/requests/${id}/cancel`, tokens.root, {
      comment: "wrong cluster",
    });
    expect(cancelled.json).toMatchObject({ status: "cancelled", closedBy: "root" });
  });

  it("writes an audit log that verifies after the server stops", async () => {
    expect(await server.stop()).toBe(0);
    const verify = verifyAudit(server);
    expect(verify.stderr + verify.stdout).toMatch(/verified|ok/i);
    expect(verify.status).toBe(0);
  });
});
