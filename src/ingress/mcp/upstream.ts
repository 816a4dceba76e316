import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  errorResponse,
  isErrorResponse,
  isResponse,
  type JSONRPCMessage,
  type Notification,
  type Request,
  type RequestId,
  type Response,
  RPC,
} from "./messages.js";
import { ToolCatalog } from "./tool-catalog.js";

type OnResponse = (response: Response) => void;

/**
 * One connection to one upstream MCP server. Requests sent through it get ids of the proxy's own
 * (a counter), so the client's ids, several upstreams' ids and the proxy's own requests never collide;
 * the answer is handed back to whoever sent the request, under its original id.
 */
export class UpstreamLink {
  readonly name: string;
  readonly transport: Transport;
  readonly tools: ToolCatalog;
  /** The environment the operator says this server acts on; it becomes the Actions' `context.environment`. */
  readonly environment?: string;
  /** What the server declared in its initialize answer. */
  capabilities: Record<string, unknown> = {};
  /** Requests and notifications the server sends on its own (sampling, progress, list changes). */
  onServerMessage?: (message: JSONRPCMessage) => void;
  /** The connection ended; `why` says how, for the person reading standard error. */
  onClosed?: (why: string) => void;
  readonly #pending = new Map<number, OnResponse>();
  #nextId = 1;
  #closed?: string;

  constructor(name: string, transport: Transport, environment?: string) {
    this.name = name;
    this.transport = transport;
    if (environment !== undefined) this.environment = environment;
    this.tools = new ToolCatalog(this);
    transport.onmessage = (message) => this.#receive(message);
    transport.onclose = () => this.#close(`closed the connection`);
    // Not fatal (a log line on a server's stdout, a dropped HTTP event stream), but worth seeing.
    transport.onerror = (err) =>
      process.stderr.write(`airlock mcp: upstream MCP server "${name}": ${err.message}\n`);
  }

  async start(): Promise<void> {
    await this.transport.start();
  }

  /** Send a request on the client's behalf; `onResponse` gets the answer with the upstream's id. */
  forward(request: Request, onResponse: OnResponse): number {
    const id = this.#nextId++;
    if (this.#closed !== undefined) {
      onResponse(this.#closedError(id));
      return id;
    }
    this.#pending.set(id, onResponse);
    this.transport.send({ ...request, id }).catch((err: Error) => {
      if (!this.#pending.delete(id)) return;
      onResponse(errorResponse(id, RPC.internalError, `upstream server "${this.name}": ${err.message}`));
    });
    return id;
  }

  /** A request of the proxy's own; resolves with the result, rejects with the error's message. */
  call(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const request: Request = { jsonrpc: "2.0", id: 0, method, ...(params ? { params } : {}) };
      this.forward(request, (response) => {
        if (isErrorResponse(response)) reject(new Error(response.error.message));
        else resolve(response.result as Record<string, unknown>);
      });
    });
  }

  /** Forward a notification or the client's answer to one of the server's requests. */
  send(message: Notification | Response): void {
    if (this.#closed !== undefined) return;
    this.transport.send(message).catch(() => {
      // The connection is gone; its close handler reports that once for every pending request.
    });
  }

  /** The client cancelled a forwarded request: tell the server, and stop waiting for the answer. */
  cancel(upstreamId: number, reason?: string): void {
    if (!this.#pending.delete(upstreamId)) return;
    this.send({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: upstreamId, ...(reason !== undefined ? { reason } : {}) },
    });
  }

  #receive(message: JSONRPCMessage): void {
    if (isResponse(message)) {
      const id = message.id as RequestId;
      const onResponse = typeof id === "number" ? this.#pending.get(id) : undefined;
      if (onResponse === undefined) return; // cancelled, or not ours
      this.#pending.delete(id as number);
      onResponse(message);
      return;
    }
    this.onServerMessage?.(message);
  }

  #closedError(id: number): Response {
    return errorResponse(
      id,
      RPC.connectionClosed,
      `upstream MCP server "${this.name}" ${this.#closed}; restart the proxy (airlock mcp) to reconnect`,
    );
  }

  #close(why: string): void {
    if (this.#closed !== undefined) return;
    const ending = (this.transport as { ending?: string }).ending;
    this.#closed = ending ?? why;
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const [id, onResponse] of pending) onResponse(this.#closedError(id));
    this.onClosed?.(this.#closed);
  }

  /** Close the connection; an HTTP upstream is asked to end its session rather than left to time it out. */
  async close(): Promise<void> {
    this.#closed ??= "was closed by the proxy";
    const http = this.transport as { terminateSession?: () => Promise<void> };
    if (this.transport.sessionId !== undefined && http.terminateSession)
      await http.terminateSession().catch(() => {});
    await this.transport.close();
  }
}
