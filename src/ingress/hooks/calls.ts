import { mcpAction } from "../../action/mcp-call.js";
import type { Action } from "../../action/schema.js";
import { agentToolNames } from "../../analyze/mcp/agent-tools.js";
import { quoteWord } from "../../analyze/shell/quote.js";
import { isWorkTree } from "../../analyze/shell/state.js";
import { argumentsOf, refuse, text } from "./event.js";
import { isInside, isProtected, realPath, resolveToolPath } from "./project.js";
import type { CallContext, ToolCall } from "./types.js";

/**
 * Turning one tool call into one Action. The agent is named by its CLI only: the server sets the
 * rest from its token, and a session id would make the retry after an approval a different action.
 */

/** Who calls, why and where, as the hook knows it (the environment from the hook's own configuration). */
function caller(ctx: CallContext, intent: string) {
  return {
    ...(ctx.callId ? { id: ctx.callId } : {}),
    agent: { id: ctx.cli },
    intent,
    environment: text(ctx.env.AIRLOCK_ENVIRONMENT),
  };
}

/** The caller as the fields of an Action, the environment under `context`. */
function callerFields(ctx: CallContext, intent: string): Pick<Action, "id" | "agent" | "intent" | "context"> {
  const { environment, ...rest } = caller(ctx, intent);
  return { ...rest, ...(environment ? { context: { environment } } : {}) };
}

export function shellCall(
  ctx: CallContext,
  command: unknown,
  cwd = ctx.cwd,
  shell?: "powershell" | "cmd",
): ToolCall {
  if (typeof command !== "string") return refuse(ctx, "it has no command line");
  const action: Action = {
    kind: "shell",
    command,
    cwd,
    ...(shell ? { shell } : {}),
    ...callerFields(ctx, `${ctx.cli} ${ctx.tool} tool runs a command`),
  };
  return { kind: "act", action };
}

export function mcpCall(
  ctx: CallContext,
  server: string,
  tool: string,
  args: unknown,
  intent = `${ctx.cli} calls MCP tool ${tool} on server ${server}`,
): ToolCall {
  const parsed = argumentsOf(args);
  if (!parsed) return refuse(ctx, "its arguments are not a JSON object");
  if (server === "" || tool === "") return refuse(ctx, "the MCP server or tool name is missing");
  const built = mcpAction({
    server,
    tool,
    arguments: parsed,
    ...caller(ctx, intent),
  });
  return built.ok ? { kind: "act", action: built.action } : refuse(ctx, built.error);
}

/**
 * A tool that writes (or deletes) files, as the shell command that would do the same, so the shell
 * analyzer's knowledge of paths applies and the policy judges (and the audit log records) every
 * write. Outside the project, or on a file that configures the agent or git's hooks, a person must
 * also confirm it, whatever the policy says.
 */
export function fileCall(ctx: CallContext, paths: unknown[], verb: "writes" | "deletes"): ToolCall {
  if (paths.length === 0 || paths.some((p) => text(p) === undefined))
    return refuse(ctx, "it names no file path");
  const absolute = (paths as string[]).map((p) => resolveToolPath(p, ctx.cwd));
  // An agent started in `/`, a home directory or a system directory has no project to write in freely.
  const project = isWorkTree(realPath(ctx.project), text(ctx.env.HOME) ?? null);
  const flagged = absolute.filter(
    (p) => !project || !isInside(p, ctx.project) || isProtected(p, ctx.project),
  );
  const program = verb === "deletes" ? "rm" : "tee";
  const action: Action = {
    kind: "shell",
    command: `${program} -- ${absolute.map(quoteWord).join(" ")}`,
    cwd: ctx.cwd,
    ...callerFields(ctx, `${ctx.cli} ${ctx.tool} tool ${verb} ${absolute.join(", ")}`),
  };
  if (flagged.length === 0) return { kind: "act", action };
  const where = flagged.map((p) =>
    project && isInside(p, ctx.project)
      ? `${p} (a file that configures the agent or git)`
      : `${p} (outside the project)`,
  );
  return {
    kind: "act",
    action,
    confirm: `the ${ctx.tool} tool ${verb} ${where.join(", ")}; the project is ${ctx.project}, and changes beyond it need a person to confirm them`,
  };
}

/**
 * One of the CLI's own tools other than its shell and file writers: an MCP call on a server named
 * after the CLI. The analyzer knows the ones that read or keep the agent's own state
 * (analyze/mcp/agent-tools.ts: allowed by the default policy, and judged, explained and audited like
 * every call); any other is judged by its name and arguments.
 */
export function ownToolCall(ctx: CallContext, args: unknown): ToolCall {
  const known = agentToolNames(ctx.cli).includes(ctx.tool);
  return mcpCall(ctx, ctx.cli, ctx.tool, args, `${ctx.cli} ${known ? "" : "unknown "}tool ${ctx.tool}`);
}
