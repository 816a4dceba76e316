import { createHash, createHmac } from "node:crypto";

/**
 * Signature Version 4, the pieces both directions share: verifying what an agent signed with its
 * airlock key, and signing what airlock forwards with the real one. Built from AWS's specification
 * (the canonical request, the string to sign, the derived key); the real clients are the test.
 */

export const ALGORITHM = "AWS4-HMAC-SHA256";
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
export const STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
export const STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
export const STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
export const EMPTY_SHA256 = sha256Hex("");

/** Query parameters of a presigned URL's signature (any case: signers hoist headers in lowercase). */
const SIGNATURE_QUERY = new Set([
  "x-amz-algorithm",
  "x-amz-credential",
  "x-amz-date",
  "x-amz-expires",
  "x-amz-signedheaders",
  "x-amz-signature",
  "x-amz-security-token",
  "x-amz-content-sha256",
]);
export function isSignatureQuery(name: string): boolean {
  return SIGNATURE_QUERY.has(name.toLowerCase());
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

export function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** RFC 3986 percent-encoding of everything but the unreserved characters, as SigV4 asks. */
export function uriEncode(text: string, keepSlash = false): string {
  const encoded = encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return keepSlash ? encoded.replace(/%2F/g, "/") : encoded;
}

/** S3 signs the path exactly as sent; every other service signs it normalised and encoded once more. */
export function isS3Family(service: string): boolean {
  return service === "s3" || service.startsWith("s3-") || service === "s3express";
}

/** The canonical URI of a raw (still encoded) request path. */
export function canonicalUri(rawPath: string, service: string): string {
  const path = rawPath === "" ? "/" : rawPath;
  if (isS3Family(service)) return path;
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const normalised = `/${segments.join("/")}${segments.length > 0 && path.endsWith("/") ? "/" : ""}`;
  return uriEncode(normalised, true);
}

/** Decode a raw query string into pairs, in order; a malformed escape makes the whole query invalid. */
export function parseQuery(rawQuery: string): [string, string][] | undefined {
  if (rawQuery === "") return [];
  const pairs: [string, string][] = [];
  try {
    for (const part of rawQuery.split("&")) {
      if (part === "") continue;
      const eq = part.indexOf("=");
      const key = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? "" : part.slice(eq + 1);
      pairs.push([decodeURIComponent(key), decodeURIComponent(value)]);
    }
  } catch {
    return undefined;
  }
  return pairs;
}

export function canonicalQuery(pairs: readonly [string, string][]): string {
  return pairs
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

/** Header values as SigV4 sees them: trimmed, inner runs of spaces squeezed, repeats joined by commas. */
export function canonicalHeaderValue(values: readonly string[]): string {
  return values.map((v) => v.trim().replace(/\s+/g, " ")).join(",");
}

export interface CanonicalParts {
  method: string;
  uri: string;
  query: string;
  /** Lowercase names, sorted, each with its values in the order they came. */
  headers: ReadonlyMap<string, readonly string[]>;
  signedHeaders: readonly string[];
  payloadHash: string;
}

export function canonicalRequest(p: CanonicalParts): string {
  const lines = p.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(p.headers.get(name) ?? [])}\n`);
  return [p.method, p.uri, p.query, lines.join(""), p.signedHeaders.join(";"), p.payloadHash].join("\n");
}

export function credentialScope(date: string, region: string, service: string): string {
  return `${date}/${region}/${service}/aws4_request`;
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join("\n");
}

/**
 * Derived keys already computed: every call verifies one (the agent's) and makes one (airlock's), and
 * both change only with the day, region and service. Emptied when full, so it cannot grow without bound.
 */
const derived = new Map<string, Buffer>();
const DERIVED_MAX = 1024;

/** The derived key for one day, region and service. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  // Date, region and service come from a scope split on "/", so none holds one: the secret, last, is
  // unambiguous.
  const id = `${date}/${region}/${service}/${secret}`;
  const known = derived.get(id);
  if (known) return known;
  const kDate = hmac(`AWS4${secret}`, date);
  const key = hmac(hmac(hmac(kDate, region), service), "aws4_request");
  if (derived.size >= DERIVED_MAX) derived.clear();
  derived.set(id, key);
  return key;
}

export function signHex(key: Buffer, text: string): string {
  return createHmac("sha256", key).update(text, "utf8").digest("hex");
}

/** YYYYMMDD'T'HHMMSS'Z' */
export function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** The time an X-Amz-Date names, or NaN. */
export function parseAmzDate(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return Number.NaN;
  return Date.UTC(+(m[1] ?? 0), +(m[2] ?? 1) - 1, +(m[3] ?? 0), +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
}
