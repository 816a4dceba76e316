import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteStore } from "../../../src/store/sqlite/store.js";
import { entries } from "../../approvals/monitor-fixtures.js";
import { airlockSync, call, startTestServer } from "./harness.js";

function config(dir: string, approvers: string[]): string {
  const path = join(dir, "airlock.yaml");
  writeFileSync(
    path,
    [
      "version: 1",
      "identities:",
      "  - { name: bot, role: agent, onBehalfOf: ann }",
      ...approvers.map((a) => `  - { name: ${a}, role: approver }`),
      "",
    ].join("\n"),
  );
  return path;
}

function token(dataDir: string, file: string, name: string, role: string): string {
  const run = airlockSync([
    "token",
    "create",
    "--config",
    file,
    "--data-dir",
    dataDir,
    "--name",
    name,
    "--role",
    role,
  ]);
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim();
}

/**
 * Removing an identity from airlock.yaml removes its access, after a restart, whatever role its old
 * token recorded (before: the recorded role was the fallback, and the removed approver kept voting).
 */
describe("an identity removed from the configuration", () => {
  it("has no access with its old token once the server restarts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "airlock-removed-"));
    const dataDir = join(dir, "data");
    const file = config(dir, ["fay", "gus"]);
    const agent = token(dataDir, file, "bot", "agent");
    const fay = token(dataDir, file, "fay", "approver");
    let server = await startTestServer({ dataDir, args: ["--config", file] });
    const held = await call(server, "POST", "/v1/actions", agent, {
      kind: "shell",
      command: "kubectl --context prod delete namespace payments",
    });
    const id = (held.json.request as { id: string }).id;
    expect((await call(server, "GET", `/v1/requests/${id}`, fay)).status).toBe(200);
    await server.stop();

    config(dir, ["gus"]); // fay leaves
    server = await startTestServer({ dataDir, args: ["--config", file] });
    const digest = held.json.digest as string;
    const vote = await call(server, "POST", `/v1/requests/${id}/approve`, fay, { digest });
    expect(vote.status).toBe(401);
    expect(vote.json.error).toMatchObject({ code: "unauthorized" });
    expect((await call(server, "GET", "/v1/requests", fay)).status).toBe(401);
    // The agent, still declared, still works; the refusal is audited.
    expect((await call(server, "GET", "/v1/requests", agent)).status).toBe(200);
    await server.stop();
    const store = await SqliteStore.open(dataDir, { readonly: true });
    const logged = await entries(store);
    await store.close();
    expect(logged.filter((e) => e.type === "request.approved")).toEqual([]);
    expect(logged.some((e) => e.type === "request.rejected" && e.code === "unauthorized")).toBe(true);
  });
});
