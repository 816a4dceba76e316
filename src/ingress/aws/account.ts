import http from "node:http";
import https from "node:https";
import { modelsSignedAs } from "./models.js";
import { sha256Hex } from "./sigv4.js";
import { type CredentialSource, destinationOf, signOutgoing } from "./upstream.js";

/**
 * The upstream account airlock's credentials act in, asked of STS once (GetCallerIdentity needs no
 * permission), so every Action and audit entry names it. Undefined when STS cannot be reached; asked
 * again on the next call then.
 */
export function accountLookup(
  credentials: CredentialSource,
  endpoint: string | undefined,
): () => Promise<string | undefined> {
  let known: string | undefined;
  return async () => {
    if (known) return known;
    const entry = modelsSignedAs("sts")[0];
    if (!entry) return undefined;
    try {
      const body = Buffer.from("Action=GetCallerIdentity&Version=2011-06-15");
      const dest = destinationOf(entry, "sts", "us-east-1", endpoint);
      const headers = new Map([["content-type", ["application/x-www-form-urlencoded; charset=utf-8"]]]);
      const out = signOutgoing(
        { method: "POST", rawPath: "/", query: [], headers },
        dest,
        await credentials(),
        sha256Hex(body),
        body.length,
        Date.now(),
      );
      const text = await post(out.url, out.headers, body);
      known = /<Account>(\d{12})<\/Account>/.exec(text)?.[1];
    } catch {
      known = undefined;
    }
    return known;
  };
}

function post(url: string, headers: Record<string, string>, body: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = (u.protocol === "https:" ? https : http).request(
      u,
      { method: "POST", headers, timeout: 10_000 },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("STS did not answer")));
    req.on("error", reject);
    req.end(body);
  });
}
