import { timingSafeEqual } from "node:crypto";
import type { SignatureClaim } from "./claim.js";
import { type AwsError, awsError } from "./errors.js";
import {
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  credentialScope,
  signHex,
  signingKey,
  stringToSign,
} from "./sigv4.js";
import type { WireRequest } from "./wire.js";

/** AWS's own window: a header-signed request is good for 15 minutes either side of the server's clock. */
export const CLOCK_SKEW_MS = 15 * 60 * 1000;

export type VerifyResult = { ok: true; key: Buffer } | { ok: false; error: AwsError };

/** The clock window: header signatures within 15 minutes, presigned URLs until they expire. */
export function checkClock(claim: SignatureClaim, now: number): AwsError | undefined {
  if (claim.mode === "header") {
    if (Math.abs(now - claim.time) > CLOCK_SKEW_MS)
      return awsError(
        "RequestTimeTooSkewed",
        `the request was signed at ${claim.amzDate}, more than 15 minutes from airlock's clock (${new Date(now).toISOString()}); sign it again`,
      );
    return undefined;
  }
  if (claim.time - now > CLOCK_SKEW_MS)
    return awsError("RequestExpired", `the URL was signed for ${claim.amzDate}, in the future`);
  if (now > claim.time + (claim.expires ?? 0) * 1000)
    return awsError("RequestExpired", `the presigned URL expired ${claim.expires} s after ${claim.amzDate}`);
  return undefined;
}

/** Headers a client may leave unsigned; every x-amz-* header must be signed. */
export function unsignedAmzHeader(request: WireRequest, claim: SignatureClaim): string | undefined {
  const signed = new Set(claim.signedHeaders);
  for (const name of request.headers.keys()) {
    if (name.startsWith("x-amz-") && !signed.has(name)) return name;
  }
  return undefined;
}

/**
 * Check the signature over the request as it came, with the payload hash the caller settled on
 * (the header's claim, UNSIGNED-PAYLOAD, or the hash of the body read). Returns the day's signing key,
 * which a chunked body's chunk signatures are checked with.
 */
export function verifySignature(
  request: WireRequest,
  claim: SignatureClaim,
  secret: string,
  payloadHash: string,
): VerifyResult {
  for (const name of claim.signedHeaders) {
    if (!request.headers.has(name))
      return { ok: false, error: awsError("SignatureDoesNotMatch", `the signed header ${name} is missing`) };
  }
  const pairs =
    claim.mode === "query" ? request.query.filter(([k]) => k !== "X-Amz-Signature") : request.query;
  const canonical = canonicalRequest({
    method: request.method,
    uri: canonicalUri(request.rawPath, claim.service),
    query: canonicalQuery(pairs),
    headers: request.headers,
    signedHeaders: claim.signedHeaders,
    payloadHash,
  });
  const scope = credentialScope(claim.date, claim.region, claim.service);
  const key = signingKey(secret, claim.date, claim.region, claim.service);
  const expected = Buffer.from(signHex(key, stringToSign(claim.amzDate, scope, canonical)), "hex");
  const given = Buffer.from(claim.signature, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      ok: false,
      error: awsError(
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key (from `airlock token create --aws`) and signing method.",
      ),
    };
  }
  return { ok: true, key };
}
