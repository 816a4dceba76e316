import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tool } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AirlockClient,
  type AirlockRefusal,
  createGuard,
  type Guard,
  guardAiTool,
  isAirlockRefusal,
} from "../../src/sdk/index.js";
import {
  makeToken,
  policyWithDelay,
  startTestServer,
  type TestServer,
  until,
} from "../ingress/http/harness.js";

/**
 * The incident that started airlock, replayed through a guarded Vercel AI SDK tool against a real
 * `airlock serve`: the agent's call to delete the production stack does not run; two people approve
 * it; after the mandatory delay the identical call runs, once.
 */
const DELAY = 2;
const deleteStackAction = (stackName: string) => ({
  kind: "aws" as const,
  action: "cloudformation:DeleteStack",
  params: { StackName: stackName },
});

let server: TestServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "airlock-sdk-serve-"));
  const dataDir = join(dir, "data");
  tokens.kiro = makeToken(dataDir, ["--name", "kiro-7", "--role", "agent", "--on-behalf-of", "alice"]);
  tokens.bob = makeToken(dataDir, ["--name", "bob", "--role", "approver"]);
  tokens.carol = makeToken(dataDir, ["--name", "carol", "--role", "approver"]);
  server = await startTestServer({ dataDir, policy: policyWithDelay(dir, DELAY) });
});

afterAll(async () => {
  await server?.stop();
});

function deleteStackTool(guard: Guard) {
  const deleted: string[] = [];
  const guarded = guardAiTool(
    tool({
      description: "Delete a CloudFormation stack",
      inputSchema: z.object({ stackName: z.string() }),
      execute: async ({ stackName }) => {
        deleted.push(stackName);
        return `deleted ${stackName}`;
      },
    }),
    ({ stackName }) => deleteStackAction(stackName),
    guard,
  );
  const call = (stackName: string) => {
    if (!guarded.execute) throw new Error("the guarded tool lost execute");
    return guarded.execute({ stackName }, { toolCallId: "call-1", messages: [] }) as Promise<unknown>;
  };
  return { call, deleted };
}

/** Two approvers vote for the request, each bound to the digest they were shown. */
async function approveTwice(id: string): Promise<void> {
  for (const who of ["bob", "carol"]) {
    const approver = new AirlockClient({ url: server.url, token: tokens[who] ?? "" });
    const seen = await approver.request(id);
    if (!seen.ok) throw new Error(seen.error);
    const voted = await approver.vote(id, "approve", seen.request.digest, `${who} checked the runbook`);
    expect(voted.ok).toBe(true);
  }
}

function held(output: unknown): AirlockRefusal & { airlock: { request: { id: string } } } {
  if (!isAirlockRefusal(output) || output.airlock.decision !== "hold" || !output.airlock.request)
    throw new Error(`expected a hold with a request, got ${JSON.stringify(output)}`);
  return output as AirlockRefusal & { airlock: { request: { id: string } } };
}

describe("a guarded tool against airlock serve", () => {
  it("holds the production stack deletion; after two approvals and the delay the identical call runs once", async () => {
    const guard = createGuard({ url: server.url, token: tokens.kiro ?? "" });
    const { call, deleted } = deleteStackTool(guard);

    const first = held(await call("cost-explorer-prod"));
    const request = first.airlock.request;
    expect(deleted).toEqual([]);
    expect(first.airlock.approvals).toMatchObject({ required: 2, delaySeconds: DELAY });
    expect(first.message).toContain(request.id);
    expect(first.message).toContain(`${server.url}/requests/${request.id}`);

    await approveTwice(request.id);
    const approved = await until(async () => {
      const r = await guard.waitForDecision(request.id, { timeoutMs: 0 });
      return r.ok && r.request.status === "approved" ? r.request : undefined;
    });
    await new Promise((r) =>
      setTimeout(r, Math.max(0, Date.parse(approved.releasableAt ?? "") - Date.now())),
    );

    expect(await call("cost-explorer-prod")).toBe("deleted cost-explorer-prod");
    expect(deleted).toEqual(["cost-explorer-prod"]);

    // Once: the same call again is a new request, and the tool does not run.
    expect(held(await call("cost-explorer-prod")).airlock.request.id).not.toBe(request.id);
    expect(deleted).toEqual(["cost-explorer-prod"]);
  });

  it("with onHold waitSeconds, keeps the call open until it is approved and releasable, then runs it", async () => {
    const guard = createGuard({
      url: server.url,
      token: tokens.kiro ?? "",
      onHold: { waitSeconds: 120, pollMs: 100 },
    });
    const { call, deleted } = deleteStackTool(guard);
    const pending = call("billing-prod");

    const bob = new AirlockClient({ url: server.url, token: tokens.bob ?? "" });
    const id = await until(async () => {
      const listed = await bob.list("pending");
      return listed.ok
        ? listed.requests.find((r) => JSON.stringify(r.action).includes("billing-prod"))?.id
        : undefined;
    });
    expect(deleted).toEqual([]);
    await approveTwice(id);

    expect(await pending).toBe("deleted billing-prod");
    expect(deleted).toEqual(["billing-prod"]);
  });
});
