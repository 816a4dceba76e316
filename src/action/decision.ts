import * as z from "zod/mini";
import "./zod.js";

export const REVERSIBILITY = ["reversible", "recoverable", "irreversible"] as const;
export const Reversibility = z.enum(REVERSIBILITY);
export type Reversibility = z.infer<typeof Reversibility>;

/** Ordered from least to most far-reaching; the rank is the index. */
export const BLAST_RADII = ["none", "resource", "service", "environment", "account", "host"] as const;
export const BlastRadius = z.enum(BLAST_RADII);
export type BlastRadius = z.infer<typeof BlastRadius>;

export const VERDICTS = ["allow", "hold", "deny"] as const;
export const Verdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof Verdict>;

/**
 * Stable codes for decisions that did not come from an ordinary rule match.
 * Tests and scripts assert on these, never on the wording of a reason.
 */
export const DECISION_CODES = [
  "invalid_action",
  "parse_limit",
  "policy_error",
  "analysis_error",
  "no_rule",
  "opaque_guard",
  /** The server could not read or write its store; nothing was decided. */
  "store_unavailable",
  /** A hook or SDK client could not reach `airlock serve`, or it did not answer in time. */
  "server_unavailable",
  /** An allow that uses up an approved request for this exact digest. */
  "released",
  /** The identical action was already refused by an approver, cancelled, or its request expired. */
  "request_closed",
  /** An admin paused this agent, person, environment or everything: only reads go through. */
  "paused",
  /** A circuit breaker of the policy tripped for this scope: only reads go through on their own. */
  "breaker_tripped",
  /** A freeze is in force: a change that would have gone through on its own needs an emergency approval. */
  "frozen",
  /** airlock protects itself (src/gate/self-protection.ts): an agent CLI's hook, settings or MCP files. */
  "protected_settings",
  /** …airlock's own data, keys, configuration, policy or programs. */
  "protected_airlock_files",
  /** …an agent running the airlock commands or API calls that vote or lift a control. */
  "airlock_control",
  /** …stopping airlock's processes. */
  "airlock_process",
  /** airlock failed on this action for a reason other than its store (a bug): nothing was decided or recorded. */
  "internal_error",
] as const;
export type DecisionCode = (typeof DECISION_CODES)[number];

export const Approvals = z.object({
  required: z.int().check(z.minimum(1)),
  delaySeconds: z.int().check(z.minimum(0)),
  expiresInSeconds: z.int().check(z.minimum(1)),
  groups: z.optional(z.array(z.string())),
  /** Distinct denials that end the request, when more than one. */
  denials: z.optional(z.int().check(z.minimum(2))),
  /** Present and true when a hook without a server may ask the person at the keyboard instead. */
  localConfirm: z.optional(z.literal(true)),
});
export type Approvals = z.infer<typeof Approvals>;

export const DecisionOperation = z.object({
  kind: z.string(),
  name: z.string(),
  effect: z.string(),
  summary: z.string(),
  reversibility: Reversibility,
  blastRadius: BlastRadius,
  environment: z.string(),
  targets: z.array(z.object({ type: z.string(), name: z.string() })),
  opaque: z.optional(z.boolean()),
  tags: z.optional(z.array(z.string())),
});
export type DecisionOperation = z.infer<typeof DecisionOperation>;

export const REQUEST_STATUSES = ["pending", "approved", "used", "denied", "expired", "cancelled"] as const;
export const RequestStatus = z.enum(REQUEST_STATUSES);
export type RequestStatus = z.infer<typeof RequestStatus>;

/** On a hold decided by `airlock serve`: the approval request this action waits on. */
export const RequestRef = z.object({
  id: z.string(),
  status: RequestStatus,
  /** The approvers' page for this request. */
  url: z.string(),
  expiresAt: z.string(),
  /** When the mandatory wait after the last approval ends; absent until the approvals are in. */
  releasableAt: z.optional(z.string()),
});
export type RequestRef = z.infer<typeof RequestRef>;

export const Decision = z.object({
  version: z.literal(1),
  id: z.optional(z.string()),
  decision: Verdict,
  code: z.optional(z.enum(DECISION_CODES)),
  risk: z.object({
    reversibility: Reversibility,
    blastRadius: BlastRadius,
    environment: z.string(),
  }),
  operations: z.array(DecisionOperation),
  reasons: z.array(z.string()),
  rules: z.array(z.string()),
  approvals: z.optional(Approvals),
  digest: z.optional(z.string()),
  request: z.optional(RequestRef),
  /** What rules in shadow mode would have decided, when more restrictive than the decision: recorded, not enforced. */
  shadow: z.optional(
    z.object({ decision: Verdict, rules: z.array(z.string()), reasons: z.array(z.string()) }),
  ),
  /** The freeze in force for this change: its approvals were raised to the freeze's emergency approval. */
  freeze: z.optional(z.object({ name: z.string(), until: z.string(), reason: z.optional(z.string()) })),
});
export type Decision = z.infer<typeof Decision>;
