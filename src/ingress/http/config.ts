import { existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join, resolve } from "node:path";
import * as z from "zod/mini";
import { withoutTrailing } from "../../action/text.js";
import "../../action/zod.js";
import { checkIdentity, Identity } from "../../approvals/identity.js";
import { TrustedContext } from "../../approvals/trusted-context.js";
import { NotifySection, resolveWebhooks, type WebhookConfig } from "../../notify/config.js";
import { schemaErrors } from "../../policy/document.js";
import { formatPolicyErrors, type PolicyError, parseYamlWithLines } from "../../policy/parse.js";
import type { StoreLocation } from "../../store/open.js";
import { type AwsEndpointConfig, AwsSection, awsEndpointConfig } from "../aws/config.js";
import { type PostgresConfig, PostgresSection, resolvePostgres } from "../postgres/config.js";
import { LOG_FORMATS, type LogFormat } from "./logger.js";
import { resolveStore, StoreSection } from "./store-config.js";

const Listen = z
  .string()
  .check(z.regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, "listen is HOST:PORT, e.g. 127.0.0.1:7070"));

/** The server's configuration file (`airlock.yaml`). Paths in it are relative to the file. */
export const ServerConfigFile = z.strictObject({
  version: z.literal(1),
  listen: z.optional(Listen),
  /** How approvers reach the page, for links in decisions and notifications. */
  publicUrl: z.optional(z.url()),
  dataDir: z.optional(z.string().check(z.minLength(1))),
  /** The store: the SQLite file in dataDir (the default), or a PostgreSQL database replicas share. */
  store: z.optional(StoreSection),
  /** The policy file; the built-in policy when absent. */
  policy: z.optional(z.string().check(z.minLength(1))),
  /** The audit log's name, the first line of every checkpoint it signs. */
  origin: z.optional(z.string().check(z.regex(/^[^\s+]+$/, "origin is one word without spaces or '+'"))),
  checkpointSeconds: z.optional(z.int().check(z.minimum(1), z.maximum(60))),
  /** Copies of the signed checkpoints, outside the data directory (docs/audit.md, the trust model). */
  checkpointDir: z.optional(z.string().check(z.minLength(1))),
  /** The audit signing key, one file every replica of a cluster reads (docs/deploy.md#keys). */
  auditKeyFile: z.optional(z.string().check(z.minLength(1))),
  /** People and agents whose role and groups the configuration decides, whatever their token recorded. */
  identities: z.optional(z.array(Identity)),
  /** The environment and labels of every agent whose identity names none (docs/api.md#trust). */
  defaultContext: z.optional(TrustedContext),
  /** Webhooks told of holds, votes, releases, trips, pauses and freezes (docs/notifications.md). */
  notify: z.optional(NotifySection),
  /** The PostgreSQL proxy (docs/postgres.md). */
  postgres: z.optional(PostgresSection),
  /** The AWS endpoint agents sign their calls to (docs/aws.md). */
  aws: z.optional(AwsSection),
  /** The server's log on stderr (docs/deploy.md#logs). */
  log: z.optional(
    z.strictObject({
      format: z.optional(z.enum(LOG_FORMATS)),
      /** One line per HTTP request: method, route, status, duration, caller's name (never a body). */
      requests: z.optional(z.boolean()),
    }),
  ),
});

export interface ServerConfig {
  file?: string;
  listen: { host: string; port: number };
  /** Set in the file; otherwise the server uses the address it listens on. */
  publicUrl?: string;
  dataDir: string;
  /** Where the requests, tokens and audit log are kept. */
  store: StoreLocation;
  policy?: string;
  origin: string;
  checkpointSeconds: number;
  /** Where copies of the checkpoints go: `checkpointDir`, or DATA_DIR/checkpoints when none is named. */
  checkpointDir: string;
  /** Named in the configuration or environment (so possibly outside the data directory), not the default. */
  checkpointDirNamed: boolean;
  /** The shared audit signing key (`auditKeyFile`, AIRLOCK_AUDIT_KEY_FILE); the data directory's own when absent. */
  auditKeyFile?: string;
  identities: Map<string, Identity>;
  defaultContext?: TrustedContext;
  /** Secrets resolved (from the environment, preferably); never logged. */
  webhooks: WebhookConfig[];
  /** The PostgreSQL proxy, when it listens. */
  postgres?: PostgresConfig;
  /** The AWS endpoint, when `aws.listen` or `--aws-listen` turns it on. */
  aws?: AwsEndpointConfig;
  logging: { format: LogFormat; requests: boolean };
}

