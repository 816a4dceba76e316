import { setTimeout as sleep } from "node:timers/promises";
import type { Decision } from "../../action/decision.js";
import type { RequestResult } from "../../sdk/client.js";

/** Where the proxy reads a held request's status: `AirlockClient` from src/sdk/client.ts fits. */
export interface RequestWatcher {
  request(id: string): Promise<RequestResult>;
}

export interface HoldWaitOptions {
  /** How long to keep the call open before answering with the hold. */
  waitMs: number;
  /** How often to look at the request. */
  intervalMs: number;
  watcher: RequestWatcher;
  /** Submits the identical Action again once the request is no longer pending. */
  resubmit: () => Promise<Decision>;
  /** Aborted when the client cancels the call. */
  signal: AbortSignal;
  /** Called before each look, while the call is open (the proxy turns it into a progress notification). */
  onProgress?: (step: number, message: string) => void;
}

function statusLine(
  request: NonNullable<Decision["request"]>,
  status: string,
  releasableAt?: string,
): string {
  const release = releasableAt ? `; it can be released at ${releasableAt}` : "";
  return `airlock is waiting for approval of request ${request.id} (${status}${release}); approve at ${request.url}`;
}

/**
 * Keep a held call open until its request is decided. When the request leaves `pending` (and any
 * mandatory wait after approval has passed), the identical Action is submitted again: an approved
 * request gives a one-time allow, a refused one a deny, and anything else a new hold that is followed
 * the same way. Returns the last Decision: allow to forward, deny, or hold when time ran out.
 */
export async function waitForRelease(held: Decision, options: HoldWaitOptions): Promise<Decision> {
  const deadline = Date.now() + options.waitMs;
  let current = held;
  let step = 0;
  let status: string = held.request?.status ?? "pending";
  let releasableAt: string | undefined = held.request?.releasableAt;
  while (current.decision === "hold" && current.request && !options.signal.aborted) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    options.onProgress?.(++step, statusLine(current.request, status, releasableAt));
    try {
      await sleep(Math.min(options.intervalMs, remaining), undefined, { signal: options.signal });
    } catch {
      break; // cancelled by the client
    }
    const view = await options.watcher.request(current.request.id);
    // An unreachable server or an unreadable request leaves the call held: it is never forwarded on error.
    if (!view.ok) continue;
    status = view.request.status;
    releasableAt = view.request.releasableAt;
    if (status === "pending") continue;
    if (status === "approved" && releasableAt !== undefined && Date.parse(releasableAt) > Date.now())
      continue;
    current = await options.resubmit();
    status = current.request?.status ?? status;
    releasableAt = current.request?.releasableAt;
  }
  return current;
}
