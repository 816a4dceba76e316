import { McpAction } from "./schema.js";
import { describeError } from "./validate.js";

/**
 * The one builder of `mcp` Actions. Three doors see a call of a tool: an agent CLI's hook (an MCP
 * tool, or a tool airlock does not know), the MCP proxy, and the SDK's `toolCall`. Each reads its own
 * wire format; all three build the Action here, so the same call is the same Action, and the same
 * digest, whichever door it came through (test/action/mcp-call.test.ts).
 */

/** One tool call as a door read it, before it is an Action. */
export interface McpCall {
  /** The server the tool belongs to: an upstream's name, the CLI's own name, or "sdk". */
  server: string;
  tool: string;
  /** An object, or nothing (`undefined` or `null`), which is the same call as `{}`. */
  arguments?: unknown;
  /** The tool's annotations as its server declared them in tools/list. */
  annotations?: unknown;
  /** The environment from the door's configuration; never something the agent said. */
  environment?: string | undefined;
  /** Commentary a hook adds: the CLI's name (the server replaces it from the token), its call id, and why. */
  agent?: { id: string } | undefined;
  id?: string | undefined;
  intent?: string | undefined;
}

/**
 * The Action, or what is wrong with the call (no name, arguments not an object, annotations the
 * contract does not allow) with the unvalidated `draft`, for a door that leaves the refusal to the gate.
 */
export type BuiltMcpAction =
  | { ok: true; action: McpAction }
  | { ok: false; draft: Record<string, unknown>; field: string; error: string };

/** The `mcp` Action for one call, validated against the contract's schema. */
export function mcpAction(call: McpCall): BuiltMcpAction {
  const args = call.arguments ?? {};
  const draft: Record<string, unknown> = {
    kind: "mcp",
    server: call.server,
    tool: call.tool,
    arguments: args,
    ...(call.annotations !== undefined ? { annotations: call.annotations } : {}),
    ...(call.environment !== undefined ? { context: { environment: call.environment } } : {}),
    ...(call.agent !== undefined ? { agent: call.agent } : {}),
    ...(call.id !== undefined ? { id: call.id } : {}),
    ...(call.intent !== undefined ? { intent: call.intent } : {}),
  };
  const parsed = McpAction.safeParse(draft);
  return parsed.success
    ? { ok: true, action: parsed.data }
    : { ok: false, draft, ...describeError(parsed.error) };
}
