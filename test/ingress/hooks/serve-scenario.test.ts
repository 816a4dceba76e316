import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliName } from "../../../src/ingress/hooks/types.js";
import {
  airlockSync,
  call,
  makeToken,
  policyWithDelay,
  startTestServer,
  type TestServer,
  until,
} from "../http/harness.js";
import { expectAllowed, expectBlocked, hookEnv, runHook, sandbox } from "./run-hook.js";

/**
 * The incident, replayed through an agent CLI's hook connected to a real `airlock serve`: the agent's
 * attempt to delete the production stack is blocked with a request to approve; the person it acts
 * for cannot approve it; after two other approvers and the wait, the identical retry runs once.
 */
const DELAY = 3;
let server: TestServer;
const tokens: Record<string, string> = {};
const dirs = sandbox();

const attempts: Record<"claude-code" | "kiro", object> = {
  "claude-code": {
    session_id: "7d1f3a2e-session",
    transcript_path: "/home/alice/.claude/projects/shop/7d1f3a2e.jsonl",
    cwd: dirs.project,
    permission_mode: "default",
    hook_event_name: "PreToolUse",
    tool_name: "Bash",
    tool_input: {
      command: "aws cloudformation delete-stack --stack-name cost-explorer-prod",
      description: "recreate",
    },
    tool_use_id: "toolu_01",
  },
  kiro: {
    hook_event_name: "preToolUse",
    cwd: dirs.project,
    tool_name: "use_aws",
    tool_input: {
      service_name: "cloudformation",
      operation_name: "delete-stack",
      parameters: { "stack-name": "cost-explorer-prod" },
      region: "us-east-1",
      label: "Delete and recreate the stack to fix a minor bug",
    },
  },
};

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "airlock-hook-serve-"));
  const dataDir = join(dir, "data");
  tokens.agent = makeToken(dataDir, ["--name", "kiro-7", "--role", "agent", "--on-behalf-of", "alice"]);
  tokens.alice = makeToken(dataDir, ["--name", "alice", "--role", "approver"]);
  tokens.bob = makeToken(dataDir, ["--name", "bob", "--role", "approver"]);
  tokens.carol = makeToken(dataDir, ["--name", "carol", "--role", "approver"]);
  server = await startTestServer({ dataDir, policy: policyWithDelay(dir, DELAY) });
});

afterAll(async () => {
  await server?.stop();
});

describe.each(["claude-code", "kiro"] as const)(
  "the %s hook connected to airlock serve",
  (cli: CliName & keyof typeof attempts) => {
    it("blocks the deletion, then lets the identical retry through once after two approvals and the wait", async () => {
      const env = hookEnv(dirs.home, { AIRLOCK_URL: server.url, AIRLOCK_TOKEN: tokens.agent ?? "" });
      const attempt = () => runHook(cli, JSON.stringify(attempts[cli]), env);

      const reason = expectBlocked(cli, await attempt());
      const id = /r_[A-Za-z0-9_-]{16}/.exec(reason)?.[0];
      expect(id, reason).toBeDefined();
      expect(reason).toContain(`${server.url}/requests/${id}`);
      const request = await call(server, "GET", `/v1/requests/${id}`, tokens.bob);
      const digest = request.json.digest as string;

      expect(
        (await call(server, "POST", `/v1/requests/${id}/approve`, tokens.alice, { digest })).status,
      ).toBe(403);
      expect((await call(server, "POST", `/v1/requests/${id}/approve`, tokens.bob, { digest })).status).toBe(
        200,
      );
      expectBlocked(cli, await attempt());
      expect(
        (await call(server, "POST", `/v1/requests/${id}/approve`, tokens.carol, { digest })).status,
      ).toBe(200);
      await until(async () => {
        const r = await call(server, "GET", `/v1/requests/${id}`, tokens.bob);
        return r.json.status === "approved" ? true : undefined;
      });

      expectAllowed(cli, await attempt());
      const again = expectBlocked(cli, await attempt());
      expect(again).not.toContain(id);
    });
  },
);

describe("reads and writes inside the project, connected", () => {
  it("reach airlock serve: decided by its policy and recorded in its audit log", async () => {
    const env = hookEnv(dirs.home, { AIRLOCK_URL: server.url, AIRLOCK_TOKEN: tokens.agent ?? "" });
    const file = join(dirs.project, "src", "checkout.ts");
    const event = (tool_name: string, tool_input: object, id: string) =>
      JSON.stringify({
        session_id: "s-reads",
        cwd: dirs.project,
        hook_event_name: "PreToolUse",
        tool_name,
        tool_input,
        tool_use_id: id,
      });
    expectAllowed(
      "claude-code",
      await runHook("claude-code", event("Read", { file_path: file }, "toolu_read_1"), env),
    );
    expectAllowed(
      "claude-code",
      await runHook("claude-code", event("Write", { file_path: file, content: "x" }, "toolu_write_1"), env),
    );
    const log = airlockSync(["audit", "export", "--data-dir", server.dataDir]);
    expect(log.status, log.stderr).toBe(0);
    const entries = log.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.stringify(JSON.parse(l)));
    const read = entries.find((e) => e.includes("toolu_read_1"));
    expect(read, log.stdout.slice(-2000)).toBeDefined();
    expect(read).toContain("claude-code/Read");
    expect(read).toContain("reads-allowed");
    const write = entries.find((e) => e.includes("toolu_write_1"));
    expect(write, log.stdout.slice(-2000)).toBeDefined();
    expect(write).toContain(`tee -- ${file}`);
  });
});
