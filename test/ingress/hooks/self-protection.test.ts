import { describe, expect, it } from "vitest";
import type { CliName } from "../../../src/ingress/hooks/types.js";
import { expectAsked, expectBlocked, hookEnv, runHook, sandbox } from "./run-hook.js";

/** airlock protects itself through the agent CLIs' hooks: shell, file tools and MCP servers alike. */
const dirs = sandbox();
const env = hookEnv(dirs.home);

function claude(tool: string, input: Record<string, unknown>): string {
  return JSON.stringify({
    session_id: "self",
    transcript_path: "/tmp/self.jsonl",
    cwd: dirs.project,
    permission_mode: "default",
    hook_event_name: "PreToolUse",
    tool_name: tool,
    tool_input: input,
    tool_use_id: "toolu_self",
  });
}
const run = (cli: CliName, input: string) => runHook(cli, input, env);

describe("airlock hook claude-code: airlock protects itself", () => {
  it.each([
    ["Bash", { command: `sed -i 's/airlock/true/' ${dirs.home}/.claude/settings.json` }, /protect/],
    ["Bash", { command: "echo '{}' > .claude/settings.json" }, /protect/],
    ["Bash", { command: "airlock breakers reset prod-rate --scope agent:me" }, /never votes|lifts a pause/],
    ["Bash", { command: "pkill -f airlock" }, /stop airlock/],
    ["Bash", { command: "echo '* * * * * rm -rf ~' | crontab -" }, /wipe|home/],
    [
      "Edit",
      { file_path: `${dirs.home}/.claude/settings.json`, old_string: "a", new_string: "b" },
      /protect/,
    ],
    ["Write", { file_path: `${dirs.project}/.Claude/Settings.json`, content: "{}" }, /protect/],
    ["mcp__filesystem__write_file", { path: `${dirs.home}/.cursor/hooks.json`, content: "{}" }, /protect/],
    ["mcp__filesystem__move_file", { source: "/tmp/x", destination: `${dirs.project}/.mcp.json` }, /protect/],
  ] as const)("denies %s %j", async (tool, input, reason) => {
    expect(expectBlocked("claude-code", await run("claude-code", claude(tool, input)))).toMatch(reason);
  });

  it("asks before a write to git's hooks, whatever the case of .git", async () => {
    const input = claude("Write", {
      file_path: `${dirs.project}/.GIT/hooks/pre-commit`,
      content: "#!/bin/sh\n",
    });
    expect(expectAsked("claude-code", await run("claude-code", input))).toMatch(
      /configures the agent or git/,
    );
  });
});
