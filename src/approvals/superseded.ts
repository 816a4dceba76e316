import type { Decision } from "../action/decision.js";
import type { Identity } from "./identity.js";
import type { ApprovalRequest } from "./request.js";
import { cancel, type Transition } from "./transitions.js";

/**
 * An open request opened before the freeze was approved (or is being approved) under the ordinary
 * requirement, which does not cover a change during a freeze: it is cancelled, and the change asks
 * again under the emergency approval. Undefined when the request already carries the freeze.
 */
export function supersededByFreeze(
  r: ApprovalRequest,
  decision: Decision,
  now: number,
): Extract<Transition, { ok: true }> | undefined {
  if (decision.freeze === undefined || (r.decision as Partial<Decision>).freeze !== undefined)
    return undefined;
  const freeze: Identity = { name: `freeze:${decision.freeze.name}`, role: "admin", groups: [] };
  const t = cancel(
    r,
    freeze,
    now,
    "opened before the freeze; a change during it needs the emergency approval",
  );
  return t.ok ? t : undefined;
}
