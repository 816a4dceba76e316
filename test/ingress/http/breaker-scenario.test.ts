import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../approvals/monitor-fixtures.js";
import { airlockSync, call, makeToken, startTestServer, type TestServer } from "./harness.js";

/**
 * An agent loops on a failing "fix": it deletes a deployment, recreates it, sees it fail, and tries
 * again. The blast-radius breaker allows five deletions an hour; the sixth trips it, which pauses
 * the agent. Nothing past the limit runs, the admin sees the trip and the pause, and lifts both.
 */
const LIMIT = 5;
const POLICY = `${RULES}breakers:
  - name: staging-blast
    kind: blast
    scope: agent
    match: { environment: staging }
    limit: ${LIMIT}
    windowSeconds: 3600
    then: deny-all-but-reads
    reset: admin
    pause: true
    reason: the agent is deleting staging resources over and over
`;
const resource = (verb: "delete" | "create") => ({
  kind: "k8s",
  verb,
  resource: "deployments",
  name: "cost-report",
  namespace: "reports",
  kubeContext: "staging",
  intent: "fix the cost report by recreating its deployment",
});

let server: TestServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "airlock-loop-"));
  const dataDir = join(dir, "data");
  const policy = join(dir, "policy.yaml");
  writeFileSync(policy, POLICY);
  tokens.kiro = makeToken(dataDir, ["--name", "kiro-7", "--role", "agent", "--on-behalf-of", "alice"]);
  tokens.root = makeToken(dataDir, ["--name", "root", "--role", "admin"]);
  server = await startTestServer({ dataDir, policy });
});

afterAll(async () => {
  await server?.stop();
});

const submit = (action: unknown) => call(server, "POST", "/v1/actions", tokens.kiro, action);

describe("a runaway delete-and-recreate loop against airlock serve", () => {
  it("trips before the limit is exceeded, pauses the agent, tells the admin, and lets nothing past", async () => {
    const allowedDeletes: number[] = [];
    const answers: string[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      const deleted = await submit(resource("delete"));
      answers.push(String(deleted.json.code ?? deleted.json.decision));
      if (deleted.json.decision !== "allow") continue;
      allowedDeletes.push(attempt);
      expect((await submit(resource("create"))).json.decision).toBe("allow");
      const report = { ok: false, digest: deleted.json.digest, message: "CrashLoopBackOff" };
      expect((await call(server, "POST", "/v1/outcomes", tokens.kiro, report)).status).toBe(200);
    }
    expect(allowedDeletes).toHaveLength(LIMIT);
    expect(answers.slice(LIMIT)).toEqual(["breaker_tripped", ...Array(12 - LIMIT - 1).fill("paused")]);
    // Reads still work: the agent can look at what it did.
    const read = { kind: "k8s", verb: "get", resource: "pods", kubeContext: "staging" };
    expect((await submit(read)).json.decision).toBe("allow");

    const state = await call(server, "GET", "/v1/breakers", tokens.root);
    expect(state.json.trips).toMatchObject([
      { breaker: "staging-blast", scope: "agent:kiro-7", active: true },
    ]);
    expect((await call(server, "GET", "/v1/pauses", tokens.root)).json.pauses).toMatchObject([
      { scope: "agent:kiro-7", by: "breaker:staging-blast" },
    ]);
    expect((await call(server, "GET", "/v1/breakers", tokens.kiro)).status).toBe(403);

    const cli = (args: string[]) => airlockSync([...args, "--url", server.url, "--token", tokens.root ?? ""]);
    expect(cli(["breakers"]).stdout).toContain("staging-blast");
    expect(cli(["breakers", "reset", "staging-blast", "--scope", "agent:kiro-7"]).status).toBe(0);
    expect((await submit(resource("delete"))).json.code).toBe("paused");
    const resumed = cli(["resume", "--agent", "kiro-7", "--reason", "fixed the config instead"]);
    expect(resumed.status).toBe(0);
    expect((await submit(resource("delete"))).json.decision).toBe("allow");

    const audit = airlockSync(["audit", "export", "--data-dir", server.dataDir]);
    const types = audit.stdout
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { entry: { type: string } }).entry.type);
    expect(
      types.filter((t) => ["breaker.tripped", "paused", "breaker.reset", "resumed"].includes(t)),
    ).toEqual(["breaker.tripped", "paused", "breaker.reset", "resumed"]);
    expect(types.filter((t) => t === "outcome.reported")).toHaveLength(LIMIT);
  });

  it("answers malformed kill-switch calls with a clear error", async () => {
    const both = await call(server, "POST", "/v1/pauses", tokens.root, { agent: "x", all: true });
    expect(both).toMatchObject({ status: 400, json: { error: { code: "invalid_body" } } });
    const notPaused = await call(server, "POST", "/v1/pauses/resume", tokens.root, { env: "production" });
    expect(notPaused.status).toBe(404);
    expect((await call(server, "POST", "/v1/pauses", tokens.kiro, { all: true })).status).toBe(403);
  });
});
