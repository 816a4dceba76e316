import { setTimeout as sleep } from "node:timers/promises";
import type { Decision, RequestStatus } from "../action/decision.js";
import { failClosed } from "../gate/fail-closed.js";
import type { RequestResult } from "./client.js";

/**
 * The one way every integration follows a hold from `airlock serve` (the SDK's guards, the hooks in
 * connected mode, the MCP proxy's `--wait`): poll the request until it is decided; once it is
 * approved and its mandatory wait is over, submit the identical Action again, which the server
 * answers with its one-time `released` allow. A request that is refused, expires, is cancelled or
 * whose one run was used meanwhile is a deny that says not to retry (code `request_closed`). When
 * time runs out first, the hold is answered as it stands. An unreachable server or an unreadable
 * request leaves the action held: nothing is ever run on an error.
 */
export interface FollowOptions {
  /** How long to wait for the approvals and the mandatory delay; 0 answers the hold at once. */
  waitMs: number;
  /** Between two looks at the pending request (default 1000 ms). */
  intervalMs?: number;
  /** Where the request's status is read: an `AirlockClient`. */
  watcher: { request(id: string): Promise<RequestResult> };
  /** Submits the identical Action again. */
  resubmit: () => Promise<Decision>;
  /** Aborted when the caller gives up (an MCP client cancelling the call). */
  signal?: AbortSignal;
  /** Called before each look (the MCP proxy turns it into a progress notification). */
  onProgress?: (step: number, message: string) => void;
}

/** Where a held request's status is read: an `AirlockClient` fits. */
export type RequestWatcher = FollowOptions["watcher"];

/** Why a request that left `pending` will never release this action. */
const NEVER: Partial<Record<RequestStatus, string>> = {
  denied: "an approver refused it",
  expired: "its approval request expired",
  cancelled: "its approval request was cancelled",
  used: "its one approved run was already used",
};

function statusLine(
  request: NonNullable<Decision["request"]>,
  status: string,
  releasableAt?: string,
): string {
  const release = releasableAt ? `; it can be released at ${releasableAt}` : "";
  return `airlock is waiting for approval of request ${request.id} (${status}${release}); approve at ${request.url}`;
}

export async function followHold(action: unknown, held: Decision, options: FollowOptions): Promise<Decision> {
  const request = held.request;
  if (held.decision !== "hold" || !request || !(options.waitMs > 0)) return held;
  const deadline = Date.now() + options.waitMs;
  let status: RequestStatus = request.status;
  let releasableAt = request.releasableAt;
  for (let step = 1; !options.signal?.aborted; step++) {
    const never = NEVER[status];
    if (never)
      return failClosed(
        action,
        "request_closed",
        `airlock will not run this action: ${never} (request ${request.id}). Do not retry it; tell the user.`,
        held.digest,
      );
    const releasable =
      status === "approved" ? (releasableAt ? Date.parse(releasableAt) : Date.now()) : undefined;
    if (releasable !== undefined && releasable <= Date.now()) return options.resubmit();
    const remaining = deadline - Date.now();
    if (remaining <= 0 || (releasable !== undefined && releasable > deadline)) break;
    options.onProgress?.(step, statusLine(request, status, releasableAt));
    const pause = releasable !== undefined ? releasable - Date.now() : (options.intervalMs ?? 1000);
    try {
      await sleep(Math.max(0, Math.min(pause, remaining)), undefined, { signal: options.signal });
    } catch {
      break; // cancelled by the caller
    }
    if (releasable !== undefined) continue;
    const view = await options.watcher.request(request.id);
    if (!view.ok) continue;
    status = view.request.status;
    releasableAt = view.request.releasableAt;
  }
  return { ...held, request: { ...request, status, ...(releasableAt ? { releasableAt } : {}) } };
}
