import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, makeToken, startTestServer, type TestServer } from "./harness.js";

/**
 * The agent does not choose its own risk (issue 11): against a real `airlock serve`, a body claiming
 * `context.environment: development` for a production stack or kube context is held, not allowed; the
 * environment an admin configured for the agent in airlock.yaml is what counts, and a claim can only
 * raise it.
 */
let server: TestServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "airlock-trust-"));
  const dataDir = join(dir, "data");
  const config = join(dir, "airlock.yaml");
  writeFileSync(
    config,
    [
      "version: 1",
      "identities:",
      "  - { name: kiro-7, role: agent, onBehalfOf: alice }",
      "  - name: sandbox-bot",
      "    role: agent",
      "    onBehalfOf: alice",
      "    context: { environment: development, labels: { team: finops } }",
      "",
    ].join("\n"),
  );
  tokens.kiro = makeToken(dataDir, ["--name", "kiro-7", "--role", "agent", "--on-behalf-of", "alice"]);
  tokens.sandbox = makeToken(dataDir, [
    "--name",
    "sandbox-bot",
    "--role",
    "agent",
    "--on-behalf-of",
    "alice",
  ]);
  server = await startTestServer({ dataDir, args: ["--config", config] });
});

afterAll(async () => {
  await server?.stop();
});

const submit = (token: string | undefined, action: unknown) =>
  call(server, "POST", "/v1/actions", token, action);
const forged = { environment: "development" };

describe("the environment an agent claims (airlock serve)", () => {
  it("holds DeleteStack of cost-explorer-prod whatever environment the body claims", async () => {
    const r = await submit(tokens.kiro, {
      kind: "aws",
      action: "cloudformation:DeleteStack",
      params: { StackName: "cost-explorer-prod" },
      context: forged,
    });
    expect(r.json).toMatchObject({ decision: "hold", risk: { environment: "production" } });
  });

  it("holds kubectl --context prod-eu delete namespace payments with a forged development context", async () => {
    const r = await submit(tokens.kiro, {
      kind: "shell",
      command: "kubectl --context prod-eu delete namespace payments",
      cwd: "/home/dev/app",
      context: forged,
    });
    expect(r.json).toMatchObject({ decision: "hold", risk: { environment: "production" } });
  });

  it("does not let a claim lower an unnamed target below unknown when the admin configured nothing", async () => {
    const r = await submit(tokens.kiro, {
      kind: "aws",
      action: "cloudformation:DeleteStack",
      params: { StackName: "cost-explorer" },
      context: forged,
    });
    expect(r.json).toMatchObject({ decision: "hold", risk: { environment: "unknown" } });
  });

  it("takes the environment the admin configured for the agent, and lets a claim raise it", async () => {
    const stack = {
      kind: "aws",
      action: "cloudformation:DeleteStack",
      params: { StackName: "cost-explorer" },
    };
    const own = await submit(tokens.sandbox, stack);
    expect(own.json).toMatchObject({ decision: "allow", risk: { environment: "development" } });
    const raised = await submit(tokens.sandbox, { ...stack, context: { environment: "production" } });
    expect(raised.json).toMatchObject({ decision: "hold", risk: { environment: "production" } });
    // Names still speak: the configured development does not lower a production stack either.
    const named = await submit(tokens.sandbox, { ...stack, params: { StackName: "cost-explorer-prod" } });
    expect(named.json).toMatchObject({ decision: "hold", risk: { environment: "production" } });
  });

  it("binds the approval to the trusted context: a forged claim is a different digest", async () => {
    const stack = {
      kind: "aws",
      action: "cloudformation:DeleteStack",
      params: { StackName: "billing-prod" },
    };
    const a = await submit(tokens.kiro, stack);
    const b = await submit(tokens.kiro, { ...stack, context: forged });
    expect(a.json.decision).toBe("hold");
    expect(b.json.decision).toBe("hold");
    expect(a.json.digest).not.toBe(b.json.digest);
  });
});
