import type { Decision } from "../../action/decision.js";
import type { Decider } from "../decider.js";
import type { ToolCall, Verdict } from "./types.js";

/**
 * From the gate's Decision to the hook's answer, in words an agent can act on. A hold is never let
 * through: with a server it is a denial that carries the approval request; without one it is the
 * person at the keyboard's call only where the policy says so (`localConfirm`) and the CLI can ask.
 */

const MAX_REASON = 1800;

function bounded(reason: string): string {
  return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason;
}

function why(decision: Decision): string {
  const reasons = decision.reasons.length > 0 ? decision.reasons.join("; ") : "no reason was given";
  return `${reasons}${decision.code ? ` [${decision.code}]` : ""}`;
}

function duration(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function approvalsNeeded(decision: Decision): string {
  const a = decision.approvals;
  if (!a) return "human approval";
  const who = `${a.required} approver${a.required === 1 ? "" : "s"}`;
  return a.delaySeconds > 0 ? `${who}, then a ${duration(a.delaySeconds)} wait` : who;
}

function held(decision: Decision, mode: Decider["mode"], canAsk: boolean): Verdict {
  const what = `airlock holds this action for human approval: ${why(decision)}`;
  const request = decision.request;
  if (mode === "remote") {
    if (!request)
      return {
        kind: "deny",
        reason: `${what}. The airlock server gave no approval request for it, so it cannot be approved; tell the user.`,
      };
    const when = request.releasableAt ? ` It is approved and can run after ${request.releasableAt}.` : "";
    return {
      kind: "deny",
      reason: `${what}. Approval request ${request.id} (${request.status}) needs ${approvalsNeeded(decision)}: ${request.url} .${when} Tell the user; once it is approved, retry the identical command (exactly the same text and directory) and it will be let through once. The request expires at ${request.expiresAt}.`,
    };
  }
  if (decision.approvals?.localConfirm === true && canAsk) return { kind: "ask", reason: what };
  const instead =
    decision.approvals?.localConfirm === true
      ? "This CLI's hooks cannot ask the person at the keyboard, so it is denied"
      : `It needs ${approvalsNeeded(decision)}, and no airlock server is configured (AIRLOCK_URL) to collect approvals, so it is denied`;
  return {
    kind: "deny",
    reason: `${what}. ${instead}. Do not try another way to do the same thing; tell the user, who can run it themselves or set up \`airlock serve\`.`,
  };
}

export function verdictOf(decision: Decision, mode: Decider["mode"], canAsk: boolean): Verdict {
  if (decision.decision === "allow") return { kind: "allow" };
  if (decision.decision === "hold") {
    const v = held(decision, mode, canAsk);
    return v.kind === "allow" ? v : { ...v, reason: bounded(v.reason) };
  }
  const retry =
    decision.code &&
    ["server_unavailable", "policy_error", "invalid_action", "analysis_error"].includes(decision.code)
      ? "Fix what is named and retry, or tell the user."
      : "Do not try another way to do the same thing; tell the user.";
  return { kind: "deny", reason: bounded(`airlock denied this action: ${why(decision)}. ${retry}`) };
}

/** The verdict for one tool call: what the gate says, and a person's confirmation where the call needs one. */
export function verdictFor(
  call: ToolCall,
  decision: Decision | undefined,
  mode: Decider["mode"],
  canAsk: boolean,
): Verdict {
  if (call.kind === "refuse") return { kind: "deny", reason: bounded(call.reason) };
  if (call.kind === "pass" || !decision) return { kind: "allow" };
  const verdict = verdictOf(decision, mode, canAsk);
  if (verdict.kind !== "allow" || !call.confirm) return verdict;
  const reason = `airlock asks a person to confirm: ${call.confirm}`;
  return canAsk
    ? { kind: "ask", reason: bounded(reason) }
    : {
        kind: "deny",
        reason: bounded(
          `${reason}, and this CLI's hooks cannot ask, so it is denied. Keep changes inside the project, or tell the user.`,
        ),
      };
}
