import http from "node:http";
import https from "node:https";
import { modelsSignedAs } from "./models.js";
import { sha256Hex } from "./sigv4.js";
import { type CredentialSource, destinationOf, signOutgoing } from "./upstream.js";

/**
 * A read airlock makes upstream with its own credentials (the account's id, an approver's preview): a
 * query-protocol call (`Action=…&Param=…`), answered as XML text. Rejects on a transport failure, a
 * non-2xx answer or after `timeoutMs`.
 */
export async function queryCall(
  credentials: CredentialSource,
  endpoint: string | undefined,
  call: { service: string; region: string; action: string; version: string; params?: Record<string, string> },
  timeoutMs = 5000,
): Promise<string> {
  const entry = modelsSignedAs(call.service)[0];
  if (!entry) throw new Error(`no model for ${call.service}`);
  const form = new URLSearchParams({ Action: call.action, Version: call.version, ...(call.params ?? {}) });
  const body = Buffer.from(form.toString().replace(/\+/g, "%20"));
  const dest = destinationOf(entry, call.service, call.region, endpoint);
  const headers = new Map([["content-type", ["application/x-www-form-urlencoded; charset=utf-8"]]]);
  const out = signOutgoing(
    { method: "POST", rawPath: "/", query: [], headers },
    dest,
    await credentials(),
    sha256Hex(body),
    body.length,
    Date.now(),
  );
  return new Promise((resolve, reject) => {
    const u = new URL(out.url);
    const req = (u.protocol === "https:" ? https : http).request(
      u,
      { method: "POST", headers: out.headers, timeout: timeoutMs },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => {
          const text = Buffer.concat(parts).toString("utf8");
          if ((res.statusCode ?? 500) >= 300)
            reject(
              new Error(`${call.service} ${call.action}: HTTP ${res.statusCode}: ${text.slice(0, 300)}`),
            );
          else resolve(text);
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () =>
      req.destroy(new Error(`${call.service} ${call.action} did not answer within ${timeoutMs} ms`)),
    );
    req.on("error", reject);
    req.end(body);
  });
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
