import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, makeToken, startTestServer, type TestServer } from "./harness.js";

/**
 * airlock protects itself, through a real `airlock serve` under a policy that allows everything: an
 * agent cannot vote, lift a control, stop the server or touch its files, whatever the policy says.
 */
let server: TestServer;
let agent: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "airlock-self-"));
  const dataDir = join(dir, "data");
  const policy = join(dir, "allow-all.yaml");
  writeFileSync(
    policy,
    "version: 1\nname: allow-all\nrules:\n  - { id: all, reason: anything goes, match: {}, decision: allow }\n",
  );
  agent = makeToken(dataDir, ["--name", "kiro-7", "--role", "agent", "--on-behalf-of", "alice"]);
  server = await startTestServer({ dataDir, policy });
});

afterAll(async () => {
  await server?.stop();
});

const submit = (action: unknown) => call(server, "POST", "/v1/actions", agent, action);
const shell = (command: string) => ({ kind: "shell", command, cwd: "/home/dev/app" });

describe("built-in guards through airlock serve", () => {
  it("denies an agent's airlock approve, with a code and a reason sending it to its user", async () => {
    const r = await submit(shell("AIRLOCK_TOKEN=alk_found airlock approve r_1"));
    expect(r.json).toMatchObject({ decision: "deny", code: "airlock_control" });
    expect((r.json.reasons as string[]).join(" ")).toMatch(/ask your user/);
  });

  it("denies deleting the server's own data directory, which only the server knows", async () => {
    const r = await submit(shell(`rm -rf ${server.dataDir}`));
    expect(r.json).toMatchObject({ decision: "deny", code: "protected_airlock_files" });
    const audit = await submit(shell(`sed -i 1d ${join(server.dataDir, "audit.db")}`));
    expect(audit.json).toMatchObject({ decision: "deny", code: "protected_airlock_files" });
  });

  it("denies killing the server's process", async () => {
    const r = await submit(shell(`kill -9 ${server.process.pid}`));
    expect(r.json).toMatchObject({ decision: "deny", code: "airlock_process" });
  });

  it("denies an MCP filesystem server's write to the agent's hook settings", async () => {
    const r = await submit({
      kind: "mcp",
      server: "filesystem",
      tool: "write_file",
      arguments: { path: "/home/dev/.claude/settings.json", content: "{}" },
    });
    expect(r.json).toMatchObject({ decision: "deny", code: "protected_settings" });
  });

  it("lets ordinary work through under the same policy", async () => {
    expect((await submit(shell("rm -rf build"))).json.decision).toBe("allow");
  });
});
