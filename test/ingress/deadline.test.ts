import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, expectBlocked, hookEnv, runHook, runWithInput, sandbox } from "./hooks/run-hook.js";
import { EVERYTHING, proxiedClient, textOf } from "./mcp/harness.js";

/**
 * The deadline of the hooks and the MCP proxy holds however long the analysis takes: a policy
 * condition that backtracks exponentially (`^(a+)+$` on a run of `a`s and a `b`, seconds to hours of one
 * regex) once kept the only thread busy, and the hook answered "allow" when it finished, long
 * after its own timer should have denied. The analysis now runs in a worker thread that the
 * deadline stops; these calls are denied for taking too long, and the next call is answered.
 */

const SLOW_POLICY = `version: 1
name: slow-condition
rules:
  - id: slow-condition
    reason: a condition that backtracks exponentially on some input
    match: {}
    when: '(has(action.command) && action.command.matches("^(a+)+$")) || (has(action.arguments) && has(action.arguments.message) && action.arguments.message.matches("^(a+)+$"))'
    decision: deny
  - id: everything-else
    reason: everything else is allowed here
    match: {}
    decision: allow
`;
// 40 `a`s: the regex would run for hours, so the deadline always ends it; the deadline is generous so
// that the next call (a fresh worker on a loaded machine) is answered well inside it.
const SLOW_TEXT = `${"a".repeat(40)}b`;
const TIMED_OUT = /did not (reach a decision|decide this call) within 5 s/;

const dirs = sandbox();
const policy = join(dirs.project, "slow.yaml");
writeFileSync(policy, SLOW_POLICY);

function bash(command: string): string {
  return JSON.stringify({
    session_id: "s",
    cwd: dirs.project,
    hook_event_name: "PreToolUse",
    tool_name: "Bash",
    tool_input: { command },
    tool_use_id: "toolu_1",
  });
}

const env = hookEnv(dirs.home, { AIRLOCK_POLICY: policy, AIRLOCK_HOOK_TIMEOUT_MS: "5000" });

describe("the hook's deadline", () => {
  it("denies a call whose analysis outlasts it (airlock hook)", async () => {
    const run = await runHook("claude-code", bash(SLOW_TEXT), env, ["--timeout", "30"]);
    expect(expectBlocked("claude-code", run)).toMatch(TIMED_OUT);
  });

  describe("through the hook daemon", () => {
    const socket = join(mkdtempSync(join(tmpdir(), "airlock-deadline-")), "d", "hook.sock");
    const CLIENT = new URL("../../bin/airlock-hook.sh", import.meta.url).pathname;
    const ENTRY = new URL("../../dist/airlock-hook.mjs", import.meta.url).pathname;
    let daemon: ChildProcess;
    beforeAll(async () => {
      daemon = spawn(process.execPath, [BIN, "hook-daemon"], {
        env: { ...env, AIRLOCK_HOOK_SOCKET: socket },
        stdio: "ignore",
      });
      for (let i = 0; i < 300 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
    });
    afterAll(() => {
      daemon.kill("SIGTERM");
    });

    it("denies the slow call and answers the next one", async () => {
      // No Node for the client: every answer here comes from the daemon.
      const fast = (input: string) =>
        runWithInput("sh", [CLIENT, "/nonexistent/node", ENTRY, "claude-code", "--timeout", "30"], input, {
          env: { ...env, AIRLOCK_HOOK_SOCKET: socket },
          cwd: dirs.project,
        });
      expect(expectBlocked("claude-code", await fast(bash(SLOW_TEXT)))).toMatch(TIMED_OUT);
      const next = await fast(bash("ls -la"));
      expect(next.status).toBe(0);
      expect(next.stdout.trim()).toBe("");
    });
  });
});

describe("the MCP proxy's deadline", () => {
  it("refuses a call whose analysis outlasts it, and goes on deciding", async () => {
    const { client } = await proxiedClient(["--policy", policy, "--env", "development", "--", EVERYTHING], {
      AIRLOCK_MCP_TIMEOUT_MS: "5000",
    });
    try {
      const slow = await client.callTool({ name: "echo", arguments: { message: SLOW_TEXT } });
      expect(slow.isError).toBe(true);
      expect(textOf(slow)).toMatch(TIMED_OUT);
      const next = await client.callTool({ name: "echo", arguments: { message: "hello" } });
      expect(next.isError).toBeFalsy();
      expect(textOf(next)).toContain("hello");
    } finally {
      await client.close();
    }
  });
});
