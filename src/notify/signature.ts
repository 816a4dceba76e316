import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Webhook signatures, scheme v1: HMAC-SHA256, keyed with the webhook's secret, over
 * `timestamp + "." + body`, where timestamp is the `X-Airlock-Timestamp` header (Unix seconds) and
 * body the exact bytes received. Sent as `X-Airlock-Signature: v1=<hex>`. The timestamp is signed so
 * that a captured request cannot be replayed later; receivers reject ones outside the window.
 */

/** How far a receiver accepts a timestamp from its own clock, either way. */
export const REPLAY_WINDOW_SECONDS = 300;

export function signatureOf(secret: string, timestamp: string, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** The headers of one delivery attempt (each attempt is signed afresh, with its own timestamp). */
export function signedHeaders(secret: string | undefined, eventId: string, body: string, nowMs: number) {
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    "content-type": "application/json",
    "user-agent": "airlock-notify/1",
    "x-airlock-event-id": eventId,
    "x-airlock-timestamp": timestamp,
    ...(secret !== undefined ? { "x-airlock-signature": `v1=${signatureOf(secret, timestamp, body)}` } : {}),
  };
}

export type Verification = { ok: true } | { ok: false; reason: string };

/**
 * For receivers: is this request from airlock, unchanged, and recent? `header` is the whole
 * X-Airlock-Signature value (it may list several `v1=` signatures, comma-separated, while a secret is
 * being rotated), `body` the raw body as received (not re-serialized JSON), `nowMs` the receiver's clock.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | undefined,
  body: string,
  header: string | undefined,
  nowMs: number,
  windowSeconds: number = REPLAY_WINDOW_SECONDS,
): Verification {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: "X-Airlock-Timestamp is missing or not Unix seconds" };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > windowSeconds)
    return {
      ok: false,
      reason: `the timestamp is more than ${windowSeconds} seconds from now: a replay, or a clock off`,
    };
  const given = (header ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.startsWith("v1="))
    .map((part) => Buffer.from(part.slice(3), "hex"));
  if (given.length === 0) return { ok: false, reason: "X-Airlock-Signature has no v1= signature" };
  const expected = Buffer.from(signatureOf(secret, timestamp, body), "hex");
  const match = given.some((sig) => sig.length === expected.length && timingSafeEqual(sig, expected));
  return match ? { ok: true } : { ok: false, reason: "the signature does not match the body and timestamp" };
}
