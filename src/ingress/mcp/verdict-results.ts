import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Decision } from "../../action/decision.js";

/**
 * The tool results the agent gets instead of the server's when a call is not forwarded. They are
 * `isError` results, not protocol errors, so the model reads them and can act: the text says what
 * was decided, why, and what to do next. The whole Decision rides along in `_meta` for programs.
 */

export const DECISION_META_KEY = "airlock/decision";

const ADVICE: Record<string, string> = {
  server_unavailable:
    "airlock could not reach its server; check that `airlock serve` is running and AIRLOCK_URL and AIRLOCK_TOKEN are right, then retry the call.",
  policy_error: "The airlock policy is broken; a person must fix it before anything is allowed.",
  analysis_error: "Retry the call; if it is refused the same way again, ask a person to look at airlock.",
  invalid_action: "The call could not be turned into a valid airlock action; check the tool's arguments.",
  parse_limit: "The arguments are too large or too deeply nested to check; make the call smaller.",
  request_closed:
    "An approver refused this exact call, or its approval request was cancelled or expired; do not retry it unchanged.",
};
const DEFAULT_ADVICE =
  "Do not retry this call unchanged; choose another way to reach the goal, or ask a person to do it.";

function result(text: string, decision: Decision): CallToolResult {
  return { content: [{ type: "text", text }], isError: true, _meta: { [DECISION_META_KEY]: decision } };
}

function why(decision: Decision): string {
  const reasons = decision.reasons.length > 0 ? decision.reasons.join("; ") : "no reason was given";
  const rules = decision.rules.length > 0 ? `\nRules: ${decision.rules.join(", ")}.` : "";
  const code = decision.code ? `\nCode: ${decision.code}.` : "";
  return `Why: ${reasons}.${rules}${code}`;
}

export function deniedResult(label: string, decision: Decision): CallToolResult {
  const advice = ADVICE[decision.code ?? ""] ?? DEFAULT_ADVICE;
  return result(
    `airlock denied this call to ${label}; it was not sent to the server.\n${why(decision)}\n${advice}`,
    decision,
  );
}

function requirement(decision: Decision): string {
  const a = decision.approvals;
  if (!a) return "It needs human approval";
  const people = a.required === 1 ? "one approval" : `${a.required} approvals from different people`;
  const delay = a.delaySeconds > 0 ? `, then a wait of ${a.delaySeconds} s after the last approval` : "";
  return `It needs ${people}${delay}`;
}

/** A hold: with the request to approve when a server made one, or why nobody can approve it here. */
export function heldResult(label: string, decision: Decision, waitedSeconds?: number): CallToolResult {
  const request = decision.request;
  if (!request) {
    return result(
      `airlock is holding this call to ${label}; it was not sent to the server. ${requirement(decision)}, but this proxy is not connected to an airlock server (AIRLOCK_URL and AIRLOCK_TOKEN are not set), so it cannot be approved from here.\n${why(decision)}\nAsk a person to do this, or to run the proxy connected to \`airlock serve\`.`,
      decision,
    );
  }
  const waited =
    waitedSeconds !== undefined
      ? ` airlock waited ${waitedSeconds} s and it is still ${request.status}.`
      : "";
  return result(
    `airlock is holding this call to ${label} for human approval; it was not sent to the server.${waited}\nRequest: ${request.id} (${request.status}), approve at ${request.url}; it expires at ${request.expiresAt}.\n${requirement(decision)}.\n${why(decision)}\nAfter it is approved, retry the identical call (same tool, same arguments): it will then be allowed once.`,
    decision,
  );
}
