import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Notification, Request, RequestId, Response } from "./messages.js";
import type { UpstreamLink } from "./upstream.js";

/** Where a tools/call goes: the upstream, and the tool's name there. */
export interface ToolTarget {
  link: UpstreamLink;
  tool: string;
}

/** Rewrites an upstream's result before the client sees it (the tools/list filter, merged listings). */
export type Transform = (
  result: Record<string, unknown>,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** Keeps from a server's tools/list only what the client should see (`--hide-denied`). */
export type ToolFilter = (link: UpstreamLink, tools: Tool[]) => Promise<Tool[]>;

/** What a router may ask of the session it routes for. */
export interface Relay {
  /** Send the client's request to one upstream; its answer goes back to the client under the client's id. */
  forward(link: UpstreamLink, request: Request, transform?: Transform): void;
  /** Answer the client's request from the proxy itself. */
  respond(id: RequestId, response: Response): void;
  readonly toolFilter?: ToolFilter;
}

/**
 * Decides where the client's messages go. With one upstream everything passes through unchanged
 * (pass-through.ts); with several, listings are merged and calls routed by name (aggregate.ts).
 * tools/call itself is handled by the session, which gates it, then forwards it to `resolveTool`'s answer.
 */
export interface Router {
  resolveTool(name: string): ToolTarget | undefined | Promise<ToolTarget | undefined>;
  /** Every request except tools/call. */
  handle(request: Request): void;
  /** The client's notifications, except cancellations (the session tracks those). */
  notify(notification: Notification): void;
  /** An upstream said its tools, prompts or resources changed. */
  listChanged(link: UpstreamLink, method: string): void;
}

/** Record an initialize answer on the link: HTTP transports send the negotiated version from then on. */
export function noteInitialized(link: UpstreamLink, result: Record<string, unknown>): void {
  if (typeof result.protocolVersion === "string") link.transport.setProtocolVersion?.(result.protocolVersion);
  link.capabilities = (result.capabilities as Record<string, unknown> | undefined) ?? {};
}

/** A tools/list result with the tools recorded in the link's catalog and, with a filter, some hidden. */
export async function recordTools(
  link: UpstreamLink,
  result: Record<string, unknown>,
  filter: ToolFilter | undefined,
): Promise<Record<string, unknown>> {
  link.tools.record(result.tools);
  if (!filter || !Array.isArray(result.tools)) return result;
  return { ...result, tools: await filter(link, result.tools as Tool[]) };
}
