import type { Decision, DecisionCode } from "../action/decision.js";

function idOf(input: unknown): string | undefined {
  const id = (input as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : undefined;
}

/**
 * The Decision for anything airlock could not judge: deny, with a stable code and a reason
 * that says what was wrong and what to do. The risk is the worst there is, because it is unknown.
 */
export function failClosed(input: unknown, code: DecisionCode, reason: string, digest?: string): Decision {
  const id = idOf(input);
  return {
    version: 1,
    ...(id !== undefined ? { id } : {}),
    decision: "deny",
    code,
    risk: { reversibility: "irreversible", blastRadius: "host", environment: "unknown" },
    operations: [],
    reasons: [reason],
    rules: [],
    ...(digest ? { digest } : {}),
  };
}
