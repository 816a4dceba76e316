import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlockSync, call, makeToken, startTestServer, type TestServer, until } from "./harness.js";

/** Health, readiness, metrics and JSON logs of a real `airlock serve` (docs/deploy.md). */
describe("operations endpoints", () => {
  let server: TestServer;
  let agent: string;
  const secret = `marker-${process.pid}-do-not-leak`;

  beforeAll(async () => {
    server = await startTestServer({ args: ["--log-format", "json", "--log-requests"] });
    agent = makeToken(server.dataDir, ["--name", "ops-bot", "--role", "agent", "--on-behalf-of", "olga"]);
  });
  afterAll(async () => {
    await server.stop();
  });

  it("answers /healthz and /readyz without a token", async () => {
    expect(await call(server, "GET", "/healthz")).toEqual({ status: 200, json: { ok: true } });
    const ready = await call(server, "GET", "/readyz");
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ ok: true, schema: expect.any(Number) });
  });

  it("counts decisions by verdict and kind, without a token and without any request's content", async () => {
    const allow = await call(server, "POST", "/v1/actions", agent, {
      kind: "k8s",
      verb: "get",
      resource: "pods",
      name: secret,
      kubeContext: "prod-eu",
    });
    expect(allow.json.decision).toBe("allow");
    const hold = await call(server, "POST", "/v1/actions", agent, {
      kind: "shell",
      command: `kubectl --context prod delete deployment ${secret}`,
    });
    expect(hold.json.decision).toBe("hold");
    await call(server, "POST", "/v1/actions", agent, { kind: secret });

    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('airlock_decisions_total{verdict="allow",kind="k8s"} 1');
    expect(text).toContain('airlock_decisions_total{verdict="hold",kind="shell"} 1');
    expect(text).toContain('airlock_decisions_total{verdict="deny",kind="invalid"} 1');
    expect(text).toMatch(/^airlock_pending_holds 1$/m);
    expect(text).toMatch(/^airlock_sweep_lease_held 1$/m);
    expect(text).toMatch(/^airlock_decision_duration_seconds_count\{verdict="hold"\} 1$/m);
    expect(text).toContain('route="/v1/actions",status="200"');
    expect(text).toMatch(/^airlock_store_commit_duration_seconds_count \d+$/m);
    expect(text).not.toContain(secret);
    expect(text).not.toContain("ops-bot");
  });

  it("counts votes", async () => {
    const approver = makeToken(server.dataDir, ["--name", "vera", "--role", "approver"]);
    const hold = await call(server, "POST", "/v1/actions", agent, {
      kind: "shell",
      command: "kubectl --context prod delete deployment votes-counted",
    });
    const request = hold.json.request as { id: string };
    const vote = await call(server, "POST", `/v1/requests/${request.id}/approve`, approver, {
      digest: hold.json.digest,
    });
    expect(vote.status).toBe(200);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^airlock_votes_total\{verdict="approve"\} 1$/m);
  });

  it("logs one JSON object per line, requests included, never a token or a body", async () => {
    await call(server, "GET", "/healthz");
    const lines = await until(async () => {
      const all = server
        .stderr()
        .split("\n")
        .filter((l) => l !== "");
      return all.some((l) => l.includes('"path":"/healthz"')) ? all : undefined;
    });
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const entry of parsed) {
      expect(entry).toMatchObject({
        time: expect.any(String),
        level: expect.any(String),
        msg: expect.any(String),
      });
    }
    expect(parsed.some((e) => e.event === "http" && e.caller === "ops-bot" && e.status === 200)).toBe(true);
    expect(parsed.some((e) => String(e.msg).includes("holds the sweep lease"))).toBe(true);
    const all = server.stderr();
    expect(all).not.toContain(agent);
    expect(all).not.toContain(secret);
  });

  it("is not ready when the store's schema is newer than this binary, and ready again when it is not", async () => {
    const db = new Database(join(server.dataDir, "airlock.db"));
    db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 'test')").run();
    const newer = await call(server, "GET", "/readyz");
    expect(newer.status).toBe(503);
    expect(newer.json).toMatchObject({ ok: false, code: "schema_newer" });
    db.prepare("DELETE FROM schema_migrations WHERE version = 9999").run();
    db.close();
    expect((await call(server, "GET", "/readyz")).status).toBe(200);
  });
});

describe("log format", () => {
  it("refuses an unknown --log-format with the configuration exit status", async () => {
    await expect(startTestServer({ args: ["--log-format", "xml"] })).rejects.toThrow(
      /exited \(78\).*log format "xml" is not one of text, json/s,
    );
  });
});

describe("the audit signing key from a file (shared by a cluster's replicas)", () => {
  it("signs with the key the file holds, in every data directory, and refuses a missing file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "airlock-key-"));
    const keyFile = join(dir, "audit-signer.key");
    const keygen = airlockSync(["audit", "keygen", "--origin", "airlock.test/cluster", "--out", keyFile]);
    expect(keygen.status, keygen.stderr).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(airlockSync(["audit", "keygen", "--origin", "x", "--out", keyFile]).status).toBe(73);
    const env = { AIRLOCK_AUDIT_KEY_FILE: keyFile };
    const a = await startTestServer({ env });
    const b = await startTestServer({ env });
    try {
      expect(a.verifierKey).toMatch(/^airlock\.test\/cluster\+[0-9a-f]{8}\+/);
      expect(b.verifierKey).toBe(a.verifierKey);
      expect(a.verifierKey).toBe(keygen.stdout.trim());
      expect(existsSync(join(a.dataDir, "audit-signer.key"))).toBe(false);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    await expect(
      startTestServer({ env: { AIRLOCK_AUDIT_KEY_FILE: join(dir, "missing.key") } }),
    ).rejects.toThrow(/cannot read the audit signing key/);
  });
});
