import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { REFUSAL_WINDOW_MS, REFUSALS_PER_WINDOW } from "../../approvals/refusal-throttle.js";

/** Stable codes for errors over HTTP: a separate family from decision codes, as the style guide asks. */
export type ApiErrorCode =
  | "unauthorized"
  | "wrong_role"
  | "four_eyes"
  | "not_in_group"
  | "already_voted"
  | "digest_mismatch"
  | "request_closed"
  | "expires_before_release"
  | "not_found"
  | "invalid_json"
  | "invalid_body"
  | "unsupported_media_type"
  | "body_too_large"
  | "rate_limited"
  | "store_unavailable";

export const API_ERROR_STATUS: Record<ApiErrorCode, ContentfulStatusCode> = {
  unauthorized: 401,
  wrong_role: 403,
  four_eyes: 403,
  not_in_group: 403,
  already_voted: 409,
  digest_mismatch: 409,
  request_closed: 409,
  expires_before_release: 409,
  not_found: 404,
  invalid_json: 400,
  invalid_body: 400,
  unsupported_media_type: 415,
  body_too_large: 413,
  rate_limited: 429,
  store_unavailable: 503,
};

export function apiError(c: Context, code: ApiErrorCode, message: string): Response {
  if (code === "unauthorized") c.header("WWW-Authenticate", 'Bearer realm="airlock"');
  return c.json({ error: { code, message } }, API_ERROR_STATUS[code]);
}

/** Too many refused calls from this caller: nothing was looked at or recorded, only counted. */
export function rateLimited(c: Context): Response {
  c.header("Retry-After", String(REFUSAL_WINDOW_MS / 1000));
  return apiError(
    c,
    "rate_limited",
    `over ${REFUSALS_PER_WINDOW} refused calls a minute from this caller; retry after a minute (calls with a valid token are never limited here)`,
  );
}

/** The network address a call came from: the key of its refusal budget when it has no valid token. */
export function sourceOf(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}
