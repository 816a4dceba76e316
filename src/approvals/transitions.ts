import type { Identity } from "./identity.js";
import { type ApprovalRequest, iso } from "./request.js";

/**
 * The request state machine, as pure functions of (request, who, now). Each returns the next request
 * and the audit event it is recorded by, or a refusal with a stable code. Nothing here reads a clock
 * or a store: the service passes `now` in and writes the result.
 *
 *   pending ──approvals + wait──► approved ──identical action──► used
 *      │ └──denials──► denied         │
 *      └──time──► expired ◄──time─────┘      admin: pending|approved ──► cancelled
 */

export type RefusalCode =
  | "wrong_role"
  | "four_eyes"
  | "not_in_group"
  | "already_voted"
  | "digest_mismatch"
  | "request_closed"
  | "expires_before_release";

export type Transition =
  | { ok: true; request: ApprovalRequest; event: TransitionEvent }
  | { ok: false; code: RefusalCode; message: string };

export interface TransitionEvent {
  type:
    | "request.approved"
    | "request.denied"
    | "request.released"
    | "request.used"
    | "request.expired"
    | "request.cancelled";
  requestId: string;
  digest: string;
  by?: string;
  comment?: string;
  /** For an approval: how many of how many, and when the wait ends once the count is reached. */
  count?: number;
  required?: number;
  releasableAt?: string;
}

function refuse(code: RefusalCode, message: string): Transition {
  return { ok: false, code, message };
}

function next(r: ApprovalRequest, changes: Partial<ApprovalRequest>): ApprovalRequest {
  return { ...r, ...changes, version: r.version + 1 };
}

/** Who may vote on this request at all: an approver, in a named group, who is neither the agent nor its person. */
function mayVote(r: ApprovalRequest, who: Identity, digest: string): Transition | undefined {
  if (who.role !== "approver") {
    return refuse("wrong_role", `${who.name} is ${who.role}, and only approvers vote on requests`);
  }
  if (who.name === r.agent || who.name === r.onBehalfOf) {
    return refuse(
      "four_eyes",
      `${who.name} cannot vote on this request: it was made by agent ${r.agent} acting for ${r.onBehalfOf ?? "nobody"}, and someone else must review it`,
    );
  }
  const groups = r.requirement.groups ?? [];
  if (groups.length > 0 && !who.groups.some((g) => groups.includes(g))) {
    return refuse(
      "not_in_group",
      `this request needs an approver from ${groups.join(" or ")}; ${who.name} is not in one`,
    );
  }
  if (digest !== r.digest) {
    return refuse(
      "digest_mismatch",
      `the vote is for action ${digest.slice(0, 12)}…, but this request holds ${r.digest.slice(0, 12)}…; reload the request and review what it holds now`,
    );
  }
  if (r.status !== "pending")
    return refuse("request_closed", `request ${r.id} is ${r.status}; it takes no more votes`);
  if ([...r.approvals, ...r.denials].some((v) => v.by === who.name)) {
    return refuse(
      "already_voted",
      `${who.name} has already voted on request ${r.id}; each person counts once`,
    );
  }
  return undefined;
}

export function approve(
  r: ApprovalRequest,
  who: Identity,
  digest: string,
  now: number,
  comment?: string,
): Transition {
  const refused = mayVote(r, who, digest);
  if (refused) return refused;
  const vote = { by: who.name, at: iso(now), digest, ...(comment ? { comment } : {}) };
  const approvals = [...r.approvals, vote];
  const complete = approvals.length >= r.requirement.required;
  const releasableAt = complete ? iso(now + r.requirement.delaySeconds * 1000) : undefined;
  // An approval whose wait would outlast the request could never release it: say so instead of recording it.
  if (releasableAt !== undefined && releasableAt >= r.expiresAt)
    return refuse(
      "expires_before_release",
      `the ${r.requirement.delaySeconds}-second wait after this approval would end at ${releasableAt}, after request ${r.id} expires at ${r.expiresAt}, so it could never be released; the agent must submit the action again`,
    );
  const request = next(r, { approvals, ...(releasableAt ? { releasableAt } : {}) });
  return {
    ok: true,
    request,
    event: {
      type: "request.approved",
      requestId: r.id,
      digest,
      by: who.name,
      ...(comment ? { comment } : {}),
      count: approvals.length,
      required: r.requirement.required,
      ...(releasableAt ? { releasableAt } : {}),
    },
  };
}

export function deny(
  r: ApprovalRequest,
  who: Identity,
  digest: string,
  now: number,
  comment?: string,
): Transition {
  const refused = mayVote(r, who, digest);
  if (refused) return refused;
  const vote = { by: who.name, at: iso(now), digest, ...(comment ? { comment } : {}) };
  const denials = [...r.denials, vote];
  const ended = denials.length >= (r.requirement.denials ?? 1);
  const request = next(r, {
    denials,
    ...(ended ? { status: "denied", closedAt: iso(now), closedBy: who.name } : {}),
  });
  return {
    ok: true,
    request,
    event: {
      type: "request.denied",
      requestId: r.id,
      digest,
      by: who.name,
      ...(comment ? { comment } : {}),
      count: denials.length,
      required: r.requirement.denials ?? 1,
    },
  };
}

export function cancel(r: ApprovalRequest, who: Identity, now: number, comment?: string): Transition {
  if (who.role !== "admin")
    return refuse("wrong_role", `${who.name} is ${who.role}; only an admin cancels requests`);
  if (r.status !== "pending" && r.status !== "approved") {
    return refuse("request_closed", `request ${r.id} is already ${r.status}`);
  }
  return {
    ok: true,
    request: next(r, { status: "cancelled", closedAt: iso(now), closedBy: who.name }),
    event: {
      type: "request.cancelled",
      requestId: r.id,
      digest: r.digest,
      by: who.name,
      ...(comment ? { comment } : {}),
    },
  };
}

/**
 * What the clock alone does to a request: a pending request whose approvals are in and whose wait is
 * over becomes approved; one past its expiry, approved or not, expires. Undefined when nothing changes.
 */
export function advance(r: ApprovalRequest, now: number): Transition | undefined {
  if (r.status !== "pending" && r.status !== "approved") return undefined;
  if (now >= Date.parse(r.expiresAt)) {
    return {
      ok: true,
      request: next(r, { status: "expired", closedAt: iso(now) }),
      event: { type: "request.expired", requestId: r.id, digest: r.digest },
    };
  }
  if (r.status === "pending" && r.releasableAt !== undefined && now >= Date.parse(r.releasableAt)) {
    return {
      ok: true,
      request: next(r, { status: "approved" }),
      event: { type: "request.released", requestId: r.id, digest: r.digest, releasableAt: r.releasableAt },
    };
  }
  return undefined;
}

/** The identical action came back after release: it runs once, and the request is spent. */
export function use(r: ApprovalRequest, digest: string, now: number): Transition {
  if (r.status !== "approved")
    return refuse("request_closed", `request ${r.id} is ${r.status}, not approved`);
  if (digest !== r.digest) return refuse("digest_mismatch", "a release is only for the identical action");
  return {
    ok: true,
    request: next(r, { status: "used", closedAt: iso(now) }),
    event: { type: "request.used", requestId: r.id, digest },
  };
}
