import type { Decision } from "../../action/decision.js";
import { failClosed } from "../../gate/fail-closed.js";
import { followHold } from "../../sdk/follow-hold.js";
import { callAction, decideAction } from "./call-action.js";
import { errorResponse, paramsOf, type Request, RPC, resultResponse } from "./messages.js";
import type { Router } from "./router.js";
import type { Inflight, ProxyOptions, ProxySession } from "./session.js";
import { deniedResult, heldResult } from "./verdict-results.js";

const DEFAULT_DECIDE_TIMEOUT_MS = 30_000;
const DEFAULT_POLL_MS = 2_000;

/**
 * The one place a tools/call is stopped: it becomes an `mcp` Action, is decided, and only an allow
 * reaches the server. A deny or a hold is answered by the proxy with an isError tool result; any
 * fault on the way is a deny too (fail closed), never a forwarded call.
 */
export class ToolCallGate {
  readonly #session: ProxySession;
  readonly #router: Router;
  readonly #options: ProxyOptions;
  readonly #timeoutMs: number;

  constructor(session: ProxySession, router: Router, options: ProxyOptions) {
    this.#session = session;
    this.#router = router;
    this.#options = options;
    this.#timeoutMs = options.decideTimeoutMs ?? DEFAULT_DECIDE_TIMEOUT_MS;
  }

  handle(request: Request): void {
    this.#gate(request).catch((err: Error) => {
      const decision = failClosed(
        undefined,
        "analysis_error",
        `airlock failed while handling this call (${err.message}), so it was not sent; retry it, and report it if it persists.`,
      );
      this.#session.respond(request.id, resultResponse(request.id, deniedResult("this tool", decision)));
    });
  }

  async #gate(request: Request): Promise<void> {
    const session = this.#session;
    const entry = session.inflight.get(request.id);
    if (entry === undefined) return;
    const params = paramsOf(request);
    const name = typeof params.name === "string" ? params.name : "";
    const target = await this.#router.resolveTool(name);
    if (target === undefined) {
      session.respond(request.id, errorResponse(request.id, RPC.invalidParams, `Unknown tool: ${name}`));
      return;
    }
    const { link, tool } = target;
    const declared = link.tools.get(tool) ?? (await link.tools.lookup(tool));
    const action = callAction(
      { server: link.name, tool, arguments: params.arguments, annotations: declared?.annotations },
      link.environment,
    );
    const started = Date.now();
    let decision = await decideAction(action, this.#options.decider, this.#timeoutMs);
    if (decision.decision === "hold" && decision.request && this.#options.hold && !entry.cancelled) {
      decision = await this.#waitForRelease(request, entry, action, decision);
    }
    if (entry.cancelled) return;
    if (decision.decision === "allow") {
      session.forward(link, tool === name ? request : { ...request, params: { ...params, name: tool } });
      return;
    }
    const label = `${link.name}/${tool}`;
    const waited =
      this.#options.hold && decision.request ? Math.round((Date.now() - started) / 1000) : undefined;
    const result =
      decision.decision === "deny" ? deniedResult(label, decision) : heldResult(label, decision, waited);
    session.respond(request.id, resultResponse(request.id, result));
  }

  /** Keep the call open (`--wait`), with progress notifications when the client asked for them. */
  #waitForRelease(request: Request, entry: Inflight, action: unknown, held: Decision): Promise<Decision> {
    const hold = this.#options.hold;
    if (hold === undefined) return Promise.resolve(held);
    entry.abort = new AbortController();
    const token = entry.progressToken;
    return followHold(action, held, {
      waitMs: hold.waitMs,
      intervalMs: hold.intervalMs ?? DEFAULT_POLL_MS,
      watcher: hold.watcher,
      resubmit: () => decideAction(action, this.#options.decider, this.#timeoutMs),
      signal: entry.abort.signal,
      onProgress:
        token === undefined
          ? undefined
          : (step, message) =>
              this.#session.send(
                {
                  jsonrpc: "2.0",
                  method: "notifications/progress",
                  params: { progressToken: token, progress: step, message },
                },
                request.id,
              ),
    });
  }
}
