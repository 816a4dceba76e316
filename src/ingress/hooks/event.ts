import type { CallContext, CliName, HookAnswer, Json, ToolCall } from "./types.js";

/** Reading an agent CLI's hook event, and the JSON a hook printed back. */

export function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** Tool arguments given as an object or as a JSON string holding one. */
export function argumentsOf(value: unknown): Json | undefined {
  if (value === undefined || value === null || value === "") return {};
  if (isRecord(value)) return value;
  if (typeof value !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function refuse(ctx: CallContext, what: string): ToolCall {
  return {
    kind: "refuse",
    reason: `airlock could not read the ${ctx.cli} "${ctx.tool}" tool call: ${what}. It is denied because airlock cannot check what it would do.`,
  };
}

export interface EventShape {
  cli: CliName;
  /** The one hook event airlock is installed on (others are refused); absent when it answers several. */
  event?: string;
  /** The tool's name (default `tool_name`). */
  tool?: (event: Json) => string | undefined;
  /** The session's directory (default `cwd`). */
  cwd?: (event: Json) => string | undefined;
  /** The project the agent works in (default the session's directory). */
  project?: (event: Json, cwd: string) => string | undefined;
}

/** The event and the call's context, or the refusal of input that is not a tool call airlock can read. */
export function openEvent(
  input: unknown,
  env: NodeJS.ProcessEnv,
  shape: EventShape,
): { ctx: CallContext; event: Json } | ToolCall {
  const event = isRecord(input) ? input : {};
  const cwd = shape.cwd?.(event) ?? text(event.cwd) ?? process.cwd();
  const callId = text(event.tool_use_id);
  const ctx: CallContext = {
    cli: shape.cli,
    tool: (shape.tool ? shape.tool(event) : text(event.tool_name)) ?? "",
    cwd,
    project: shape.project?.(event, cwd) ?? cwd,
    env,
    ...(callId ? { callId } : {}),
  };
  if (!isRecord(input)) return refuse(ctx, "the input is not a JSON object");
  if (shape.event && event.hook_event_name !== undefined && event.hook_event_name !== shape.event)
    return refuse(ctx, `it is a ${String(event.hook_event_name)} event, not ${shape.event}`);
  if (ctx.tool === "") return refuse(ctx, "it has no tool name");
  return { ctx, event };
}

/** The JSON object a hook printed on a successful exit, if it printed one. */
export function printed(answer: HookAnswer): Json | undefined {
  if (answer.exitCode !== 0) return undefined;
  try {
    const value: unknown = JSON.parse(answer.stdout);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
