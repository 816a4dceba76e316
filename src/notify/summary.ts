import type { ApprovalRequest } from "../approvals/request.js";
import { scopeText } from "../gate/overrides.js";
import type { AuditDraft } from "../store/port.js";
import type { NotifyEventName } from "./config.js";

/** A request as a notification shows it: enough to decide whether to open the approval page. */
export interface RequestInfo {
  id: string;
  /** The approval page. */
  url: string;
  status: ApprovalRequest["status"];
  agent: string;
  onBehalfOf?: string;
  intent?: string;
  environment: string;
  risk: { reversibility: string; blastRadius: string };
  /** One line per operation the action would perform. */
  wants: string[];
  approvals: { count: number; required: number; groups?: string[] };
  expiresAt: string;
  releasableAt?: string;
}

export function requestInfo(r: ApprovalRequest, url: string): RequestInfo {
  const decision = r.decision as {
    risk?: { reversibility?: unknown; blastRadius?: unknown; environment?: unknown };
    operations?: { summary?: unknown }[];
  };
  const risk = decision.risk ?? {};
  const wants = (Array.isArray(decision.operations) ? decision.operations : [])
    .map((op) => op?.summary)
    .filter((s): s is string => typeof s === "string");
  return {
    id: r.id,
    url,
    status: r.status,
    agent: r.agent,
    ...(r.onBehalfOf !== undefined ? { onBehalfOf: r.onBehalfOf } : {}),
    ...(r.intent !== undefined ? { intent: r.intent } : {}),
    environment: String(risk.environment ?? "unknown"),
    risk: {
      reversibility: String(risk.reversibility ?? "unknown"),
      blastRadius: String(risk.blastRadius ?? "unknown"),
    },
    wants,
    approvals: {
      count: r.approvals.length,
      required: r.requirement.required,
      ...(r.requirement.groups ? { groups: r.requirement.groups } : {}),
    },
    expiresAt: r.expiresAt,
    ...(r.releasableAt !== undefined ? { releasableAt: r.releasableAt } : {}),
  };
}

/** One sentence saying what happened, for people: the Slack message's first line and the JSON `summary`. */
export function describeDraft(event: NotifyEventName, d: AuditDraft, r: RequestInfo | undefined): string {
  const f = d as Record<string, unknown>;
  const who = r ? `${r.agent}${r.onBehalfOf ? ` (for ${r.onBehalfOf})` : ""}` : "";
  const what = r ? (r.wants.length > 0 ? r.wants.join("; ") : "an action") : "";
  const req = r ? `request ${r.id}` : `request ${String(f.requestId ?? "?")}`;
  const comment = typeof f.comment === "string" && f.comment ? `: "${f.comment}"` : "";
  const reason = typeof f.reason === "string" && f.reason ? ` ("${f.reason}")` : "";
  const scope = typeof f.scope === "string" ? scopeText(f.scope) : "an unknown scope";
  switch (event) {
    case "hold":
      return `${who} wants to ${what} in ${r?.environment ?? "an unknown environment"}; it waits for ${r?.approvals.required ?? 1} approval(s).`;
    case "approved":
      return `${String(f.by)} approved ${req} (${String(f.count ?? "?")} of ${String(f.required ?? "?")})${comment}.`;
    case "released":
      return `${req} is approved and its wait is over: ${who || "the agent"} may run it once.`;
    case "denied":
      return `${String(f.by)} denied ${req}${comment}.`;
    case "used":
      return `${who || "The agent"} ran the action released by ${req}.`;
    case "expired":
      return `${req} expired before it was approved and used.`;
    case "cancelled":
      return `${String(f.by)} cancelled ${req}${comment}.`;
    case "tripped":
      return `Circuit breaker ${String(f.breaker)} tripped for ${scope}: ${String(f.reason)}.`;
    case "reset":
      return `Circuit breaker ${String(f.breaker)} was reset for ${scope} by ${String(f.by)}${reason}.`;
    case "paused":
      return `${String(f.by)} paused ${scope}${reason}: only reads go through.`;
    case "resumed":
      return `${String(f.by)} resumed ${scope}${reason}.`;
    case "freeze":
      if (d.type === "freeze.lifted") return `${String(f.by)} lifted the freeze of ${scope}${reason}.`;
      return `${String(f.by)} declared a freeze of ${scope} until ${String(f.until)}${reason}.`;
    case "checkpoint":
      return `The audit log's checkpoint of ${String(f.size)} entries.`;
  }
}
