import type { Approvals, Decision, RequestRef } from "../action/decision.js";

/**
 * What a guarded tool gives the model instead of running: the verdict as data a program can branch
 * on, and a message the model can read and act on (why, and what to do next).
 */
export interface AirlockRefusal {
  airlock: {
    decision: "hold" | "deny";
    code?: string;
    reasons: string[];
    /** On a hold: how many distinct people must approve, and the wait after the last approval. */
    approvals?: Approvals;
    /** On a hold decided by `airlock serve`: the approval request, with the approvers' page. */
    request?: RequestRef;
  };
  message: string;
}

/** The codes where the caller can fix something and retry, rather than give up on the action. */
const FIXABLE = new Set(["server_unavailable", "policy_error", "invalid_action", "analysis_error"]);

function because(decision: Decision): string {
  const reasons = decision.reasons.length > 0 ? decision.reasons.join("; ") : "no reason was given";
  return decision.code ? `${reasons} [${decision.code}]` : reasons;
}

function whoMustApprove(approvals: Approvals | undefined): string {
  if (!approvals) return "human approval";
  const people =
    approvals.required === 1 ? "one approval" : `${approvals.required} approvals by different people`;
  return approvals.delaySeconds > 0 ? `${people}, then a ${approvals.delaySeconds} s wait` : people;
}

function messageFor(decision: Decision): string {
  const why = because(decision);
  if (decision.decision === "deny") {
    const next =
      decision.code && FIXABLE.has(decision.code)
        ? "Fix what is named and retry, or tell the user."
        : "Do not try another way to do the same thing; tell the user.";
    return `airlock denied this call; the tool did not run. Why: ${why}. ${next}`;
  }
  const held = `airlock is holding this call for human approval; the tool did not run. Why: ${why}.`;
  const request = decision.request;
  if (!request)
    return `${held} It needs ${whoMustApprove(decision.approvals)}, and no airlock server is configured to collect approvals, so it cannot run from here. Do not try another way to do the same thing; tell the user.`;
  const after = request.releasableAt ? ` It is approved and can run after ${request.releasableAt}.` : "";
  return `${held} Approval request ${request.id} (${request.status}) needs ${whoMustApprove(decision.approvals)}: ${request.url} .${after} Tell the user; once it is approved, make the identical call again and it will run once. The request expires at ${request.expiresAt}.`;
}

/** The refusal for a Decision that is not an allow. Absent fields are left out, so it is plain JSON. */
export function refusalOf(decision: Decision): AirlockRefusal {
  const verdict: AirlockRefusal["airlock"] = {
    decision: decision.decision === "hold" ? "hold" : "deny",
    reasons: decision.reasons,
  };
  if (decision.code) verdict.code = decision.code;
  if (decision.approvals) verdict.approvals = decision.approvals;
  if (decision.request) verdict.request = decision.request;
  return { airlock: verdict, message: messageFor(decision) };
}

/** Whether a tool's output is airlock's refusal rather than what the tool returns. */
export function isAirlockRefusal(value: unknown): value is AirlockRefusal {
  if (typeof value !== "object" || value === null) return false;
  const { airlock, message } = value as { airlock?: { decision?: unknown }; message?: unknown };
  return (
    typeof message === "string" &&
    typeof airlock === "object" &&
    airlock !== null &&
    (airlock.decision === "hold" || airlock.decision === "deny")
  );
}

/** Thrown instead of returning a refusal, when the guard is configured to throw. */
export class AirlockBlocked extends Error {
  readonly decision: Decision;
  readonly refusal: AirlockRefusal;

  constructor(decision: Decision) {
    const refusal = refusalOf(decision);
    super(refusal.message);
    this.decision = decision;
    this.refusal = refusal;
  }
}

/** The action needs human approval (`onHold: "throw"`); `request` is the approval request, if any. */
export class AirlockHeld extends AirlockBlocked {
  override readonly name = "AirlockHeld";

  get request(): RequestRef | undefined {
    return this.decision.request;
  }
}

/** The action was denied (`onDeny: "throw"`), including every error that made airlock fail closed. */
export class AirlockDenied extends AirlockBlocked {
  override readonly name = "AirlockDenied";
}
