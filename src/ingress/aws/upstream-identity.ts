import type { Identity } from "../../approvals/identity.js";
import { compileGlobs } from "../../policy/glob.js";
import { accountLookup } from "./account.js";
import type { AwsAccount } from "./config.js";
import { type CredentialSource, type RealCredentials, standardChain } from "./upstream.js";
import { queryCall } from "./upstream-call.js";
import { parseXml, textAt } from "./xml.js";

/** Who airlock is upstream for one agent: the credentials it signs with, their account, and the role. */
export interface UpstreamIdentity {
  credentials: CredentialSource;
  account: () => Promise<string | undefined>;
  /** The role assumed for this agent, or the profile's name; undefined for airlock's own credentials. */
  role?: string;
}

/** Assume again this long before the credentials end. */
const REFRESH_MS = 5 * 60 * 1000;

/**
 * `aws.accounts`: the first entry naming the agent serves it (its profile, or a role assumed with STS
 * from the profile's or airlock's own credentials); an agent no entry names gets airlock's own.
 */
export async function upstreamIdentities(
  accounts: readonly AwsAccount[],
  own: UpstreamIdentity,
  endpoint: string | undefined,
  timeoutMs: number,
  profileChain: (profile: string) => Promise<CredentialSource> = standardChain,
): Promise<(agent: Identity) => UpstreamIdentity> {
  const served = await Promise.all(
    accounts.map(async (a) => {
      const base = a.profile ? await profileChain(a.profile) : own.credentials;
      const credentials = a.roleArn ? assumedRole(base, endpoint, a, timeoutMs) : base;
      const identity: UpstreamIdentity = {
        credentials,
        account: accountLookup(credentials, endpoint, timeoutMs),
        role: a.roleArn ?? `profile ${a.profile}`,
      };
      return { matches: compileGlobs(a.agents) ?? (() => false), identity };
    }),
  );
  return (agent) => served.find((s) => s.matches(agent.name))?.identity ?? own;
}

/** A role assumed with STS AssumeRole, kept until shortly before its credentials expire. */
function assumedRole(
  base: CredentialSource,
  endpoint: string | undefined,
  a: AwsAccount,
  timeoutMs: number,
): CredentialSource {
  let current: { creds: RealCredentials; expires: number } | undefined;
  let pending: Promise<RealCredentials> | undefined;
  const assume = async (): Promise<RealCredentials> => {
    const xml = parseXml(
      await queryCall(base, endpoint, {
        service: "sts",
        region: "us-east-1",
        action: "AssumeRole",
        version: "2011-06-15",
        params: {
          RoleArn: a.roleArn ?? "",
          RoleSessionName: "airlock",
          DurationSeconds: String(a.durationSeconds ?? 3600),
          ...(a.externalId ? { ExternalId: a.externalId } : {}),
        },
        timeoutMs,
      }),
    );
    const c = (name: string) => textAt(xml, "AssumeRoleResult", "Credentials", name);
    const creds = {
      accessKeyId: c("AccessKeyId"),
      secretAccessKey: c("SecretAccessKey"),
      sessionToken: c("SessionToken"),
    };
    if (!creds.accessKeyId || !creds.secretAccessKey)
      throw new Error(`AssumeRole of ${a.roleArn} returned no credentials`);
    const expires = Date.parse(c("Expiration"));
    current = { creds, expires: Number.isFinite(expires) ? expires : Date.now() + 900_000 };
    return creds;
  };
  return async () => {
    if (current && current.expires - REFRESH_MS > Date.now()) return current.creds;
    pending ??= assume().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
