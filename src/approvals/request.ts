import type { Approvals, RequestStatus } from "../action/decision.js";
import type { ApprovalRequest } from "../store/records/request.js";

export { ApprovalRequest, Vote } from "../store/records/request.js";

/** A request whose action may still run: waiting on people or the clock, or released and unused. */
export const OPEN_STATUSES = ["pending", "approved"] as const satisfies readonly RequestStatus[];

export function isOpen(r: Pick<ApprovalRequest, "status">): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(r.status);
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function openRequest(input: {
  id: string;
  digest: string;
  agent: string;
  onBehalfOf?: string;
  intent?: string;
  requirement: Approvals;
  action: Record<string, unknown>;
  decision: Record<string, unknown>;
  now: number;
}): ApprovalRequest {
  return {
    id: input.id,
    version: 1,
    status: "pending",
    digest: input.digest,
    agent: input.agent,
    ...(input.onBehalfOf !== undefined ? { onBehalfOf: input.onBehalfOf } : {}),
    ...(input.intent !== undefined ? { intent: input.intent } : {}),
    createdAt: iso(input.now),
    expiresAt: iso(input.now + input.requirement.expiresInSeconds * 1000),
    requirement: input.requirement,
    approvals: [],
    denials: [],
    action: input.action,
    decision: input.decision,
  };
}
