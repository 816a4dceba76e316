import { join } from "node:path";
import { agentToolNames } from "../../analyze/mcp/agent-tools.js";
import { fileCall, mcpCall, ownToolCall, shellCall } from "./calls.js";
import { isRecord, openEvent, printed, refuse, text } from "./event.js";
import { nestedFormat } from "./settings.js";
import type { CallContext, CliHook, HookAnswer, Json, ToolCall, Verdict } from "./types.js";

/**
 * Claude Code, `PreToolUse` (https://code.claude.com/docs/en/hooks). Input on stdin:
 * `{ session_id, transcript_path, cwd, permission_mode, hook_event_name, tool_name, tool_input,
 * tool_use_id }`. Answer: exit 0 with `hookSpecificOutput.permissionDecision` "deny" or "ask" and a
 * `permissionDecisionReason`; no output lets Claude Code's own permission rules decide.
 */

/** `mcp__server__tool`: the server is what comes before the next `__`. */
export function splitMcpName(name: string, prefix: string): { server: string; tool: string } | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  const at = rest.indexOf("__");
  return at > 0 && at < rest.length - 2 ? { server: rest.slice(0, at), tool: rest.slice(at + 2) } : undefined;
}

export function readClaudeStyle(ctx: CallContext, input: unknown): ToolCall {
  if (!isRecord(input)) return refuse(ctx, "its tool_input is not an object");
  switch (ctx.tool) {
    case "Bash":
      return shellCall(ctx, input.command);
    case "PowerShell":
      // Claude Code's tool on Windows: the line is PowerShell, read as such.
      return shellCall(ctx, input.command, ctx.cwd, "powershell");
    case "Write":
    case "Edit":
    case "MultiEdit":
      return fileCall(ctx, [input.file_path], "writes");
    case "NotebookEdit":
      return fileCall(ctx, [input.notebook_path], "writes");
  }
  const mcp = splitMcpName(ctx.tool, "mcp__");
  if (mcp) return mcpCall(ctx, mcp.server, mcp.tool, input);
  if (ctx.tool.startsWith("mcp__")) return refuse(ctx, "its MCP tool name is not mcp__server__tool");
  return ownToolCall(ctx, input);
}

export function permissionAnswer(verdict: Verdict): HookAnswer {
  if (verdict.kind === "allow") return { exitCode: 0, stdout: "", stderr: "" };
  const output = {
    hookSpecificOutput: {
      hookEventName: "PreToolUse",
      permissionDecision: verdict.kind,
      permissionDecisionReason: verdict.reason,
    },
  };
  return { exitCode: 0, stdout: `${JSON.stringify(output)}\n`, stderr: "" };
}

export function deniedByPermission(answer: HookAnswer): boolean {
  const specific = printed(answer)?.hookSpecificOutput;
  return answer.exitCode === 2 || (isRecord(specific) && specific.permissionDecision === "deny");
}

export const claudeCode: CliHook = {
  name: "claude-code",
  title: "Claude Code",
  canAsk: () => true,
  read(input, env) {
    const opened = openEvent(input, env, {
      cli: "claude-code",
      event: "PreToolUse",
      project: () => text(env.CLAUDE_PROJECT_DIR),
    });
    return "kind" in opened ? opened : readClaudeStyle(opened.ctx, opened.event.tool_input);
  },
  answer: permissionAnswer,
  blocks: deniedByPermission,
  sample: (command, cwd) => ({
    session_id: "airlock-doctor",
    transcript_path: join(cwd, ".airlock-doctor.jsonl"),
    cwd,
    permission_mode: "default",
    hook_event_name: "PreToolUse",
    tool_name: "Bash",
    tool_input: { command, description: "airlock doctor sample" },
    tool_use_id: "toolu_airlock_doctor",
  }),
  settings: nestedFormat(
    {
      cli: "claude-code",
      event: "PreToolUse",
      // The shell, the file writers, its own tools airlock knows (reads, audited) and MCP tools.
      matcher: [
        "Bash",
        "PowerShell",
        "Write",
        "Edit",
        "MultiEdit",
        "NotebookEdit",
        ...agentToolNames("claude-code"),
        "mcp__.*",
      ].join("|"),
      // onFailure "block" (Claude Code 2.1): a hook that cannot start, times out or prints invalid JSON blocks.
      entry: (command, seconds): Json => ({ type: "command", command, timeout: seconds, onFailure: "block" }),
    },
    // Claude Code's user settings follow CLAUDE_CONFIG_DIR when it is set.
    (scope, home, project, env) => [
      join(
        scope === "user" ? (text(env.CLAUDE_CONFIG_DIR) ?? join(home, ".claude")) : join(project, ".claude"),
        "settings.json",
      ),
    ],
  ),
};
