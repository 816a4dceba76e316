import { join, resolve } from "node:path";
import { patchedFiles } from "../../analyze/shell/apply-patch.js";
import { quoteWord } from "../../analyze/shell/quote.js";
import { fileCall, shellCall } from "./calls.js";
import { deniedByPermission, permissionAnswer, readClaudeStyle } from "./claude-code.js";
import { interactiveChannel, shellPatch } from "./codex-shell.js";
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

function patchText(input: Json): string | undefined {
  for (const value of Object.values(input))
    if (typeof value === "string" && value.includes("*** Begin Patch")) return value;
  return undefined;
}

function applyPatch(ctx: CallContext, input: Json): ToolCall {
  const patch = patchText(input);
  if (!patch) return refuse(ctx, "it carries no patch (*** Begin Patch)");
  return patchCall(ctx, patch);
}

function patchCall(ctx: CallContext, patch: string): ToolCall {
  const { writes, deletes } = patchedFiles(patch);
  if (writes.length + deletes.length === 0) return refuse(ctx, "its patch names no file");
  const written = writes.length > 0 ? fileCall(ctx, writes, "writes") : undefined;
  const deleted = deletes.length > 0 ? fileCall(ctx, deletes, "deletes") : undefined;
  const parts = [deleted, written].filter((c): c is ToolCall => c !== undefined);
  // One patch, one answer: a part that needs a person (or cannot be read) decides, a deletion first.
  const first = parts.find((c) => c.kind !== "act" || c.confirm !== undefined);
  if (first || parts.length === 1) return first ?? (parts[0] as ToolCall);
  // Both inside the project: one shell action that does both, judged and audited as one.
  const [del, write] = parts.map((c) =>
    c.kind === "act" && c.action.kind === "shell" ? c.action : undefined,
  );
  if (!del || !write) return parts[0] as ToolCall;
  const action = {
    ...del,
    command: `${del.command} && ${write.command}`,
    intent: `${del.intent}; ${write.intent}`,
  };
  return { kind: "act", action };
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

/** A shell command, as Codex will really treat it: a patch it applies, or a channel it types into later. */
function shellTool(ctx: CallContext, command: unknown, cwd: string): ToolCall {
  if (typeof command !== "string") return shellCall(ctx, command, cwd);
  const patch = shellPatch(command);
  if (patch) return patchCall({ ...ctx, cwd: patch.dir ? resolve(cwd, patch.dir) : cwd }, patch.patch);
  const call = shellCall(ctx, command, cwd);
  const channel = interactiveChannel(command);
  if (!channel || call.kind !== "act") return call;
  return {
    ...call,
    confirm: `${channel}: under Codex, what is typed into it later (write_stdin) reaches no hook, so airlock cannot check it. Run the program with its script or command instead (python3 script.py, psql -c '…', ssh host 'command')`,
  };
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
    if (
      ctx.tool === "Bash" ||
      ctx.tool === "shell" ||
      ctx.tool === "local_shell" ||
      ctx.tool === "exec_command"
    )
      return shellTool(
        ctx,
        commandLine(toolInput.command ?? toolInput.cmd),
        text(toolInput.workdir) ?? ctx.cwd,
      );
    if (ctx.tool === "write_stdin")
      // Text typed into a running process is what that process runs.
      return shellCall(ctx, toolInput.chars ?? toolInput.input);
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
