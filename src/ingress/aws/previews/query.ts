import { queryCall } from "../upstream-call.js";
import { parseXml, type XmlNode } from "../xml.js";
import type { PreviewContext } from "./registry.js";

/** One query-protocol API a preview reads: the service, its API version and, for a global one (IAM), its region. */
export interface QueryApi {
  service: string;
  version: string;
  /** The context's region unless given. */
  region?: string;
}

export type QueryRead = (action: string, params?: Record<string, string>) => Promise<string>;

/**
 * The calls a preview makes to one query API, signed with airlock's own credentials within the
 * context's timeout, answered as AWS's text. A non-2xx answer or a timeout rejects; `previewOf`
 * turns that into the preview's `error`.
 */
export function queryApi(ctx: PreviewContext, api: QueryApi): QueryRead {
  return (action, params = {}) =>
    queryCall(ctx.credentials, ctx.endpoint, {
      timeoutMs: ctx.timeoutMs,
      service: api.service,
      region: api.region ?? ctx.region,
      action,
      version: api.version,
      params,
    });
}

/** The same calls, answered as parsed XML (what most previews read). */
export function queryApiXml(
  ctx: PreviewContext,
  api: QueryApi,
): (...call: Parameters<QueryRead>) => Promise<XmlNode> {
  const read = queryApi(ctx, api);
  return async (action, params) => parseXml(await read(action, params));
}
