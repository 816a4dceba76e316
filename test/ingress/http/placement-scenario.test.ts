import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, makeToken, policyWithDelay, startTestServer, type TestServer, until } from "./harness.js";

/**
 * An approval spent in another account (issue 11): Kiro's use_aws names a profile. Against a real
 * `airlock serve`, a deletion approved for one profile is not released for another.
 */
let server: TestServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "airlock-placement-"));
  const dataDir = join(dir, "data");
  tokens.kiro = makeToken(dataDir, ["--name", "kiro-7", "--role", "agent", "--on-behalf-of", "alice"]);
  tokens.bob = makeToken(dataDir, ["--name", "bob", "--role", "approver"]);
  tokens.carol = makeToken(dataDir, ["--name", "carol", "--role", "approver"]);
  server = await startTestServer({ dataDir, policy: policyWithDelay(dir, 0) });
});

afterAll(async () => {
  await server?.stop();
});

// What the Kiro hook sends for use_aws cloudformation delete-stack with profile_name.
const deleteStack = (profile: string) => ({
  kind: "aws",
  service: "cloudformation",
  operation: "delete-stack",
  params: { "stack-name": "payments" },
  region: "us-east-1",
  profile,
  agent: { id: "kiro" },
});
const submit = (action: unknown) => call(server, "POST", "/v1/actions", tokens.kiro, action);

describe("a release is for the profile it was approved in", () => {
  it("releases the approved profile's deletion, and holds the same deletion in another profile", async () => {
    const held = await submit(deleteStack("ops-blue"));
    expect(held.json.decision).toBe("hold");
    const id = (held.json.request as { id: string }).id;
    for (const who of ["bob", "carol"])
      expect(
        (await call(server, "POST", `/v1/requests/${id}/approve`, tokens[who], { digest: held.json.digest }))
          .status,
      ).toBe(200);
    await until(async () => {
      const r = await call(server, "GET", `/v1/requests/${id}`, tokens.bob);
      return r.json.status === "approved" ? r : undefined;
    });

    const elsewhere = await submit(deleteStack("ops-green"));
    expect(elsewhere.json.decision).toBe("hold");
    expect((elsewhere.json.request as { id: string }).id).not.toBe(id);

    const released = await submit(deleteStack("ops-blue"));
    expect(released.json).toMatchObject({ decision: "allow", code: "released", request: { id } });
  });

  it("holds a deletion whose profile names production, whatever the stack is called", async () => {
    const r = await submit(deleteStack("live-prod"));
    expect(r.json).toMatchObject({ decision: "hold", risk: { environment: "production" } });
  });
});
