import type { CredentialSource } from "./upstream.js";
import { queryCall, xmlValues } from "./upstream-call.js";

/**
 * The upstream account airlock's credentials act in, asked of STS once (GetCallerIdentity needs no
 * permission), so every Action and audit entry names it. Undefined when STS cannot be reached; asked
 * again on the next call then.
 */
export function accountLookup(
  credentials: CredentialSource,
  endpoint: string | undefined,
  timeoutMs?: number,
): () => Promise<string | undefined> {
  let known: string | undefined;
  return async () => {
    if (known) return known;
    try {
      const xml = await queryCall(credentials, endpoint, {
        service: "sts",
        region: "us-east-1",
        action: "GetCallerIdentity",
        version: "2011-06-15",
        ...(timeoutMs ? { timeoutMs } : {}),
      });
      known = xmlValues(xml, "Account").find((a) => /^\d{12}$/.test(a));
    } catch {
      known = undefined;
    }
    return known;
  };
}
