import { join, resolve } from "node:path";
import { fileCall, mcpCall, ownToolCall, shellCall } from "./calls.js";
import { splitMcpName } from "./claude-code.js";
import { isRecord, openEvent, printed, refuse, text } from "./event.js";
import { geminiCanAsk } from "./gemini-session.js";
import { configuredServers, splitQualified } from "./mcp-names.js";
import { nestedFormat } from "./settings.js";
import type { CallContext, CliHook, HookAnswer, Json, ToolCall } from "./types.js";

/**
 * Gemini CLI, `BeforeTool` (https://geminicli.com/docs/hooks/reference). Input: `{ session_id,
 * transcript_path, cwd, hook_event_name, timestamp, tool_name, tool_input, mcp_context? }`, where
 * `mcp_context` names the MCP server and tool. Answer: exit 0 with JSON on stdout, `{}` to let the
 * tool run, `{ "decision": "deny", "reason" }` to block it (the reason goes to the agent).
 */

function readTool(ctx: CallContext, input: Json, event: Json): ToolCall {
  switch (ctx.tool) {
    case "run_shell_command": {
      const dir = text(input.dir_path) ?? text(input.directory);
      return shellCall(ctx, input.command, dir ? resolve(ctx.cwd, dir) : ctx.cwd);
    }
    case "write_file":
    case "replace":
    case "edit":
      return fileCall(ctx, [input.file_path ?? input.absolute_path ?? input.path], "writes");
  }
  const mcp = isRecord(event.mcp_context) ? event.mcp_context : undefined;
  if (mcp) return mcpCall(ctx, text(mcp.server_name) ?? "", text(mcp.tool_name) ?? ctx.tool, input);
  const named = splitMcpName(ctx.tool, "mcp__");
  if (named) return mcpCall(ctx, named.server, named.tool, input);
  // Gemini's own name for an MCP tool: mcp_<server>_<tool>.
  const qualified = ctx.tool.startsWith("mcp_")
    ? splitQualified(ctx.tool.slice(4), "_", configuredServers("gemini", ctx.env, ctx.project))
    : undefined;
  if (qualified) return mcpCall(ctx, qualified.server, qualified.tool, input);
  return ownToolCall(ctx, input);
}

export const gemini: CliHook = {
  name: "gemini",
  title: "Gemini CLI",
  // Gemini CLI 0.61 takes "ask", but a headless run (`gemini -p`) then waits for an answer forever:
  // "ask" only when the Gemini process is interactive (gemini-session.ts), otherwise a deny.
  canAsk: (_input, env) => geminiCanAsk(env),
  read(input, env) {
    const opened = openEvent(input, env, {
      cli: "gemini",
      event: "BeforeTool",
      project: () => text(env.GEMINI_PROJECT_DIR),
    });
    if ("kind" in opened) return opened;
    const { ctx, event } = opened;
    if (!isRecord(event.tool_input)) return refuse(ctx, "its tool_input is not an object");
    return readTool(ctx, event.tool_input, event);
  },
  answer(verdict): HookAnswer {
    if (verdict.kind === "allow") return { exitCode: 0, stdout: "{}\n", stderr: "" };
    const out = {
      decision: verdict.kind,
      reason: verdict.reason,
      systemMessage: `airlock: ${verdict.reason}`,
    };
    return { exitCode: 0, stdout: `${JSON.stringify(out)}\n`, stderr: "" };
  },
  blocks: (answer) => answer.exitCode === 2 || ["deny", "block"].includes(String(printed(answer)?.decision)),
  sample: (command, cwd) => ({
    session_id: "airlock-doctor",
    transcript_path: join(cwd, ".airlock-doctor.json"),
    cwd,
    hook_event_name: "BeforeTool",
    timestamp: new Date(0).toISOString(),
    tool_name: "run_shell_command",
    tool_input: { command, description: "airlock doctor sample" },
  }),
  settings: nestedFormat(
    {
      cli: "gemini",
      event: "BeforeTool",
      matcher: ".*",
      // Gemini strips AIRLOCK_* from a hook's environment (GITHUB_SHA set, SURFACE=Github, or
      // redaction on) but merges the entry's own `env`: airlock's variables travel there.
      entry: (command, seconds, env): Json => ({
        name: "airlock",
        type: "command",
        command,
        timeout: seconds * 1000,
        ...(env && Object.keys(env).length > 0 ? { env } : {}),
      }),
    },
    // Gemini CLI's user settings follow GEMINI_CLI_HOME when it is set.
    (scope, home, project, env) => [
      join(scope === "user" ? (text(env.GEMINI_CLI_HOME) ?? home) : project, ".gemini", "settings.json"),
    ],
  ),
};
