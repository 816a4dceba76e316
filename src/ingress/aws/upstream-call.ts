import http from "node:http";
import https from "node:https";
import { modelsSignedAs } from "./models.js";
import { sha256Hex } from "./sigv4.js";
import { type CredentialSource, destinationOf, signOutgoing } from "./upstream.js";

const DEFAULT_TIMEOUT_MS = 5000;

/** A call airlock makes upstream with its own credentials: previews, recovery points, the account's id. */
export interface UpstreamRequest {
  service: string;
  region: string;
  method: "GET" | "POST" | "HEAD" | "PUT";
  path?: string;
  query?: [string, string][];
  headers?: Record<string, string>;
  body?: Buffer;
  /** How long AWS may take to answer (default 5 s). */
  timeoutMs?: number;
}

/**
 * Sign `call` with airlock's credentials and send it to the service's endpoint (or the override);
 * resolves with AWS's answer as text. Rejects on a transport failure, a non-2xx answer (with AWS's
 * words) or after `timeoutMs`.
 */
export async function upstreamCall(
  credentials: CredentialSource,
  endpoint: string | undefined,
  call: UpstreamRequest,
): Promise<string> {
  const timeoutMs = call.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const entry = modelsSignedAs(call.service)[0];
  if (!entry) throw new Error(`no model for ${call.service}`);
  const body = call.body ?? Buffer.alloc(0);
  const dest = destinationOf(entry, call.service, call.region, endpoint);
  const headers = new Map(Object.entries(call.headers ?? {}).map(([k, v]) => [k.toLowerCase(), [v]]));
  const rawPath = (call.path ?? "/")
    .split("/")
    .map((s) => encodeURIComponent(s))
    .join("/");
  const out = signOutgoing(
    { method: call.method, rawPath, query: call.query ?? [], headers },
    dest,
    await credentials(),
    sha256Hex(body),
    call.method === "GET" || call.method === "HEAD" ? undefined : body.length,
    Date.now(),
  );
  const what = `${call.service} ${call.headers?.["x-amz-target"] ?? `${call.method} ${call.path ?? "/"}`}`;
  return new Promise((resolve, reject) => {
    const u = new URL(out.url);
    const req = (u.protocol === "https:" ? https : http).request(
      u,
      { method: call.method, headers: out.headers, timeout: timeoutMs },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => {
          const text = Buffer.concat(parts).toString("utf8");
          if ((res.statusCode ?? 500) >= 300)
            reject(new Error(`${what}: HTTP ${res.statusCode}: ${text.slice(0, 300)}`));
          else resolve(text);
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${what} did not answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** A query-protocol call (`Action=…&Param=…`; EC2, IAM, RDS, CloudFormation, STS…), answered as XML text. */
export function queryCall(
  credentials: CredentialSource,
  endpoint: string | undefined,
  call: {
    service: string;
    region: string;
    action: string;
    version: string;
    params?: Record<string, string>;
    timeoutMs?: number;
  },
): Promise<string> {
  const form = new URLSearchParams({ Action: call.action, Version: call.version, ...(call.params ?? {}) });
  return upstreamCall(credentials, endpoint, {
    service: call.service,
    region: call.region,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: Buffer.from(form.toString().replace(/\+/g, "%20")),
    ...(call.timeoutMs ? { timeoutMs: call.timeoutMs } : {}),
  });
}

/** A JSON-protocol call (DynamoDB, KMS…): `X-Amz-Target: prefix.Operation`, answered as parsed JSON. */
export async function jsonCall(
  credentials: CredentialSource,
  endpoint: string | undefined,
  call: {
    service: string;
    region: string;
    target: string;
    input: Record<string, unknown>;
    timeoutMs?: number;
  },
): Promise<Record<string, unknown>> {
  const text = await upstreamCall(credentials, endpoint, {
    service: call.service,
    region: call.region,
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": call.target },
    body: Buffer.from(JSON.stringify(call.input)),
    ...(call.timeoutMs ? { timeoutMs: call.timeoutMs } : {}),
  });
  return JSON.parse(text) as Record<string, unknown>;
}

/** The text of every `<tag>…</tag>`, entities decoded (AWS's query answers are flat enough for this). */
export function xmlValues(xml: string, tag: string): string[] {
  // Scanned with indexOf: a pattern built from the tag would backtrack on nested openings.
  const out: string[] = [];
  const open = `<${tag}>`;
  const close = `</${tag}>`;
  for (let at = xml.indexOf(open); at >= 0; ) {
    const end = xml.indexOf(close, at + open.length);
    if (end < 0) break;
    out.push(decodeXml(xml.slice(at + open.length, end)));
    at = xml.indexOf(open, end + close.length);
  }
  return out;
}

export function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, n: string) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&amp;/g, "&");
}
