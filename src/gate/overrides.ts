import type { Decision } from "../action/decision.js";
import type { CompiledPolicy } from "../policy/compile.js";
import { mergeApprovals } from "../policy/evaluate.js";
import type { PauseRecord, TripRecord } from "./records.js";

/** A pause scope as people read it: "agent kiro-7", "environment production", "every agent". */
export function scopeText(scope: string): string {
  if (scope === "all") return "every agent";
  const [kind, ...rest] = scope.split(":");
  const name = rest.join(":");
  if (kind === "agent") return `agent ${name}`;
  if (kind === "onBehalfOf") return `agents acting for ${name}`;
  return `environment ${name}`;
}

/** The kill switch's answer: deny, whatever the policy said, and never spend an approved request. */
export function pausedDecision(decision: Decision, pause: PauseRecord): Decision {
  const why = pause.reason ? ` ("${pause.reason}")` : "";
  return {
    ...decision,
    decision: "deny",
    code: "paused",
    reasons: [
      `${pause.by} paused ${scopeText(pause.scope)} at ${pause.at}${why}: only reads go through until an admin runs \`airlock resume\`. Do not retry; tell the user.`,
      ...decision.reasons,
    ],
    rules: ["builtin:kill-switch", ...decision.rules],
    approvals: undefined,
    request: undefined,
  };
}

/** A tripped breaker's answer: hold (people may still approve) or deny, as the policy says. */
export function trippedDecision(decision: Decision, trip: TripRecord, policy: CompiledPolicy): Decision {
  const hold = trip.then === "hold-all-but-reads";
  const until = trip.until
    ? `it resets by itself at ${trip.until}`
    : `an admin resets it with \`airlock breakers reset ${trip.breaker} --scope ${trip.scope}\``;
  return {
    ...decision,
    decision: hold ? "hold" : "deny",
    code: "breaker_tripped",
    reasons: [
      `Circuit breaker ${trip.breaker} tripped for ${scopeText(trip.scope)} at ${trip.trippedAt}: ${trip.reason}. Only reads go through on their own until ${until}. Stop and tell the user what you were doing.`,
      ...decision.reasons,
    ],
    rules: [`breaker:${trip.breaker}`, ...decision.rules],
    approvals: hold
      ? (decision.approvals ?? mergeApprovals([], policy.document.settings.defaultApprovals))
      : undefined,
    request: undefined,
  };
}
