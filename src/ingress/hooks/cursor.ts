import { basename, join } from "node:path";
import { fileCall, mcpCall, ownToolCall, shellCall } from "./calls.js";
import { isRecord, openEvent, printed, refuse, text } from "./event.js";
import { isInside } from "./project.js";
import { flatFormat } from "./settings.js";
import type { CallContext, CliHook, HookAnswer, Json, ToolCall } from "./types.js";

/**
 * Cursor (https://cursor.com/docs/agent/hooks). airlock answers three events, each with
 * `{ conversation_id, generation_id, hook_event_name, workspace_roots, … }` on stdin:
 * `beforeShellExecution` (`command`, `cwd`), `beforeMCPExecution` (`tool_name`, `tool_input` as a
 * JSON string, and the server's `url` or `command`) and `preToolUse` (`tool_name`, `tool_input`,
 * `tool_use_id`, `cwd`), where it judges file writes; shell and MCP calls are judged by their own
 * events, so an approved retry is not used up twice. Answer: exit 0 with
 * `{ "permission": "allow" | "deny" | "ask", "user_message", "agent_message" }`.
 */

const EVENTS = ["beforeShellExecution", "beforeMCPExecution", "preToolUse"] as const;
const WRITES = new Set(["Write", "Edit", "StrReplace", "MultiEdit", "EditNotebook", "Delete"]);

const LAUNCHERS = new Set([
  "npx",
  "uvx",
  "node",
  "python",
  "python3",
  "bunx",
  "deno",
  "docker",
  "run",
  "pnpm",
  "dlx",
]);

function eventOf(input: unknown): string {
  return isRecord(input) ? String(input.hook_event_name ?? "") : "";
}

function roots(event: Json): string[] {
  return Array.isArray(event.workspace_roots)
    ? event.workspace_roots.filter((r): r is string => typeof r === "string" && r !== "")
    : [];
}

function mcpServer(event: Json): string {
  const url = text(event.url);
  if (url) {
    try {
      return new URL(url).host || url;
    } catch {
      return url;
    }
  }
  // `npx -y @modelcontextprotocol/server-postgres postgres://…`: the first word that is not a launcher or a flag.
  const words = (text(event.command) ?? "").trim().split(/\s+/);
  const name = words.find((w) => w !== "" && !w.startsWith("-") && !LAUNCHERS.has(basename(w)));
  return name ? basename(name) : "cursor";
}

function readEvent(ctx: CallContext, name: string, event: Json): ToolCall {
  if (name === "beforeShellExecution") return shellCall(ctx, event.command);
  if (name === "beforeMCPExecution") {
    const qualified = /^MCP:([^:]+):(.+)$/.exec(ctx.tool);
    return qualified?.[1] && qualified[2]
      ? mcpCall(ctx, qualified[1], qualified[2], event.tool_input)
      : mcpCall(ctx, mcpServer(event), ctx.tool, event.tool_input);
  }
  if (name !== "preToolUse") return refuse(ctx, `airlock does not answer the ${name || "unnamed"} event`);
  if (ctx.tool === "Shell" || /^mcp(:|_|$)/i.test(ctx.tool))
    return { kind: "pass", why: "judged by beforeShellExecution or beforeMCPExecution" };
  const input = event.tool_input;
  if (!isRecord(input)) return refuse(ctx, "its tool_input is not an object");
  if (WRITES.has(ctx.tool))
    return fileCall(
      ctx,
      [input.file_path ?? input.path ?? input.target_file],
      ctx.tool === "Delete" ? "deletes" : "writes",
    );
  return ownToolCall(ctx, input);
}

export const cursor: CliHook = {
  name: "cursor",
  title: "Cursor",
  canAsk: (input) => eventOf(input) !== "preToolUse",
  read(input, env) {
    const opened = openEvent(input, env, {
      cli: "cursor",
      tool: (e) => text(e.tool_name) ?? (e.hook_event_name === "beforeShellExecution" ? "Shell" : undefined),
      cwd: (e) => text(e.cwd) ?? roots(e)[0],
      project: (e, cwd) => roots(e).find((r) => isInside(cwd, r)) ?? roots(e)[0],
    });
    return "kind" in opened ? opened : readEvent(opened.ctx, eventOf(input), opened.event);
  },
  answer(verdict, input): HookAnswer {
    if (verdict.kind === "allow") return { exitCode: 0, stdout: '{"permission":"allow"}\n', stderr: "" };
    const out: Json = {
      permission: verdict.kind,
      user_message: `airlock: ${verdict.reason}`,
      agent_message: verdict.reason,
    };
    // preToolUse has also been documented with `decision`/`reason`; both spellings say the same.
    if (eventOf(input) === "preToolUse") Object.assign(out, { decision: "deny", reason: verdict.reason });
    return { exitCode: 0, stdout: `${JSON.stringify(out)}\n`, stderr: "" };
  },
  blocks: (answer) => answer.exitCode === 2 || printed(answer)?.permission === "deny",
  sample: (command, cwd) => ({
    conversation_id: "airlock-doctor",
    generation_id: "airlock-doctor-1",
    model: "doctor",
    hook_event_name: "beforeShellExecution",
    cursor_version: "2.0.0",
    workspace_roots: [cwd],
    user_email: null,
    command,
    cwd,
  }),
  settings: flatFormat(
    {
      cli: "cursor",
      events: EVENTS,
      field: "command",
      base: { version: 1 },
      entry: (command, seconds): Json => ({ command, timeout: seconds, failClosed: true }),
    },
    (scope, home, project) => [join(scope === "user" ? home : project, ".cursor", "hooks.json")],
  ),
};
