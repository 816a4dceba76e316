import * as z from "zod/mini";
import "../../action/zod.js";
import { READ_ENTRY_DELAY_MS } from "../../approvals/read-records.js";

const HostPort = z
  .string()
  .check(z.regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, "HOST:PORT, e.g. 127.0.0.1:7080"));

/**
 * Which upstream identity serves which agents: a shared-config profile, or a role airlock assumes with
 * STS (from its own credentials, or the profile's). The first entry naming the agent serves it; an
 * agent no entry names is served by airlock's own credentials.
 */
export const AwsAccount = z.strictObject({
  /** Agent identity names (globs: `kiro-*`). */
  agents: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  profile: z.optional(z.string().check(z.minLength(1))),
  roleArn: z.optional(
    z
      .string()
      .check(
        z.regex(
          /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/,
          "an IAM role ARN: arn:aws:iam::123456789012:role/NAME",
        ),
      ),
  ),
  externalId: z.optional(z.string().check(z.minLength(2))),
  /** How long an assumed role's credentials last (default 3600 s); airlock assumes it again before they end. */
  durationSeconds: z.optional(z.int().check(z.minimum(900), z.maximum(43200))),
});
export type AwsAccount = z.infer<typeof AwsAccount>;

/** The `aws:` section of `airlock.yaml`: the AWS endpoint agents send their calls to (docs/aws.md). */
export const AwsSection = z.strictObject({
  /** Where the endpoint listens; it is off unless this (or `--aws-listen`) is set. */
  listen: z.optional(HostPort),
  /** Send every call here instead of AWS's endpoint for the service and region (a test emulator). */
  endpoint: z.optional(z.url()),
  /** The environment every call through the endpoint acts on, when names alone should not decide it. */
  environment: z.optional(z.string().check(z.minLength(1))),
  /** The upstream account id; by default asked of STS (GetCallerIdentity) with airlock's credentials. */
  account: z.optional(z.string().check(z.regex(/^\d{12}$/, "a 12-digit AWS account id"))),
  /** The shared-config profile airlock's own credentials come from (default: the standard chain). */
  profile: z.optional(z.string().check(z.minLength(1))),
  /** Host headers the endpoint answers to, besides its listen address (e.g. a name agents use for it). */
  hosts: z.optional(z.array(HostPort)),
  /** Regions agents may call; any region when absent. */
  regions: z.optional(z.array(z.string().check(z.regex(/^[a-z0-9-]+$/, "a region such as eu-west-1")))),
  /** A request body the endpoint reads whole (every operation but S3's streamed uploads) may be this large. */
  maxBodyBytes: z.optional(z.int().check(z.minimum(1024))),
  /** A client silent this long (no header, no body byte) gets RequestTimeout. */
  idleSeconds: z.optional(z.number().check(z.minimum(0.1), z.maximum(3600))),
  /** AWS not answering within this long is an AirlockUpstreamError (default 120). */
  upstreamTimeoutSeconds: z.optional(z.number().check(z.minimum(0.1), z.maximum(3600))),
  /** How long a call airlock makes itself (a preview's read, a recovery point, STS) may take (default 5). */
  ownCallTimeoutSeconds: z.optional(z.number().check(z.minimum(0.1), z.maximum(600))),
  /** Per-agent upstream identities (profiles, or roles assumed with STS). */
  accounts: z.optional(
    z.array(
      AwsAccount.check(
        z.refine(
          (a) => a.profile !== undefined || a.roleArn !== undefined,
          "an account names a profile, a roleArn, or both",
        ),
      ),
    ),
  ),
  /**
   * Keep a held call's connection open up to this long, and forward it if it is released meanwhile
   * (default 0: answer AirlockHeld at once). Streamed uploads are always answered at once.
   */
  holdWaitSeconds: z.optional(z.number().check(z.minimum(0), z.maximum(900))),
  /**
   * How long the audit entries of reads, forwarded at once, may wait to share a group commit
   * (docs/aws.md, "When an entry is durable"); 0: every call waits for its durable entry.
   */
  readEntryDelayMs: z.optional(z.int().check(z.minimum(0), z.maximum(1000))),
});
export type AwsSection = z.infer<typeof AwsSection>;

export interface AwsEndpointConfig {
  listen: { host: string; port: number };
  endpoint?: string;
  environment?: string;
  account?: string;
  profile?: string;
  hosts: string[];
  regions?: string[];
  maxBodyBytes: number;
  idleSeconds: number;
  upstreamTimeoutSeconds: number;
  accounts: AwsAccount[];
  holdWaitSeconds: number;
  ownCallTimeoutSeconds: number;
  /** 0: reads wait for their durable entry too. */
  readEntryDelayMs: number;
}

export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

export function parseHostPort(text: string): { host: string; port: number } | undefined {
  if (!HostPort.safeParse(text).success) return undefined;
  const port = Number(text.slice(text.lastIndexOf(":") + 1));
  if (port > 65535) return undefined;
  return { host: text.slice(0, text.lastIndexOf(":")).replace(/^\[|\]$/g, ""), port };
}

/** The endpoint's settings from the file's section and the flag; undefined when it is off. */
export function awsEndpointConfig(
  section: AwsSection | undefined,
  flag: string | undefined,
): AwsEndpointConfig | { error: string } | undefined {
  const text = flag ?? section?.listen;
  if (text === undefined) return undefined;
  const listen = parseHostPort(text);
  if (!listen) return { error: `aws listen address "${text}" is not HOST:PORT with a port up to 65535` };
  return {
    listen,
    ...(section?.endpoint ? { endpoint: section.endpoint } : {}),
    ...(section?.environment ? { environment: section.environment } : {}),
    ...(section?.account ? { account: section.account } : {}),
    ...(section?.profile ? { profile: section.profile } : {}),
    hosts: section?.hosts ?? [],
    ...(section?.regions ? { regions: section.regions } : {}),
    maxBodyBytes: section?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    idleSeconds: section?.idleSeconds ?? 30,
    upstreamTimeoutSeconds: section?.upstreamTimeoutSeconds ?? 120,
    accounts: section?.accounts ?? [],
    holdWaitSeconds: section?.holdWaitSeconds ?? 0,
    ownCallTimeoutSeconds: section?.ownCallTimeoutSeconds ?? 5,
    readEntryDelayMs: section?.readEntryDelayMs ?? READ_ENTRY_DELAY_MS,
  };
}
