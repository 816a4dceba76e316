import type { IncomingMessage } from "node:http";
import { parseQuery } from "./sigv4.js";

/** A request as it came off the wire: the raw (still encoded) path and query, and every header value. */
export interface WireRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  /** Decoded query pairs, in order. */
  query: [string, string][];
  /** Lowercase names; each with its values in the order they came. */
  headers: Map<string, string[]>;
}

export type WireResult = { ok: true; request: WireRequest } | { ok: false; message: string };

export function wireRequest(req: IncomingMessage): WireResult {
  const target = req.url ?? "";
  if (!target.startsWith("/")) return { ok: false, message: "the request target must be a path" };
  const q = target.indexOf("?");
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? "" : target.slice(q + 1);
  const query = parseQuery(rawQuery);
  if (!query) return { ok: false, message: "the query string has a malformed percent-escape" };
  const headers = new Map<string, string[]>();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? "").toLowerCase();
    const list = headers.get(name) ?? [];
    list.push(raw[i + 1] ?? "");
    headers.set(name, list);
  }
  return { ok: true, request: { method: req.method ?? "GET", rawPath, rawQuery, query, headers } };
}

/** The one value of a header, or undefined when it is absent or repeated. */
export function header(request: WireRequest, name: string): string | undefined {
  const values = request.headers.get(name);
  return values && values.length === 1 ? values[0] : undefined;
}

/** The last value of a query parameter. */
export function queryValue(request: WireRequest, name: string): string | undefined {
  let found: string | undefined;
  for (const [k, v] of request.query) if (k === name) found = v;
  return found;
}
