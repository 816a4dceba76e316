import { randomBytes } from "node:crypto";
import type { ApprovalRequest } from "../approvals/request.js";
import type { AuditDraft, Change } from "../store/port.js";
import type { NotifyEventName } from "./config.js";
import { describeDraft, type RequestInfo, requestInfo } from "./summary.js";

/**
 * The generic webhook payload, version 1. `id` is the same on every retry of one notification (use it
 * to drop duplicates); `auditIndex` is the audit entry that recorded what happened.
 */
export interface NotifyEvent {
  version: 1;
  id: string;
  /** Stable dotted name: request.held, request.approved, breaker.tripped, paused, freeze.declared, … */
  type: string;
  /** The name webhooks subscribe to in airlock.yaml (`events: [hold, approved, …]`). */
  event: NotifyEventName;
  time: string;
  auditIndex: number;
  summary: string;
  request?: RequestInfo;
  /** Who did it, when a person or the clock did: an approver, an admin, `breaker:NAME`. */
  by?: string;
  comment?: string;
  /** The fields of the audit entry for events that are not about one request (trips, pauses, freezes). */
  details?: Record<string, unknown>;
}

/** Which audit entry types notify, under which name. `action` entries notify only when they open a request. */
const BY_AUDIT_TYPE: Record<string, { event: NotifyEventName; type: string }> = {
  "request.approved": { event: "approved", type: "request.approved" },
  "request.released": { event: "released", type: "request.released" },
  "request.denied": { event: "denied", type: "request.denied" },
  "request.used": { event: "used", type: "request.used" },
  "request.expired": { event: "expired", type: "request.expired" },
  "request.cancelled": { event: "cancelled", type: "request.cancelled" },
  "breaker.tripped": { event: "tripped", type: "breaker.tripped" },
  "breaker.reset": { event: "reset", type: "breaker.reset" },
  paused: { event: "paused", type: "paused" },
  resumed: { event: "resumed", type: "resumed" },
  "freeze.declared": { event: "freeze", type: "freeze.declared" },
  "freeze.lifted": { event: "freeze", type: "freeze.lifted" },
};

/**
 * The notifications a committed change makes: one per audit entry that people want to hear about.
 * Pure but for the random ids; `firstIndex` is the index the store gave the change's first entry.
 */
export function eventsOf(
  change: Change,
  firstIndex: number,
  requestUrl: (id: string) => string,
): NotifyEvent[] {
  const requests = [change.create, change.update].filter((r): r is ApprovalRequest => r !== undefined);
  const events: NotifyEvent[] = [];
  change.audit.forEach((draft, i) => {
    const kind = kindOf(draft, change);
    if (!kind) return;
    const requestId = draft.type === "action" ? change.create?.id : text(draft.requestId);
    const request = requests.find((r) => r.id === requestId);
    const info = request ? requestInfo(request, requestUrl(request.id)) : undefined;
    const by = text(draft.by);
    const comment = text(draft.comment);
    events.push({
      version: 1,
      id: `evt_${randomBytes(12).toString("base64url")}`,
      type: kind.type,
      event: kind.event,
      time: draft.time,
      auditIndex: firstIndex + i,
      summary: describeDraft(kind.event, draft, info),
      ...(info ? { request: info } : {}),
      ...(by !== undefined ? { by } : {}),
      ...(comment !== undefined ? { comment } : {}),
      ...(info ? {} : { details: detailsOf(draft) }),
    });
  });
  return events;
}

function kindOf(draft: AuditDraft, change: Change): { event: NotifyEventName; type: string } | undefined {
  if (draft.type !== "action") return BY_AUDIT_TYPE[draft.type];
  // A new request only: the same action sent again while it waits is the same hold, already announced.
  const decision = draft.decision as { decision?: unknown } | undefined;
  return change.create && decision?.decision === "hold" ? { event: "hold", type: "request.held" } : undefined;
}

function detailsOf(draft: AuditDraft): Record<string, unknown> {
  const { type: _type, time: _time, by: _by, comment: _comment, ...rest } = draft;
  return rest;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
