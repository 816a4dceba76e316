import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDecider, deciderOptionsFromEnv } from "../../src/ingress/decider.js";
import { type FakeServe, startFakeServe } from "./hooks/fake-serve.js";

const DELETE_PROD_STACK = {
  kind: "aws",
  service: "cloudformation",
  operation: "delete-stack",
  params: { "stack-name": "prod-payments" },
  agent: { id: "test" },
};
const GET_PODS = { kind: "k8s", verb: "get", resource: "pods" };

describe("the local decider", () => {
  it("decides under the built-in policy", async () => {
    const d = createDecider();
    expect(d.mode).toBe("local");
    expect((await d.decide(GET_PODS)).decision).toBe("allow");
    expect(await d.decide(DELETE_PROD_STACK)).toMatchObject({ decision: "hold", approvals: { required: 2 } });
    expect(await d.decide({ kind: "nope" })).toMatchObject({ decision: "deny", code: "invalid_action" });
  });

  it("denies everything, with the reason, when its policy does not load", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "airlock-decider-")), "bad.yaml");
    writeFileSync(file, "version: 2\n");
    const decision = await createDecider({ policyPath: file }).decide(GET_PODS);
    expect(decision).toMatchObject({ decision: "deny", code: "policy_error" });
    expect(decision.reasons[0]).toContain(file);
  });
});

describe("the remote decider, against a server speaking the airlock serve API", () => {
  let serve: FakeServe;
  beforeAll(async () => {
    serve = await startFakeServe();
  });
  afterAll(() => serve.close());
  const remote = (waitSeconds = 0) =>
    createDecider({ url: serve.url, token: serve.token, waitSeconds, pollMs: 20 });

  it("answers a hold with its approval request, without waiting", async () => {
    const d = remote();
    expect(d.mode).toBe("remote");
    const decision = await d.decide({ ...DELETE_PROD_STACK, id: "a" });
    expect(decision).toMatchObject({ decision: "hold", request: { status: "pending" } });
    expect(decision.request?.url).toBe(`${serve.url}/requests/${decision.request?.id}`);
  });

  it("waits for the approval, then resubmits the identical action for its one-time allow", async () => {
    serve.onPoll = (r) => serve.setStatus(r.id, "approved");
    const before = serve.submitted.length;
    const decision = await remote(5).decide({ ...DELETE_PROD_STACK, intent: "wait-approved" });
    serve.onPoll = undefined;
    expect(decision).toMatchObject({ decision: "allow", code: "released" });
    const [first, second] = serve.submitted.slice(before);
    expect(second).toEqual(first);
  });

  it("waits out the delay after the approvals when it ends within the wait", async () => {
    const soon = new Date(Date.now() + 300).toISOString();
    serve.onPoll = (r) => serve.setStatus(r.id, "approved", soon);
    const decision = await remote(5).decide({ ...DELETE_PROD_STACK, intent: "wait-delay" });
    serve.onPoll = undefined;
    expect(decision).toMatchObject({ decision: "allow", code: "released" });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(soon));
  });

  it("answers hold, approved, with the time it becomes releasable when that is past the wait", async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    serve.onPoll = (r) => serve.setStatus(r.id, "approved", later);
    const decision = await remote(1).decide({ ...DELETE_PROD_STACK, params: { "stack-name": "prod-a" } });
    serve.onPoll = undefined;
    expect(decision).toMatchObject({
      decision: "hold",
      request: { status: "approved", releasableAt: later },
    });
  });

  it("answers hold when nobody decides within the wait", async () => {
    const decision = await remote(0.2).decide({ ...DELETE_PROD_STACK, params: { "stack-name": "prod-b" } });
    expect(decision).toMatchObject({ decision: "hold", request: { status: "pending" } });
  });

  it("denies, for good, what an approver refused", async () => {
    serve.onPoll = (r) => serve.setStatus(r.id, "denied");
    const decision = await remote(5).decide({ ...DELETE_PROD_STACK, params: { "stack-name": "prod-c" } });
    serve.onPoll = undefined;
    expect(decision).toMatchObject({ decision: "deny", code: "request_closed" });
    expect(decision.reasons[0]).toMatch(/an approver refused it/);
  });

  it("denies when the server refuses the token or cannot be configured", async () => {
    const wrong = createDecider({ url: serve.url, token: "wrong" });
    expect(await wrong.decide(GET_PODS)).toMatchObject({ decision: "deny", code: "server_unavailable" });
    expect(await createDecider({ url: serve.url }).decide(GET_PODS)).toMatchObject({
      decision: "deny",
      code: "server_unavailable",
    });
    const bad = createDecider({ url: serve.url, token: serve.token, waitSeconds: Number("x") });
    expect((await bad.decide(GET_PODS)).reasons[0]).toContain("AIRLOCK_WAIT_SECONDS");
  });
});

describe("deciderOptionsFromEnv", () => {
  it("reads AIRLOCK_URL, AIRLOCK_TOKEN, AIRLOCK_WAIT_SECONDS and AIRLOCK_POLICY", () => {
    expect(
      deciderOptionsFromEnv({
        AIRLOCK_URL: "http://x",
        AIRLOCK_TOKEN: "t",
        AIRLOCK_WAIT_SECONDS: "30",
        AIRLOCK_POLICY: "/p.yaml",
      }),
    ).toEqual({ url: "http://x", token: "t", waitSeconds: 30, policyPath: "/p.yaml" });
    expect(deciderOptionsFromEnv({})).toEqual({});
  });
});
