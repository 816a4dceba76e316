import type { Decision } from "../../action/decision.js";
import type { Matched } from "./operation.js";
import type { Params } from "./params.js";

/**
 * The `aws` Action for a verified request: the operation in IAM spelling, the region the agent signed
 * for, the parameters in SDK spelling, and, as labels in the context (part of the digest), the
 * upstream account and the endpoint's configured environment. Nothing in it comes from a field the
 * agent can set apart from what the signed request itself says.
 */
export interface ActionFacts {
  service: string;
  region: string;
  account?: string;
  /** The upstream role serving the agent (`aws.accounts`). */
  role?: string;
  environment?: string;
}

export function awsActionOf(matched: Matched, params: Params, facts: ActionFacts): Record<string, unknown> {
  const labels: Record<string, string> = {
    "aws.endpoint": "airlock",
    "aws.protocol": matched.model.entry.protocol,
  };
  if (facts.account) labels["aws.account"] = facts.account;
  if (facts.role) labels["aws.role"] = facts.role;
  return {
    kind: "aws",
    action: `${facts.service}:${matched.op.name}`,
    region: facts.region,
    params,
    context: { ...(facts.environment ? { environment: facts.environment } : {}), labels },
  };
}

function wait(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/** What the agent reads for a hold: where the request is, what it still needs, and what to do next. */
export function heldMessage(decision: Decision, approvalsSoFar: number): string {
  const r = decision.request;
  const need = decision.approvals;
  const parts = [`airlock holds this call for approval: request ${r?.id ?? "(none)"}`];
  if (r?.url) parts.push(`see ${r.url}`);
  if (need) {
    const groups = need.groups?.length ? ` from ${need.groups.join(" or ")}` : "";
    const left = Math.max(0, need.required - approvalsSoFar);
    parts.push(
      `${left} more approval${left === 1 ? "" : "s"} needed (${approvalsSoFar} of ${need.required})${groups}${need.delaySeconds > 0 ? `, then a wait of ${wait(need.delaySeconds)}` : ""}`,
    );
  }
  if (r?.releasableAt) parts.push(`releasable at ${r.releasableAt}`);
  if (r?.expiresAt) parts.push(`expires ${r.expiresAt}`);
  parts.push(`why: ${decision.reasons.join("; ")}`);
  parts.push("retry the identical call after approval; it goes through once");
  return parts.join("; ");
}

export function deniedMessage(decision: Decision): string {
  const code = decision.code ? ` (${decision.code})` : "";
  return `airlock denied this call${code}: ${decision.reasons.join("; ")}`;
}
