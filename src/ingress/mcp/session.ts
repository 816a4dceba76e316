import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { RequestWatcher } from "../../sdk/follow-hold.js";
import { AggregateRouter, type NamePrefix } from "./aggregate.js";
import type { Decider } from "./call-action.js";
import { ToolCallGate } from "./call-gate.js";
import {
  errorResponse,
  isErrorResponse,
  isNotification,
  isRequest,
  isResponse,
  type JSONRPCMessage,
  paramsOf,
  progressTokenOf,
  type Request,
  type RequestId,
  type Response,
  RPC,
  resultResponse,
} from "./messages.js";
import { PassThroughRouter } from "./pass-through.js";
import type { Relay, Router, ToolFilter, Transform } from "./router.js";
import { ServerMessages } from "./server-messages.js";
import type { UpstreamLink } from "./upstream.js";

export interface HoldOptions {
  watcher: RequestWatcher;
  /** How long a held call stays open waiting for its approval (`--wait`). */
  waitMs: number;
  intervalMs?: number;
}

export interface ProxyOptions {
  decider: Decider;
  /** How long a decision may take before the call is refused (default 30 s). */
  decideTimeoutMs?: number;
  /** With a server to ask: keep held calls open until decided, instead of answering at once. */
  hold?: HoldOptions;
  /** `--hide-denied`: leave tools the policy always denies out of tools/list. */
  toolFilter?: ToolFilter;
  /** With several upstreams: prefix every tool and prompt name, or only those that collide (default). */
  prefix?: NamePrefix;
}

/** A request from the client that has not been answered yet. */
export interface Inflight {
  progressToken?: string | number;
  cancelled: boolean;
  /** Aborted when the client cancels: stops a wait for approval. */
  abort?: AbortController;
  /** Where it was forwarded, so a cancellation can follow it. */
  forwarded?: { link: UpstreamLink; upstreamId: number };
}

/**
 * One client connection relayed to its upstream servers. Every message passes through as it is,
 * except tools/call, which is turned into an `mcp` Action and decided before it reaches a server.
 */
export class ProxySession implements Relay {
  readonly toolFilter?: ToolFilter;
  /** The session ended: `crash` says which upstream died and how, when that is why. */
  onEnd?: (crash?: string) => void;
  readonly inflight = new Map<RequestId, Inflight>();
  readonly #downstream: Transport;
  readonly #links: readonly UpstreamLink[];
  readonly #router: Router;
  readonly #gate: ToolCallGate;
  readonly #serverMessages: ServerMessages;
  #closing = false;

  constructor(downstream: Transport, links: readonly UpstreamLink[], options: ProxyOptions) {
    this.#downstream = downstream;
    this.#links = links;
    if (options.toolFilter) this.toolFilter = options.toolFilter;
    const [only] = links;
    if (only === undefined) throw new Error("the proxy needs at least one upstream server");
    this.#router =
      links.length === 1
        ? new PassThroughRouter(this, only)
        : new AggregateRouter(this, links, options.prefix ?? "auto");
    this.#gate = new ToolCallGate(this, this.#router, options);
    this.#serverMessages = new ServerMessages(this, this.#router);
    downstream.onmessage = (message) => this.#fromClient(message);
    downstream.onclose = () => void this.close();
    for (const link of links) {
      link.onServerMessage = (message) => this.#serverMessages.receive(link, message);
      link.onClosed = (why) => this.#upstreamClosed(link, why);
    }
  }

  async start(): Promise<void> {
    await Promise.all(this.#links.map((link) => link.start()));
    await this.#downstream.start();
  }

  #fromClient(message: JSONRPCMessage): void {
    if (isRequest(message)) {
      const token = progressTokenOf(message);
      this.inflight.set(
        message.id,
        token === undefined ? { cancelled: false } : { progressToken: token, cancelled: false },
      );
      if (message.method === "tools/call") this.#gate.handle(message);
      else this.#router.handle(message);
    } else if (isNotification(message)) {
      if (message.method === "notifications/cancelled") this.#cancel(paramsOf(message));
      else if (message.method.startsWith("notifications/")) this.#router.notify(message);
      // A request's method without an id (`tools/call` as a notification) would run on the server
      // unjudged and unanswered: it never leaves the proxy.
      else
        process.stderr.write(
          `airlock mcp: dropped a "${message.method}" sent as a notification (no id): it was not sent to the server; a call must be a request to be judged and answered\n`,
        );
    } else if (isResponse(message)) {
      this.#serverMessages.answer(message);
    }
  }

  forward(link: UpstreamLink, request: Request, transform?: Transform): void {
    const entry = this.inflight.get(request.id);
    if (entry === undefined || entry.cancelled) return;
    const upstreamId = link.forward(request, (response) => {
      if (!transform || isErrorResponse(response)) return this.respond(request.id, response);
      Promise.resolve(response.result as Record<string, unknown>)
        .then(transform)
        .then(
          (result) => this.respond(request.id, resultResponse(request.id, result)),
          (err: Error) =>
            this.respond(request.id, errorResponse(request.id, RPC.internalError, `airlock: ${err.message}`)),
        );
    });
    entry.forwarded = { link, upstreamId };
  }

  respond(id: RequestId, response: Response): void {
    const entry = this.inflight.get(id);
    // A cancelled request gets no answer, as the protocol asks.
    if (entry === undefined || entry.cancelled) return;
    this.inflight.delete(id);
    this.send(response.id === id ? response : { ...response, id });
  }

  /** Send to the client; over HTTP, `relatedTo` puts the message on that request's stream. */
  send(message: JSONRPCMessage, relatedTo?: RequestId): void {
    const options = relatedTo !== undefined ? { relatedRequestId: relatedTo } : undefined;
    this.#downstream.send(message, options).catch(() => {
      // The request's stream has closed: try the session's own stream, else the client is gone.
      if (relatedTo !== undefined) this.#downstream.send(message).catch(() => {});
    });
  }

  #cancel(params: Record<string, unknown>): void {
    const id = params.requestId as RequestId;
    const entry = this.inflight.get(id);
    if (entry === undefined) return;
    entry.cancelled = true;
    this.inflight.delete(id);
    entry.abort?.abort();
    const reason = typeof params.reason === "string" ? params.reason : undefined;
    if (entry.forwarded) entry.forwarded.link.cancel(entry.forwarded.upstreamId, reason);
  }

  #upstreamClosed(link: UpstreamLink, why: string): void {
    if (this.#closing) return;
    void this.close(`upstream MCP server "${link.name}" ${why}`);
  }

  /** End the session: stop every upstream and the client connection. */
  async close(crash?: string): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    await Promise.allSettled(this.#links.map((link) => link.close()));
    await this.#downstream.close().catch(() => {});
    this.onEnd?.(crash);
  }
}
