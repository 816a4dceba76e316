import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as z from "zod/mini";
import "../../action/zod.js";
import { READ_ENTRY_DELAY_MS } from "../../approvals/read-records.js";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

/** One database agents may reach through the proxy, as written in `postgres.databases`. */
export const PostgresDatabaseEntry = z.strictObject({
  /** postgres://USER@HOST:PORT/DBNAME[?sslmode=disable|prefer|require|verify-full]; never with a password. */
  upstream: z.string().check(z.regex(/^postgres(ql)?:\/\//, "upstream is a postgres:// URL")),
  /** The environment every statement on this database is judged in (production when absent). */
  environment: z.optional(z.string().check(z.minLength(1))),
  passwordEnv: z.optional(z.string().check(z.regex(ENV_NAME, "passwordEnv is an environment variable name"))),
  passwordFile: z.optional(z.string().check(z.minLength(1))),
});

/** The `postgres` section of airlock.yaml. */
export const PostgresSection = z.strictObject({
  /** HOST:PORT of the proxy's listener; the proxy is off unless this (or --pg-listen) is set. */
  listen: z.optional(z.string().check(z.regex(HOST_PORT, "listen is HOST:PORT, e.g. 127.0.0.1:6432"))),
  /** A certificate and key (PEM) for TLS to clients; a self-signed pair is generated when absent. */
  tls: z.optional(z.strictObject({ cert: z.string(), key: z.string() })),
  databases: z.optional(z.record(z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,63}$/)), PostgresDatabaseEntry)),
  /** How long a preview (the row count of a DELETE or UPDATE) may run on the upstream. */
  previewTimeoutMs: z.optional(z.int().check(z.minimum(100), z.maximum(600_000))),
  /**
   * How long the audit entries of plain reads, forwarded at once, may wait to share a group commit
   * (docs/postgres.md, "What is recorded"); 0: every statement waits for its durable entry.
   */
  readEntryDelayMs: z.optional(z.int().check(z.minimum(0), z.maximum(1000))),
});
export type PostgresSection = z.infer<typeof PostgresSection>;

export interface UpstreamTarget {
  host: string;
  port: number;
  user: string;
  database: string;
  /** From the environment or the file the configuration names; never from the agent. */
  password?: string;
  sslmode: "disable" | "prefer" | "require" | "verify-full";
  /** PEM of the certificate authorities verify-full trusts (the URL's `sslrootcert`); default: the system's. */
  rootCert?: string;
}

export interface PostgresDatabase {
  /** The name agents connect to. */
  name: string;
  environment: string;
  upstream: UpstreamTarget;
}

export interface PostgresConfig {
  listen: { host: string; port: number };
  tls?: { cert: string; key: string };
  databases: Map<string, PostgresDatabase>;
  previewTimeoutMs: number;
  /** 0: reads wait for their durable entry too. */
  readEntryDelayMs: number;
}

/** The section resolved: paths made absolute against the file, passwords read. Throws Error with a message. */
export function resolvePostgres(
  section: PostgresSection | undefined,
  listenOverride: string | undefined,
  base: string,
  env: NodeJS.ProcessEnv,
): PostgresConfig | undefined {
  const listenText = listenOverride ?? env.AIRLOCK_PG_LISTEN ?? section?.listen;
  if (!listenText) return undefined;
  if (!HOST_PORT.test(listenText)) throw new Error(`postgres listen "${listenText}" is not HOST:PORT`);
  const cut = listenText.lastIndexOf(":");
  const listen = {
    host: listenText.slice(0, cut).replace(/^\[|\]$/g, ""),
    port: Number(listenText.slice(cut + 1)),
  };
  const databases = new Map<string, PostgresDatabase>();
  for (const [name, entry] of Object.entries(section?.databases ?? {})) {
    databases.set(name, {
      name,
      environment: entry.environment ?? "production",
      upstream: upstreamOf(name, entry, base, env),
    });
  }
  return {
    listen,
    ...(section?.tls
      ? { tls: { cert: resolve(base, section.tls.cert), key: resolve(base, section.tls.key) } }
      : {}),
    databases,
    previewTimeoutMs: section?.previewTimeoutMs ?? 5000,
    readEntryDelayMs: section?.readEntryDelayMs ?? READ_ENTRY_DELAY_MS,
  };
}

function upstreamOf(
  name: string,
  entry: z.infer<typeof PostgresDatabaseEntry>,
  base: string,
  env: NodeJS.ProcessEnv,
): UpstreamTarget {
  const url = new URL(entry.upstream);
  if (url.password)
    throw new Error(
      `postgres.databases.${name}: put the upstream password in passwordEnv or passwordFile, not in the URL`,
    );
  const sslmode = url.searchParams.get("sslmode") ?? "prefer";
  if (!["disable", "prefer", "require", "verify-full"].includes(sslmode))
    throw new Error(
      `postgres.databases.${name}: sslmode ${sslmode} is not disable, prefer, require or verify-full`,
    );
  const rootCertFile = url.searchParams.get("sslrootcert");
  let rootCert: string | undefined;
  if (rootCertFile) {
    try {
      rootCert = readFileSync(resolve(base, rootCertFile), "utf8");
    } catch (err) {
      throw new Error(`postgres.databases.${name}: cannot read sslrootcert: ${(err as Error).message}`);
    }
  }
  let password: string | undefined;
  if (entry.passwordEnv) {
    password = env[entry.passwordEnv];
    if (password === undefined)
      throw new Error(`postgres.databases.${name}: the environment variable ${entry.passwordEnv} is not set`);
  } else if (entry.passwordFile) {
    try {
      password = readFileSync(resolve(base, entry.passwordFile), "utf8").replace(/\r?\n$/, "");
    } catch (err) {
      throw new Error(`postgres.databases.${name}: cannot read passwordFile: ${(err as Error).message}`);
    }
  }
  return {
    host: decodeURIComponent(url.hostname).replace(/^\[|\]$/g, "") || "127.0.0.1",
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || "postgres",
    database: decodeURIComponent(url.pathname.replace(/^\//, "")) || name,
    ...(password !== undefined ? { password } : {}),
    sslmode: sslmode as UpstreamTarget["sslmode"],
    ...(rootCert !== undefined ? { rootCert } : {}),
  };
}
