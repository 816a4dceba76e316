import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Decision } from "../../src/action/decision.js";
import { AirlockDenied, AirlockHeld, createGuard, isAirlockRefusal } from "../../src/sdk/index.js";
import { refusalOf } from "../../src/sdk/refusal.js";
import { type FakeServe, startFakeServe } from "../ingress/hooks/fake-serve.js";

const LIST_PODS = { kind: "k8s", verb: "list", resource: "pods" };
const DELETE_PROD_STACK = {
  kind: "aws",
  action: "cloudformation:DeleteStack",
  params: { StackName: "cost-explorer-prod" },
};

describe("a local guard", () => {
  const guard = createGuard();

  it("answers the gate's Decision from submit, and never throws, whatever it is given", async () => {
    expect(guard.mode).toBe("local");
    expect((await guard.submit(LIST_PODS)).decision).toBe("allow");
    expect(await guard.submit(DELETE_PROD_STACK)).toMatchObject({
      decision: "hold",
      approvals: { required: 2 },
    });
    expect(await guard.submit(undefined)).toMatchObject({ decision: "deny", code: "invalid_action" });
  });

  it("runs work only on allow", async () => {
    const ran: string[] = [];
    const work = (what: string) => () => {
      ran.push(what);
      return what;
    };
    expect(await guard.run(LIST_PODS, work("list"))).toBe("list");
    expect(isAirlockRefusal(await guard.run(DELETE_PROD_STACK, work("delete")))).toBe(true);
    expect(ran).toEqual(["list"]);
  });

  it("throws from check as configured, and has no approval requests to wait for", async () => {
    const strict = createGuard({ onHold: "throw", onDeny: "throw" });
    await expect(strict.check(DELETE_PROD_STACK)).rejects.toBeInstanceOf(AirlockHeld);
    await expect(strict.check({ kind: "shell", command: "rm -rf /" })).rejects.toBeInstanceOf(AirlockDenied);
    expect((await strict.check(LIST_PODS)).decision).toBe("allow");
    expect(await guard.waitForDecision("req-1")).toMatchObject({ ok: false });
  });

  it("rejects options that cannot work when it is created", () => {
    expect(() => createGuard({ url: "http://127.0.0.1:7070", token: "" })).toThrow(TypeError);
    expect(() => createGuard({ onHold: { waitSeconds: -1 } })).toThrow(TypeError);
  });
});

describe("a remote guard that waits for approval", () => {
  let serve: FakeServe;
  beforeAll(async () => {
    serve = await startFakeServe();
  });
  afterAll(() => serve.close());
  const waiting = () =>
    createGuard({
      url: serve.url,
      token: serve.token,
      onHold: { waitSeconds: 5, pollMs: 20 },
      onDeny: "throw",
    });

  it("submits the identical action again once it is approved, for the one-time allow", async () => {
    serve.onPoll = (r) => serve.setStatus(r.id, "approved");
    const decision = await waiting().check({ ...DELETE_PROD_STACK, intent: "approved" });
    serve.onPoll = undefined;
    expect(decision).toMatchObject({ decision: "allow", code: "released" });
  });

  it("throws AirlockDenied when an approver refuses it while it waits", async () => {
    serve.onPoll = (r) => serve.setStatus(r.id, "denied");
    const err = await waiting()
      .check({ ...DELETE_PROD_STACK, intent: "refused" })
      .catch((e: unknown) => e);
    serve.onPoll = undefined;
    expect(err).toBeInstanceOf(AirlockDenied);
    expect((err as AirlockDenied).decision.code).toBe("request_closed");
  });

  it("throws AirlockHeld with the request when nobody decides in time and it is told to", async () => {
    const guard = createGuard({
      url: serve.url,
      token: serve.token,
      onHold: { waitSeconds: 0.1, pollMs: 20, afterWait: "throw" },
    });
    const err = await guard.check({ ...DELETE_PROD_STACK, intent: "nobody" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AirlockHeld);
    expect((err as AirlockHeld).request).toMatchObject({
      status: "pending",
      url: expect.stringContaining("/requests/"),
    });
  });
});

describe("the refusal the model reads", () => {
  const held: Decision = {
    version: 1,
    decision: "hold",
    risk: { reversibility: "irreversible", blastRadius: "environment", environment: "production" },
    operations: [],
    reasons: ["Irreversible destruction in production needs two people"],
    rules: ["production-destruction"],
    approvals: { required: 2, delaySeconds: 600, expiresInSeconds: 3600 },
    request: {
      id: "req-9",
      status: "pending",
      url: "https://airlock/requests/req-9",
      expiresAt: "2030-01-01T00:00:00Z",
    },
  };

  it("names the request, its page, who must approve, and to retry the identical call", () => {
    const { airlock, message } = refusalOf(held);
    expect(airlock).toEqual({
      decision: "hold",
      reasons: held.reasons,
      approvals: held.approvals,
      request: held.request,
    });
    expect(message).toContain("req-9");
    expect(message).toContain("https://airlock/requests/req-9");
    expect(message).toContain("2 approvals by different people, then a 600 s wait");
    expect(message).toContain("make the identical call again");
  });
});
