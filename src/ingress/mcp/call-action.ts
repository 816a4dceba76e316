import type { Decision } from "../../action/decision.js";
import { VERDICTS } from "../../action/decision.js";
import { mcpAction } from "../../action/mcp-call.js";
import type { McpAction } from "../../action/schema.js";
import { failClosed } from "../../gate/fail-closed.js";
import { beforeDeadline } from "../deadline.js";
import type { Decider as FullDecider } from "../decider.js";

/** What the proxy needs of a decider (src/ingress/decider.ts): one Action in, one Decision out. */
export type Decider = Pick<FullDecider, "decide">;

/** One tools/call as the proxy sees it, before it is turned into an Action. */
export interface ToolCall {
  /** The upstream server's name, which becomes the Action's `server`. */
  server: string;
  /** The tool's name on that server (without any prefix the proxy exposed it under). */
  tool: string;
  arguments: unknown;
  /** The tool's annotations as the server declared them in tools/list; absent for a tool never listed. */
  annotations: unknown;
}

/**
 * The `mcp` Action for a call (the one builder, src/action/mcp-call.ts); `environment` comes from the
 * proxy's configuration, never from the agent. A call that makes no valid Action (arguments that are
 * not an object, annotations the contract does not allow) is still the decider's to refuse: it denies
 * it as `invalid_action`, and `airlock serve` audits that like any decision.
 */
export function callAction(
  call: ToolCall,
  environment: string | undefined,
): McpAction | Record<string, unknown> {
  const built = mcpAction({ ...call, environment });
  return built.ok ? built.action : built.draft;
}

function isDecision(value: unknown): value is Decision {
  const verdict = (value as { decision?: unknown } | null)?.decision;
  return typeof verdict === "string" && (VERDICTS as readonly string[]).includes(verdict);
}

/**
 * Decide one Action, failing closed: a decider that throws, answers nonsense or does not answer
 * within `timeoutMs` gives a deny that says so. Nothing here ever yields an allow on error.
 */
export function decideAction(action: unknown, decider: Decider, timeoutMs: number): Promise<Decision> {
  const late = () =>
    failClosed(
      action,
      "analysis_error",
      `airlock did not decide this call within ${Math.round(timeoutMs / 1000)} s, so it was not sent; retry it, and if this keeps happening check that airlock (or \`airlock serve\`) is healthy.`,
    );
  return beforeDeadline(timeoutMs, (signal) => decideOnce(action, decider, signal), late);
}

async function decideOnce(action: unknown, decider: Decider, signal: AbortSignal): Promise<Decision> {
  try {
    const decision = await decider.decide(action, signal);
    if (isDecision(decision)) return decision;
    return failClosed(
      action,
      "analysis_error",
      "airlock's decider returned something that is not a Decision, so the call was not sent; report this as a bug in airlock.",
    );
  } catch (err) {
    return failClosed(
      action,
      "analysis_error",
      `airlock failed while deciding this call (${(err as Error)?.message ?? String(err)}), so it was not sent; retry it, and report it if it persists.`,
    );
  }
}
