import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Identity } from "../../../src/approvals/identity.js";
import { issueToken } from "../../../src/approvals/tokens.js";
import { SqliteStore } from "../../../src/store/sqlite/store.js";
import { BIN } from "../http/harness.js";

/** The PostgreSQL this machine runs (trust auth); CI starts it when it is not running. */
export const PG = { host: "127.0.0.1", port: 5432, user: "postgres" };

/** Fails with how to start PostgreSQL when it is not reachable: never a silent skip. */
export async function requirePostgres(): Promise<void> {
  const client = new pg.Client({ ...PG, database: "postgres", connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable on ${PG.host}:${PG.port} (${(err as Error).message}); start it with \`pg_ctlcluster 15 main start\` (trust auth for local connections)`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A database of the test's own, created empty; `drop` removes it. */
export async function createDatabase(prefix: string): Promise<{ name: string; drop(): Promise<void> }> {
  await requirePostgres();
  const name = `${prefix}_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  await admin(`CREATE DATABASE ${name}`);
  return { name, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ ...PG, database: "postgres" });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A direct connection to a test database, bypassing airlock (to set up and to check). */
export async function direct<T>(database: string, run: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...PG, database });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export interface ProxyServer {
  url: string;
  pgPort: number;
  dataDir: string;
  dir: string;
  /** The audit log's verifier key, as `airlock serve` prints it. */
  verifierKey: string;
  process: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

/** A real `airlock serve` with its PostgreSQL listener on a free port, proxying the given databases. */
export async function startProxy(options: {
  databases: Record<string, { upstream: string; environment?: string; passwordEnv?: string }>;
  policy?: string;
  extra?: string;
  listen?: string;
}): Promise<ProxyServer> {
  const dir = mkdtempSync(join(tmpdir(), "airlock-pg-"));
  const dataDir = join(dir, "data");
  const lines = ["version: 1", "postgres:", `  listen: ${options.listen ?? "127.0.0.1:0"}`, "  databases:"];
  for (const [name, db] of Object.entries(options.databases))
    lines.push(`    ${name}: ${JSON.stringify(db)}`);
  if (options.extra) lines.push(options.extra);
  writeFileSync(join(dir, "airlock.yaml"), `${lines.join("\n")}\n`);
  const args = [
    BIN,
    "serve",
    "--config",
    join(dir, "airlock.yaml"),
    "--listen",
    "127.0.0.1:0",
    "--data-dir",
    dataDir,
  ];
  if (options.policy) args.push("--policy", options.policy);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr?.on("data", (d) => {
    err += d;
  });
  const { url, pgPort, verifierKey } = await new Promise<{
    url: string;
    pgPort: number;
    verifierKey: string;
  }>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      const pgLine = /postgres proxy: [^\s]+:(\d+)/.exec(out);
      const key = /audit log verifier key: (\S+)/.exec(out);
      if (pgLine && key)
        resolve({
          url: out.split("\n")[0]?.trim() ?? "",
          pgPort: Number(pgLine[1]),
          verifierKey: key[1] ?? "",
        });
    });
    child.once("exit", (code) => reject(new Error(`airlock serve exited (${code}): ${err}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url,
    pgPort,
    dataDir,
    dir,
    verifierKey,
    process: child,
    stderr: () => err,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** A token recorded in the running server's store, as `airlock token create` does from another process. */
export async function issue(server: ProxyServer, identity: Identity): Promise<string> {
  const store = await SqliteStore.open(server.dataDir);
  try {
    return await issueToken(store, identity, "test");
  } finally {
    await store.close();
  }
}

export function agentToken(server: ProxyServer, name = "kiro-7", onBehalfOf = "alice"): Promise<string> {
  return issue(server, { name, role: "agent", groups: [], onBehalfOf });
}

export function approverToken(server: ProxyServer, name: string, groups: string[] = []): Promise<string> {
  return issue(server, { name, role: "approver", groups });
}

/** node-postgres through the proxy as the agent `kiro-7`, over TLS (the proxy's own certificate), connected. */
export async function agentClient(server: ProxyServer, token: string, database = "prod"): Promise<pg.Client> {
  const client = new pg.Client({
    host: "127.0.0.1",
    port: server.pgPort,
    user: "kiro-7",
    password: token,
    database,
    ssl: { rejectUnauthorized: false },
  });
  await client.connect();
  return client;
}

/** psql through the proxy; never prompts, stops at the first error. */
export function psql(
  server: ProxyServer,
  token: string,
  database: string,
  sql: string,
  opts: { ssl?: string; user?: string; input?: string } = {},
) {
  const conninfo = `host=127.0.0.1 port=${server.pgPort} user=${opts.user ?? "kiro-7"} dbname=${database} sslmode=${opts.ssl ?? "require"}`;
  const run = spawnSync("psql", [conninfo, "-X", "-v", "ON_ERROR_STOP=1", "-At", "-c", sql], {
    encoding: "utf8",
    env: { ...process.env, PGPASSWORD: token, PGCONNECT_TIMEOUT: "10" },
    ...(opts.input !== undefined ? { input: opts.input } : {}),
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw new Error(`psql did not run (${run.error.message}); install postgresql-client`);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Every audit entry so far, read from the store beside the running server. */
export async function auditEntries(server: ProxyServer): Promise<Record<string, unknown>[]> {
  const store = await SqliteStore.open(server.dataDir, { readonly: true });
  try {
    const entries: Record<string, unknown>[] = [];
    const size = await store.auditSize();
    for (let i = 0; i < size; i++) {
      const e = await store.auditEntry(i);
      if (e) entries.push(JSON.parse(e.bytes) as Record<string, unknown>);
    }
    return entries;
  } finally {
    await store.close();
  }
}

/** The request ids named in an error text (r_…). */
export function requestIdIn(text: string): string {
  const id = /request (r_[A-Za-z0-9_-]+)/.exec(text)?.[1];
  if (!id) throw new Error(`no request id in: ${text}`);
  return id;
}
