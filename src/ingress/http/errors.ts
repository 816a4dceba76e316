import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

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
  store_unavailable: 503,
};

export function apiError(c: Context, code: ApiErrorCode, message: string): Response {
  if (code === "unauthorized") c.header("WWW-Authenticate", 'Bearer realm="airlock"');
  return c.json({ error: { code, message } }, API_ERROR_STATUS[code]);
}
