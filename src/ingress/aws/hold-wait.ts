import type { Decision } from "../../action/decision.js";
import type { ApprovalService } from "../../approvals/service.js";

/** How often a held call kept open looks at its request. */
const POLL_MS = 250;

/**
 * `aws.holdWaitSeconds`: keep a held call's connection open while its request may still be released.
 * Once the approvals are in and the wait is over, the identical Action is submitted again (which the
 * gate then allows once) and that decision is returned. The hold itself comes back when the client
 * goes away or the time is up; `ended` with the words for the agent when the request was denied,
 * cancelled or expired meanwhile.
 */
export async function waitForRelease(
  service: ApprovalService,
  held: Decision,
  submitAgain: () => Promise<Decision>,
  options: { seconds: number; closed: () => boolean; now: () => number },
): Promise<Decision | { ended: string }> {
  const id = held.request?.id;
  if (!id) return held;
  const until = options.now() + options.seconds * 1000;
  for (;;) {
    if (options.closed()) return held;
    const r = await service.get(id);
    if (!r || (r.status !== "pending" && r.status !== "approved"))
      return {
        ended: `airlock held this call as request ${id}, which ended while the call waited (${r?.status ?? "gone"}${r?.closedBy ? ` by ${r.closedBy}` : ""}); nothing was forwarded`,
      };
    if (r.status === "approved" && (!r.releasableAt || Date.parse(r.releasableAt) <= options.now()))
      return submitAgain();
    if (options.now() >= until) return held;
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(POLL_MS, Math.max(0, until - options.now()))),
    );
  }
}
