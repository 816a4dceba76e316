import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../approvals/monitor-fixtures.js";
import { airlockSync, call, makeToken, startTestServer, type TestServer } from "./harness.js";

const POLICY = RULES.replace(
  "rules:\n",
  "freezes:\n  emergency: { required: 3, groups: [sre-leads] }\nrules:\n",
);
const change = {
  kind: "k8s",
  verb: "create",
  resource: "configmaps",
  name: "feature-flags",
  context: { environment: "production" },
};

let server: TestServer;
const tokens = { kiro: "", root: "", bob: "" };

/** The CLI against the server (a process of its own, so a synchronous run does not stall it). */
const airlock = async (args: string[], token: string) =>
  airlockSync([...args, "--url", server.url, "--token", token]);

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "airlock-freeze-"));
  const dataDir = join(dir, "data");
  const policy = join(dir, "policy.yaml");
  writeFileSync(policy, POLICY);
  tokens.kiro = makeToken(dataDir, ["--name", "kiro-7", "--role", "agent", "--on-behalf-of", "alice"]);
  tokens.root = makeToken(dataDir, ["--name", "root", "--role", "admin"]);
  tokens.bob = makeToken(dataDir, ["--name", "bob", "--role", "approver"]);
  server = await startTestServer({ dataDir, policy });
});

afterAll(async () => {
  await server?.stop();
});

describe("a declared freeze through airlock serve and the CLI", () => {
  it("an admin freezes production during an incident; changes need the emergency approval until unfreeze", async () => {
    const submit = () => call(server, "POST", "/v1/actions", tokens.kiro, change);
    expect((await submit()).json.decision).toBe("allow");

    const refused = await airlock(
      ["freeze", "--env", "production", "--until", "2099-01-01T00:00Z"],
      tokens.bob,
    );
    expect(refused.status).toBe(1);
    const past = await airlock(
      ["freeze", "--env", "production", "--until", "2001-01-01T00:00Z"],
      tokens.root,
    );
    expect(past.stderr).toContain("in the future");
    const frozen = await airlock(
      ["freeze", "--env", "production", "--until", "2099-01-01T08:00Z", "--reason", "incident 4711"],
      tokens.root,
    );
    expect(frozen.status, frozen.stderr).toBe(0);
    expect(frozen.stdout).toContain("until=2099-01-01T08:00:00.000Z");

    const held = (await submit()).json;
    expect(held).toMatchObject({
      decision: "hold",
      code: "frozen",
      approvals: { required: 3, groups: ["sre-leads"] },
      freeze: { name: "declared:production", reason: "incident 4711" },
      request: { status: "pending" },
    });
    const listed = await call(server, "GET", "/v1/freezes", tokens.bob);
    expect(listed.json).toMatchObject({ declared: [{ scope: "env:production", by: "root" }], windows: [] });

    const lifted = await airlock(["unfreeze", "--env", "production", "--reason", "resolved"], tokens.root);
    expect(lifted.status, lifted.stderr).toBe(0);
    expect((await airlock(["unfreeze", "--env", "production"], tokens.root)).status).toBe(1);
    expect(
      (await call(server, "POST", "/v1/actions", tokens.kiro, { ...change, name: "other" })).json.decision,
    ).toBe("allow");
    const bad = await call(server, "POST", "/v1/freezes", tokens.root, {
      env: "production",
      until: "tomorrow",
    });
    expect(bad).toMatchObject({ status: 400, json: { error: { code: "invalid_body" } } });
  });
});
