import {
  isRequest,
  type JSONRPCMessage,
  type Notification,
  paramsOf,
  type RequestId,
  type Response,
} from "./messages.js";
import type { Router } from "./router.js";
import type { ProxySession } from "./session.js";
import type { UpstreamLink } from "./upstream.js";

const LIST_CHANGED = new Set([
  "notifications/tools/list_changed",
  "notifications/prompts/list_changed",
  "notifications/resources/list_changed",
]);

/**
 * What the upstream servers send on their own: requests to the client (sampling, elicitation,
 * roots, ping) and notifications (progress, logging, list changes, resource updates). They pass
 * through unchanged, except that a request gets an id of the proxy's own (two upstreams may both
 * use id 1), and the client's answer goes back to the server that asked under the server's id.
 */
export class ServerMessages {
  readonly #session: ProxySession;
  readonly #router: Router;
  readonly #asked = new Map<number, { link: UpstreamLink; id: RequestId }>();
  #nextId = 1;

  constructor(session: ProxySession, router: Router) {
    this.#session = session;
    this.#router = router;
  }

  receive(link: UpstreamLink, message: JSONRPCMessage): void {
    if (isRequest(message)) {
      const id = this.#nextId++;
      this.#asked.set(id, { link, id: message.id });
      this.#session.send({ ...message, id }, this.#relatedTo(link));
      return;
    }
    const notification = message as Notification;
    const method = notification.method;
    if (method === "notifications/progress") {
      const token = paramsOf(notification).progressToken;
      this.#session.send(notification, this.#withToken(token) ?? this.#relatedTo(link));
      return;
    }
    if (method === "notifications/cancelled") {
      // The server gave up on one of its own requests to the client: name it by the id the client knows.
      const params = paramsOf(notification);
      const ours = this.#ourId(link, params.requestId as RequestId);
      if (ours === undefined) return;
      this.#asked.delete(ours);
      this.#session.send({ ...notification, params: { ...params, requestId: ours } });
      return;
    }
    if (method === "notifications/tools/list_changed") link.tools.clear();
    if (LIST_CHANGED.has(method)) this.#router.listChanged(link, method);
    this.#session.send(notification, this.#relatedTo(link));
  }

  /** The client answered a server's request: send the answer to that server under its own id. */
  answer(response: Response): void {
    const id = response.id;
    const asked = typeof id === "number" ? this.#asked.get(id) : undefined;
    if (asked === undefined) return;
    this.#asked.delete(id as number);
    asked.link.send({ ...response, id: asked.id });
  }

  #ourId(link: UpstreamLink, theirs: RequestId): number | undefined {
    for (const [ours, asked] of this.#asked) if (asked.link === link && asked.id === theirs) return ours;
    return undefined;
  }

  /** The client request that carried this progress token. */
  #withToken(token: unknown): RequestId | undefined {
    if (token === undefined) return undefined;
    for (const [id, entry] of this.#session.inflight) if (entry.progressToken === token) return id;
    return undefined;
  }

  /**
   * The client request this server message most likely belongs to: the latest one still open at that
   * server. A stdio client ignores it; over HTTP it puts the message on that request's stream, which
   * the client is reading, rather than on a session stream it may not have opened.
   */
  #relatedTo(link: UpstreamLink): RequestId | undefined {
    let related: RequestId | undefined;
    for (const [id, entry] of this.#session.inflight) if (entry.forwarded?.link === link) related = id;
    return related;
  }
}
