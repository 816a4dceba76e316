import { withoutTrailing } from "../../action/text.js";
import type { ModelEntry } from "./models.js";
import {
  amzDate,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  credentialScope,
  isSignatureQuery,
  signHex,
  signingKey,
  stringToSign,
} from "./sigv4.js";

/** airlock's own AWS credentials: the standard chain of its process (or a role assumed from them). */
export interface RealCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
export type CredentialSource = () => Promise<RealCredentials>;

/** The standard credential chain (environment, shared config and profile, SSO, container or instance role). */
export async function standardChain(profile?: string): Promise<CredentialSource> {
  const { fromNodeProviderChain } = await import("@aws-sdk/credential-providers");
  const provider = fromNodeProviderChain(profile ? { profile } : {});
  return async () => {
    const c = await provider();
    return {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
    };
  };
}

export interface Destination {
  /** Origin only: `https://dynamodb.eu-west-1.amazonaws.com` or the `aws.endpoint` override. */
  origin: string;
  signingRegion: string;
  signingService: string;
}

/** Where a call goes: the override when configured, else the service's endpoint in the signed region. */
export function destinationOf(
  entry: ModelEntry,
  service: string,
  region: string,
  override?: string,
): Destination {
  if (override)
    return { origin: withoutTrailing(override, "/"), signingRegion: region, signingService: service };
  if (entry.globalEndpoint && entry.name !== "s3")
    return { origin: `https://${entry.globalEndpoint}`, signingRegion: "us-east-1", signingService: service };
  return {
    origin: `https://${entry.endpointPrefix}.${region}.amazonaws.com`,
    signingRegion: region,
    signingService: service,
  };
}

/** Headers a proxy never passes on, or that airlock sets itself when it signs again. */
const DROPPED = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "authorization",
  "expect",
  "content-length",
  "x-amz-date",
  "x-amz-security-token",
  "x-amz-content-sha256",
  "x-amz-decoded-content-length",
  "x-amz-trailer",
]);

export interface OutgoingRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
}

/**
 * The agent's request, signed again with the real credentials: the same method, path and parameters;
 * the agent's signature, date and token removed; `payloadHash` is the body's SHA-256 or, for a body
 * streamed through, UNSIGNED-PAYLOAD (which S3 accepts).
 */
export function signOutgoing(
  incoming: { method: string; rawPath: string; query: [string, string][]; headers: Map<string, string[]> },
  dest: Destination,
  creds: RealCredentials,
  payloadHash: string,
  contentLength: number | undefined,
  now: number,
): OutgoingRequest {
  const query = incoming.query.filter(([k]) => !isSignatureQuery(k));
  const headers = new Map<string, string[]>();
  for (const [name, values] of incoming.headers) {
    if (DROPPED.has(name)) continue;
    if (name === "content-encoding") {
      const kept = values
        .join(",")
        .split(",")
        .map((v) => v.trim())
        .filter((v) => v && v !== "aws-chunked");
      if (kept.length > 0) headers.set(name, [kept.join(",")]);
      continue;
    }
    headers.set(name, values);
  }
  const date = amzDate(now);
  headers.set("host", [new URL(dest.origin).host]);
  headers.set("x-amz-date", [date]);
  headers.set("x-amz-content-sha256", [payloadHash]);
  if (contentLength !== undefined) headers.set("content-length", [String(contentLength)]);
  if (creds.sessionToken) headers.set("x-amz-security-token", [creds.sessionToken]);
  const signed = [...headers.keys()].filter((n) => n !== "user-agent").sort();
  const q = canonicalQuery(query);
  const day = date.slice(0, 8);
  const canonical = canonicalRequest({
    method: incoming.method,
    uri: canonicalUri(incoming.rawPath, dest.signingService),
    query: q,
    headers,
    signedHeaders: signed,
    payloadHash,
  });
  const scope = credentialScope(day, dest.signingRegion, dest.signingService);
  const key = signingKey(creds.secretAccessKey, day, dest.signingRegion, dest.signingService);
  const signature = signHex(key, stringToSign(date, scope, canonical));
  const out: Record<string, string> = {};
  for (const [name, values] of headers) out[name] = values.join(",");
  out.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signed.join(";")}, Signature=${signature}`;
  return {
    url: `${dest.origin}${incoming.rawPath || "/"}${q ? `?${q}` : ""}`,
    method: incoming.method,
    headers: out,
  };
}