export interface ConfigOverrides {
  config?: string;
  listen?: string;
  dataDir?: string;
  /** `--store`: sqlite, or a postgres:// URL (the password from AIRLOCK_STORE_PASSWORD). */
  store?: string;
  policy?: string;
  pgListen?: string;
  checkpoints?: string;
  awsListen?: string;
  logFormat?: string;
  logRequests?: boolean;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * The configuration from flags, then environment (AIRLOCK_CONFIG, AIRLOCK_LISTEN, AIRLOCK_DATA_DIR,
 * AIRLOCK_POLICY), then the file (`./airlock.yaml` when present), then defaults. Invalid input throws
 * a ConfigError that names the file, the line and the field.
 */
export function loadServerConfig(
  overrides: ConfigOverrides,
  env: NodeJS.ProcessEnv = process.env,
): ServerConfig {
  const explicit = overrides.config ?? env.AIRLOCK_CONFIG;
  const path = explicit ?? (existsSync("airlock.yaml") ? "airlock.yaml" : undefined);
  const file = path ? readConfigFile(path, env) : undefined;
  const base = path ? dirname(resolve(path)) : process.cwd();
  const listenText = overrides.listen ?? env.AIRLOCK_LISTEN ?? file?.listen ?? "127.0.0.1:7070";
  const listen = parseListen(listenText);
  const policy =
    overrides.policy ?? env.AIRLOCK_POLICY ?? (file?.policy ? resolve(base, file.policy) : undefined);
  const identities = new Map<string, Identity>();
  for (const identity of file?.identities ?? []) {
    if (identities.has(identity.name))
      throw new ConfigError(`${path}: identity "${identity.name}" is declared twice`);
    identities.set(identity.name, identity);
  }
  let postgres: PostgresConfig | undefined;
  try {
    postgres = resolvePostgres(file?.postgres, overrides.pgListen, base, env);
  } catch (err) {
    throw new ConfigError(`${path ?? "--pg-listen"}: ${(err as Error).message}`);
  }
  const dataDir = resolve(
    overrides.dataDir ?? env.AIRLOCK_DATA_DIR ?? (file?.dataDir ? resolve(base, file.dataDir) : ".airlock"),
  );
  let store: StoreLocation;
  try {
    store = resolveStore(file?.store, overrides.store, dataDir, base, env);
  } catch (err) {
    throw new ConfigError(`${path ?? "--store"}: ${(err as Error).message}`);
  }
  const checkpointDir =
    overrides.checkpoints ??
    env.AIRLOCK_CHECKPOINT_DIR ??
    (file?.checkpointDir ? resolve(base, file.checkpointDir) : undefined);
  const auditKeyFile =
    env.AIRLOCK_AUDIT_KEY_FILE ?? (file?.auditKeyFile ? resolve(base, file.auditKeyFile) : undefined);
  const format = logFormatOf(overrides, env) ?? file?.log?.format ?? "text";
  const aws = awsEndpointConfig(file?.aws, overrides.awsListen ?? env.AIRLOCK_AWS_LISTEN);
  if (aws && "error" in aws) throw new ConfigError(aws.error);
  return {
    ...(postgres ? { postgres } : {}),
    ...(path ? { file: resolve(path) } : {}),
    ...(aws ? { aws } : {}),
    listen,
    ...(file?.publicUrl ? { publicUrl: withoutTrailing(file.publicUrl, "/") } : {}),
    dataDir,
    store,
    checkpointDir: resolve(checkpointDir ?? join(dataDir, "checkpoints")),
    checkpointDirNamed: checkpointDir !== undefined,
    ...(auditKeyFile ? { auditKeyFile: resolve(auditKeyFile) } : {}),
    ...(policy ? { policy } : {}),
    origin: file?.origin ?? `airlock.local/${hostname()}`,
    checkpointSeconds: file?.checkpointSeconds ?? 60,
    identities,
    ...(file?.defaultContext ? { defaultContext: file.defaultContext } : {}),
    webhooks: file?.webhooks ?? [],
    logging: { format, requests: overrides.logRequests ?? file?.log?.requests ?? false },
  };
}

/**
 * The log format the flags or the environment ask for (`--log-format`, AIRLOCK_LOG_FORMAT), known
 * before the file is read, so that an invalid file is reported in that format too.
 */
export function logFormatOf(
  overrides: ConfigOverrides,
  env: NodeJS.ProcessEnv = process.env,
): LogFormat | undefined {
  const asked = overrides.logFormat ?? env.AIRLOCK_LOG_FORMAT;
  if (asked === undefined) return undefined;
  const format = LOG_FORMATS.find((f) => f === asked);
  if (!format) throw new ConfigError(`log format "${asked}" is not one of ${LOG_FORMATS.join(", ")}`);
  return format;
}

function parseListen(text: string): { host: string; port: number } {
  const parsed = Listen.safeParse(text);
  const port = Number(text.slice(text.lastIndexOf(":") + 1));
  if (!parsed.success || port > 65535) {
    throw new ConfigError(
      `listen address "${text}" is not HOST:PORT with a port up to 65535 (e.g. 127.0.0.1:7070)`,
    );
  }
  return { host: text.slice(0, text.lastIndexOf(":")).replace(/^\[|\]$/g, ""), port };
}

function readConfigFile(
  path: string,
  env: NodeJS.ProcessEnv,
): z.infer<typeof ServerConfigFile> & { webhooks: WebhookConfig[] } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read the configuration ${path}: ${(err as Error).message}`);
  }
  const yaml = parseYamlWithLines(text, path);
  if (!yaml.ok) throw new ConfigError(formatPolicyErrors(yaml.errors));
  const parsed = ServerConfigFile.safeParse(yaml.data);
  if (!parsed.success)
    throw new ConfigError(formatPolicyErrors(schemaErrors(parsed.error.issues, path, yaml.lineOf)));
  const problems: PolicyError[] = [];
  parsed.data.identities?.forEach((identity, i) => {
    const check = checkIdentity(identity);
    if (!check.ok)
      problems.push({ file: path, line: yaml.lineOf(["identities", i]), message: check.message });
  });
  const notify = resolveWebhooks(parsed.data.notify?.webhooks ?? [], env);
  if (!notify.ok) {
    for (const p of notify.problems)
      problems.push({ file: path, line: yaml.lineOf(["notify", "webhooks", p.index]), message: p.message });
  }
  if (problems.length > 0) throw new ConfigError(formatPolicyErrors(problems));
  return { ...parsed.data, webhooks: notify.ok ? notify.webhooks : [] };
}
