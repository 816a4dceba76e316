import type { ApprovalService } from "../../approvals/service.js";

/** How often a held call kept open looks at its request. */
const POLL_MS = 250;

/**
 * `aws.holdWaitSeconds`: keep a held call's connection open while its request may still be released.
 * Resolves "released" once the approvals are in and the wait is over (the caller submits the identical
 * Action again, which the gate then allows once), "ended" when the request was denied, cancelled or
 * expired, "closed" when the client went away, and "timeout" after `seconds`.
 */
export async function waitForRelease(
  service: ApprovalService,
  requestId: string,
  seconds: number,
  closed: () => boolean,
  now: () => number,
): Promise<"released" | "ended" | "closed" | "timeout"> {
  const until = now() + seconds * 1000;
  for (;;) {
    if (closed()) return "closed";
    const r = await service.get(requestId);
    if (!r || (r.status !== "pending" && r.status !== "approved")) return "ended";
    if (r.status === "approved" && (!r.releasableAt || Date.parse(r.releasableAt) <= now()))
      return "released";
    if (now() >= until) return "timeout";
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, until - now()))));
  }
}
