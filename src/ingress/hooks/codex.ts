import { join } from "node:path";
import { quoteWord } from "../../analyze/shell/quote.js";
import { fileCall, shellCall } from "./calls.js";
import { deniedByPermission, permissionAnswer, readClaudeStyle } from "./claude-code.js";
import { isRecord, openEvent, refuse, text } from "./event.js";
import { nestedFormat } from "./settings.js";
import type { CallContext, CliHook, Json, ToolCall } from "./types.js";

/**
 * OpenAI Codex, `PreToolUse` (https://developers.openai.com/codex/hooks). The wire format is Claude
 * Code's: `{ session_id, turn_id, cwd, hook_event_name, model, permission_mode, tool_name, tool_input,
 * tool_use_id }` in, `hookSpecificOutput.permissionDecision: "deny"` out. Codex rejects "ask" (and a
 * bare "allow") as unsupported and then runs the tool, so airlock never answers them: a call that
 * needs a person is denied, and a call airlock lets through gets no output.
 */

/** The files an `apply_patch` patch adds, updates, moves to or deletes. */
export function patchedFiles(patch: string): { writes: string[]; deletes: string[] } {
  const writes: string[] = [];
  const deletes: string[] = [];
  for (const line of patch.split("\n")) {
    const m = /^\*\*\* (Add File|Update File|Move to|Delete File): (.+)$/.exec(line);
    const path = m?.[2]?.trimEnd();
    if (!path) continue;
    (m?.[1] === "Delete File" ? deletes : writes).push(path);
  }
  return { writes, deletes };
}

function patchText(input: Json): string | undefined {
  for (const value of Object.values(input))
    if (typeof value === "string" && value.includes("*** Begin Patch")) return value;
  return undefined;
}

function applyPatch(ctx: CallContext, input: Json): ToolCall {
  const patch = patchText(input);
  if (!patch) return refuse(ctx, "it carries no patch (*** Begin Patch)");
  const { writes, deletes } = patchedFiles(patch);
  if (writes.length + deletes.length === 0) return refuse(ctx, "its patch names no file");
  const written = writes.length > 0 ? fileCall(ctx, writes, "writes") : undefined;
  const deleted = deletes.length > 0 ? fileCall(ctx, deletes, "deletes") : undefined;
  // One patch, one answer: the first part that needs the gate decides (a deletion outside the project
  // is judged before a write inside it).
  return [deleted, written].find((c) => c && c.kind !== "pass") ?? written ?? (deleted as ToolCall);
}

/** Codex's shell tools may give the command as an argv (`["bash", "-lc", "…"]`). */
function commandLine(command: unknown): unknown {
  if (!Array.isArray(command) || !command.every((w) => typeof w === "string")) return command;
  const words = command as string[];
  const [shell, flag, script] = words;
  if (words.length === 3 && shell && /(^|\/)(ba|z|da)?sh$/.test(shell) && /^-l?c$/.test(flag ?? ""))
    return script;
  return words.map(quoteWord).join(" ");
}

export const codex: CliHook = {
  name: "codex",
  title: "Codex",
  canAsk: () => false,
  read(input, env) {
    const opened = openEvent(input, env, { cli: "codex", event: "PreToolUse" });
    if ("kind" in opened) return opened;
    const { ctx, event } = opened;
    const toolInput = event.tool_input;
    if (!isRecord(toolInput)) return refuse(ctx, "its tool_input is not an object");
    if (ctx.tool === "Bash" || ctx.tool === "shell" || ctx.tool === "local_shell")
      return shellCall(ctx, commandLine(toolInput.command), text(toolInput.workdir) ?? ctx.cwd);
    if (ctx.tool === "apply_patch") return applyPatch(ctx, toolInput);
    return readClaudeStyle(ctx, toolInput);
  },
  answer: (verdict) =>
    permissionAnswer(verdict.kind === "ask" ? { kind: "deny", reason: verdict.reason } : verdict),
  blocks: deniedByPermission,
  sample: (command, cwd) => ({
    session_id: "airlock-doctor",
    turn_id: "turn-1",
    transcript_path: null,
    cwd,
    hook_event_name: "PreToolUse",
    model: "gpt-5",
    permission_mode: "default",
    tool_name: "Bash",
    tool_input: { command },
    tool_use_id: "call_airlock_doctor",
  }),
  settings: nestedFormat(
    {
      cli: "codex",
      event: "PreToolUse",
      matcher: "Bash|apply_patch|mcp__.*",
      entry: (command, seconds): Json => ({ type: "command", command, timeout: seconds }),
    },
    (scope, home, project, env) => [
      join(
        scope === "user" ? (text(env.CODEX_HOME) ?? join(home, ".codex")) : join(project, ".codex"),
        "hooks.json",
      ),
    ],
  ),
};
