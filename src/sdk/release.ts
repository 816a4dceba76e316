import type { Decision, RequestStatus } from "../action/decision.js";
import { failClosed } from "../gate/fail-closed.js";
import type { AirlockClient } from "./client.js";

export interface FollowOptions {
  /** How long to wait for the approvals and the mandatory delay; 0 answers the hold at once. */
  waitSeconds: number;
  /** Between two looks at the pending request (default 1000 ms). */
  pollMs?: number;
}

/** Why a request that left `pending` will never release this action. */
const NEVER: Partial<Record<RequestStatus, string>> = {
  denied: "an approver refused it",
  expired: "its approval request expired",
  cancelled: "its approval request was cancelled",
  used: "its one approved run was already used",
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Follow a hold from `airlock serve` for up to `waitSeconds`: once the request is approved and its
 * delay is over, submit the identical Action again, which the server answers with its one-time
 * `released` allow. A request that is refused, expires or is cancelled meanwhile is a deny that says
 * not to retry. When time runs out first, the hold is answered as it stands.
 */
export async function followHold(
  client: AirlockClient,
  action: unknown,
  held: Decision,
  options: FollowOptions,
): Promise<Decision> {
  const request = held.request;
  if (held.decision !== "hold" || !request || !(options.waitSeconds > 0)) return held;
  const deadline = Date.now() + options.waitSeconds * 1000;
  const seen = await client.waitForDecision(request.id, {
    timeoutMs: options.waitSeconds * 1000,
    intervalMs: options.pollMs ?? 1000,
  });
  if (!seen.ok) return held;
  const { status, releasableAt } = seen.request;
  const never = NEVER[status];
  if (never)
    return failClosed(
      action,
      "request_closed",
      `airlock will not run this action: ${never} (request ${request.id}). Do not retry it; tell the user.`,
      held.digest,
    );
  if (status !== "approved") return held;
  const releasable = releasableAt ? Date.parse(releasableAt) : Date.now();
  if (releasable > deadline)
    return { ...held, request: { ...request, status, ...(releasableAt ? { releasableAt } : {}) } };
  await sleep(releasable - Date.now());
  return client.submit(action);
}
