import type {
  JSONRPCErrorResponse,
  JSONRPCMessage,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResultResponse,
  RequestId,
} from "@modelcontextprotocol/sdk/types.js";

/**
 * Structural tests for JSON-RPC messages. The transports have already validated every message
 * against the SDK's schemas; re-validating with zod on each hop would only add latency to every call.
 */

export type { JSONRPCMessage, RequestId };
export type Request = JSONRPCRequest;
export type Notification = JSONRPCNotification;
export type Response = JSONRPCResultResponse | JSONRPCErrorResponse;

export function isRequest(m: JSONRPCMessage): m is Request {
  return "method" in m && "id" in m;
}

export function isNotification(m: JSONRPCMessage): m is Notification {
  return "method" in m && !("id" in m);
}

export function isResponse(m: JSONRPCMessage): m is Response {
  return !("method" in m) && ("result" in m || "error" in m);
}

export function isErrorResponse(m: Response): m is JSONRPCErrorResponse {
  return "error" in m;
}

/** JSON-RPC and MCP error codes the proxy answers with. */
export const RPC = {
  /** The SDK's code for a connection that closed with the request still open. */
  connectionClosed: -32000,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
} as const;

export function errorResponse(id: RequestId, code: number, message: string): JSONRPCErrorResponse {
  return { jsonrpc: "2.0", id, error: { code, message } };
}

export function resultResponse(id: RequestId, result: Record<string, unknown>): JSONRPCResultResponse {
  return { jsonrpc: "2.0", id, result };
}

/** A request's params as a plain record (absent params read as empty). */
export function paramsOf(m: Request | Notification): Record<string, unknown> {
  const p = m.params;
  return p !== null && typeof p === "object" ? (p as Record<string, unknown>) : {};
}

/** The progress token the client attached to a request, if any. */
export function progressTokenOf(m: Request): string | number | undefined {
  const meta = paramsOf(m)._meta as { progressToken?: unknown } | undefined;
  const token = meta?.progressToken;
  return typeof token === "string" || typeof token === "number" ? token : undefined;
}
