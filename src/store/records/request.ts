import * as z from "zod/mini";
import "../../action/zod.js";
import { Approvals, RequestStatus } from "../../action/decision.js";

export const Vote = z.object({
  by: z.string(),
  at: z.string(),
  /** The digest the voter saw; always the request's own, or the vote is refused. */
  digest: z.string(),
  comment: z.optional(z.string()),
});
export type Vote = z.infer<typeof Vote>;

/**
 * A held action waiting on people. Times are ISO-8601 UTC strings, so a stored request reads the same
 * in every store and in the API. `version` increases with every change and guards concurrent writers.
 */
export const ApprovalRequest = z.object({
  id: z.string(),
  version: z.int(),
  status: RequestStatus,
  digest: z.string(),
  /** The agent identity that submitted it, and the person it acts for: neither may approve. */
  agent: z.string(),
  onBehalfOf: z.optional(z.string()),
  intent: z.optional(z.string()),
  createdAt: z.string(),
  expiresAt: z.string(),
  requirement: Approvals,
  approvals: z.array(Vote),
  denials: z.array(Vote),
  /** Set once the required approvals are in: the last approval plus the mandatory wait. */
  releasableAt: z.optional(z.string()),
  closedAt: z.optional(z.string()),
  closedBy: z.optional(z.string()),
  /** The Action as the gate saw it, and the Decision that held it. */
  action: z.record(z.string(), z.unknown()),
  decision: z.record(z.string(), z.unknown()),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequest>;
