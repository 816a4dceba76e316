import { join } from "node:path";
import { fileCall, mcpCall, ownToolCall, shellCall } from "./calls.js";
import { argumentsOf, openEvent, printed, refuse, text } from "./event.js";
import { configuredServers, splitQualified } from "./mcp-names.js";
import { flatFormat } from "./settings.js";
import type { CallContext, CliHook, HookAnswer, Json, ToolCall } from "./types.js";

/**
 * GitHub Copilot CLI, `preToolUse`
 * (https://docs.github.com/en/copilot/reference/copilot-cli-reference/cli-hooks-reference).
 * Input: `{ sessionId, timestamp, cwd, toolName, toolArgs }` (`toolArgs` a JSON string), or, when
 * configured as `PreToolUse`, `{ hook_event_name, session_id, cwd, tool_name, tool_input }`. Answer:
 * exit 0 with `{ "permissionDecision": "deny" | "ask", "permissionDecisionReason" }`; empty output
 * keeps the default behaviour. A hook that fails or times out is skipped, so airlock always answers.
 */

function readTool(ctx: CallContext, args: Json): ToolCall {
  switch (ctx.tool) {
    case "bash":
      return shellCall(ctx, args.command);
    case "powershell":
      // Copilot CLI's shell tool on Windows: the line is PowerShell.
      return shellCall(ctx, args.command, ctx.cwd, "powershell");
    case "write_bash":
      // Text typed into a running shell is a command line like any other.
      return shellCall(ctx, args.input);
    case "create":
    case "edit":
      return fileCall(ctx, [args.path], "writes");
  }
  // Copilot's name for an MCP tool: <server>-<tool> (its built-in tools have no "-").
  const mcp = ctx.tool.includes("-")
    ? splitQualified(ctx.tool, "-", configuredServers("copilot", ctx.env, ctx.project))
    : undefined;
  return mcp ? mcpCall(ctx, mcp.server, mcp.tool, args) : ownToolCall(ctx, args);
}

export const copilot: CliHook = {
  name: "copilot",
  title: "GitHub Copilot CLI",
  canAsk: () => true,
  read(input, env) {
    const opened = openEvent(input, env, {
      cli: "copilot",
      tool: (e) => text(e.toolName) ?? text(e.tool_name),
    });
    if ("kind" in opened) return opened;
    const { ctx, event } = opened;
    const args = argumentsOf("toolArgs" in event ? event.toolArgs : event.tool_input);
    if (!args) return refuse(ctx, "its toolArgs are not a JSON object");
    return readTool(ctx, args);
  },
  answer(verdict): HookAnswer {
    if (verdict.kind === "allow") return { exitCode: 0, stdout: "", stderr: "" };
    const out = { permissionDecision: verdict.kind, permissionDecisionReason: verdict.reason };
    return { exitCode: 0, stdout: `${JSON.stringify(out)}\n`, stderr: "" };
  },
  // A hook that fails (the launcher's exit 2) is a denial too: Copilot CLI 1.0 does not run the tool.
  blocks: (answer) => answer.exitCode === 2 || printed(answer)?.permissionDecision === "deny",
  sample: (command, cwd) => ({
    sessionId: "airlock-doctor",
    timestamp: 0,
    cwd,
    toolName: "bash",
    toolArgs: JSON.stringify({ command, description: "airlock doctor sample" }),
  }),
  settings: flatFormat(
    {
      cli: "copilot",
      events: ["preToolUse"],
      field: "bash",
      base: { version: 1 },
      entry: (command, seconds): Json => ({ type: "command", bash: command, timeoutSec: seconds }),
    },
    (scope, home, project, env) => [
      scope === "user"
        ? join(text(env.COPILOT_HOME) ?? join(home, ".copilot"), "hooks", "airlock.json")
        : join(project, ".github", "hooks", "airlock.json"),
    ],
  ),
};
