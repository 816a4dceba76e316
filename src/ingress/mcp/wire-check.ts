import { type JSONRPCMessage, type RequestId, type Response, RPC } from "./messages.js";

/**
 * What a client's line is, checked before the proxy acts on it: a message to handle, or why not,
 * with the JSON-RPC error to answer when the line was meant as a request. The SDK's transport
 * dropped every line its schema refused, so the client waited forever for an answer.
 */
export type Checked = { message: JSONRPCMessage } | { refused: string; reply?: Response };

const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isId(value: unknown): value is RequestId {
  return typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}

export function refusal(id: RequestId | null, code: number, message: string): Response {
  return { jsonrpc: "2.0", id, error: { code, message } } as unknown as Response;
}

export function checkLine(text: string): Checked {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = `the message is not JSON (${(err as Error).message})`;
    return { refused: why, reply: refusal(null, PARSE_ERROR, `Parse error: ${why}`) };
  }
  return checkMessage(value);
}

export function checkMessage(value: unknown): Checked {
  if (!isObject(value)) {
    const why = Array.isArray(value)
      ? "JSON-RPC batches are not supported by MCP"
      : "a message must be a JSON object";
    return { refused: why, reply: refusal(null, INVALID_REQUEST, `Invalid Request: ${why}`) };
  }
  const hasId = "id" in value;
  const id = hasId && isId(value.id) ? value.id : null;
  // A notification, and an answer to one of the server's requests, get no answer, even a refusal.
  const responseLike = !("method" in value) && ("result" in value || "error" in value);
  const answered = !responseLike && (hasId || !("method" in value));
  const invalid = (why: string, code: number = INVALID_REQUEST): Checked =>
    answered ? { refused: why, reply: refusal(id, code, `Invalid Request: ${why}`) } : { refused: why };
  if (value.jsonrpc !== "2.0")
    return invalid(`"jsonrpc" must be "2.0", not ${JSON.stringify(value.jsonrpc)}`);
  if (hasId && !isId(value.id)) return invalid("the id must be a string or a number");
  if ("method" in value) {
    if (typeof value.method !== "string") return invalid("the method must be a string");
    if (value.params !== undefined && !isObject(value.params))
      return invalid("MCP's params are an object (by name), not an array or a value", RPC.invalidParams);
    return { message: value as unknown as JSONRPCMessage };
  }
  if (!responseLike)
    return invalid("a message needs a method (a request) or a result or an error (a response)");
  if (!hasId) return { refused: "a response without an id" };
  if (!("result" in value) && !isObject(value.error))
    return { refused: "an error response whose error is not an object" };
  return { message: value as unknown as JSONRPCMessage };
}
