import type { WireRequest } from "../wire.js";

/**
 * A query-protocol call with some parameters replaced (an RDS deletion made to keep a final snapshot):
 * the replaced names are taken out of the query string and the form, and the new values go into the
 * form body (the query, for a GET), which airlock signs again anyway.
 */
export function rewrittenForm(
  request: WireRequest,
  form: readonly [string, string][],
  replace: Record<string, string>,
): { request: WireRequest; body: Buffer } {
  const kept = (pairs: readonly [string, string][]) => pairs.filter(([k]) => !Object.hasOwn(replace, k));
  if (request.method !== "POST")
    return {
      request: { ...request, query: [...kept(request.query), ...Object.entries(replace)] },
      body: Buffer.alloc(0),
    };
  const pairs = [...kept(form), ...Object.entries(replace)];
  const body = Buffer.from(new URLSearchParams(pairs).toString().replace(/\+/g, "%20"));
  const headers = new Map(request.headers);
  headers.set("content-type", ["application/x-www-form-urlencoded; charset=utf-8"]);
  return { request: { ...request, query: kept(request.query), headers }, body };
}
