import { describe, expect, it } from "vitest";
import { expectBlocked, hookEnv, runHook, sandbox } from "./run-hook.js";

/** Claude Code started in `/`: nothing there is "inside the project". */
const dirs = sandbox();
const env = hookEnv(dirs.home);

function event(tool: string, input: Record<string, unknown>): string {
  return JSON.stringify({
    session_id: "root-cwd",
    transcript_path: "/tmp/root-cwd.jsonl",
    cwd: "/",
    permission_mode: "default",
    hook_event_name: "PreToolUse",
    tool_name: tool,
    tool_input: input,
    tool_use_id: "toolu_root_cwd",
  });
}

describe("airlock hook claude-code with cwd /", () => {
  it.each(["rm -rf /etc", "rm -rf /usr", "rm -rf /boot", "rm -rf /var/lib/postgresql"])(
    "does not allow %s",
    async (command) => {
      const reason = expectBlocked(
        "claude-code",
        await runHook("claude-code", event("Bash", { command }), env),
      );
      expect(reason).not.toMatch(/development-allowed/);
    },
  );

  it("does not let the Write tool write a system file as if / were the project", async () => {
    const run = await runHook(
      "claude-code",
      event("Write", { file_path: "/etc/cron.d/job", content: "* * * * * root true\n" }),
      env,
    );
    expect(expectBlocked("claude-code", run)).toMatch(/\/etc\/cron\.d\/job/);
  });
});
