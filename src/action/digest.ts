import { hash } from "node:crypto";
import { canonicalize } from "./jcs.js";
import { type Action, IDENTITY_FIELDS } from "./schema.js";

/**
 * The part of an Action that an approval is bound to: kind, the kind's own fields, context and agent.
 * `id` and `intent` are commentary: resubmitting the same command with a new id or a reworded
 * intent is the same action. Unknown fields are ignored, as the contract says.
 */
export function actionIdentity(action: Action): Record<string, unknown> {
  const source = action as Record<string, unknown>;
  const identity: Record<string, unknown> = { kind: action.kind };
  for (const field of IDENTITY_FIELDS[action.kind]) {
    if (source[field] !== undefined) identity[field] = source[field];
  }
  if (action.context !== undefined) identity.context = action.context;
  if (action.agent !== undefined) identity.agent = action.agent;
  return identity;
}

/** SHA-256 (lowercase hex) of the RFC 8785 canonical JSON of the Action's identity. */
export function actionDigest(action: Action): string {
  return hash("sha256", canonicalize(actionIdentity(action)), "hex");
}
