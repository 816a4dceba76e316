/**
 * What the PostgreSQL proxy adds: the latency of one simple query (a pgbench-style primary-key read),
 * directly and through `airlock serve --pg-listen` (the bundle), interleaved query by query so the
 * noise of a shared machine falls on both alike; and pgbench's select-only throughput with 16
 * clients, directly and through the proxy, in the same run. Every proxied statement is judged in full
 * (parsed, catalog-checked, decided under the built-in policy, written to the audit log with its
 * outcome). Measured twice: as configured by default (a plain read is forwarded before its audit
 * entry is durable; docs/postgres.md) and with `readEntryDelayMs: 0` (every statement waits for its
 * entry's fsync before it is forwarded). Needs the PostgreSQL on 127.0.0.1:5432 (trust) and pgbench.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Latency } from "./mcp-proxy.js";

const ROOT = new URL("../", import.meta.url).pathname;
const BIN = `${ROOT}bin/airlock.mjs`;
const PG = { host: "127.0.0.1", port: 5432, user: "postgres" };

export interface PgProxyFigures {
  queries: number;
  direct: Latency;
  proxied: Latency;
  added: Latency;
  /** With `readEntryDelayMs: 0`: every statement waits for its durable audit entry. */
  strict: { proxied: Latency; added: Latency };
  tps: { direct: number; proxied: number; strict: number; clients: number; seconds: number };
}

export function percentiles(values: number[]): Latency {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

export async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ ...PG, database: "postgres" });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export async function startServe(
  dir: string,
  database: string,
  extra = "",
  bin = BIN,
): Promise<{ port: number; token: string; stop(): Promise<void> }> {
  const dataDir = join(dir, "data");
  const config = join(dir, "airlock.yaml");
  writeFileSync(
    config,
    `version: 1\npostgres:\n  listen: 127.0.0.1:0\n  databases:\n    bench: { upstream: "postgres://postgres@127.0.0.1:5432/${database}?sslmode=disable", environment: production }\n${extra}`,
  );
  const made = spawnSync(
    process.execPath,
    [
      bin,
      "token",
      "create",
      "--data-dir",
      dataDir,
      "--name",
      "bench-agent",
      "--role",
      "agent",
      "--on-behalf-of",
      "bench-person",
    ],
    { encoding: "utf8" },
  );
  if (made.status !== 0) throw new Error(`token create failed: ${made.stderr}`);
  const child = spawn(
    process.execPath,
    [bin, "serve", "--config", config, "--listen", "127.0.0.1:0", "--data-dir", dataDir],
    {
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /postgres proxy: [^\s]+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`airlock serve exited (${code})`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    port,
    token: made.stdout.trim(),
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** pgbench's tables at scale 1 (100,000 accounts) in `database`, for the primary-key reads. */
export function pgbenchInit(database: string): void {
  const init = spawnSync("pgbench", ["-i", "-q", "-s", "1", "-h", "127.0.0.1", "-U", "postgres", database], {
    encoding: "utf8",
  });
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr ?? init.error?.message}`);
}

export async function timeQuery(client: pg.Client, i: number): Promise<number> {
  const started = process.hrtime.bigint();
  await client.query(`SELECT abalance FROM pgbench_accounts WHERE aid = ${(i % 100_000) + 1}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** A client of the bench database through a started `airlock serve`, as the bench agent. */
export function proxyClient(serve: { port: number; token: string }): pg.Client {
  return new pg.Client({
    host: "127.0.0.1",
    port: serve.port,
    user: "bench-agent",
    password: serve.token,
    database: "bench",
  });
}

/**
 * Primary-key reads on two connected clients, alternating which goes first, after 200 of each to warm
 * up, so the noise of a shared machine falls on both: each one's percentiles, and those of b − a.
 */
export async function alternate(a: pg.Client, b: pg.Client, queries: number) {
  for (let i = 0; i < 200; i++) {
    await timeQuery(a, i);
    await timeQuery(b, i);
  }
  const ta: number[] = [];
  const tb: number[] = [];
  const diff: number[] = [];
  for (let i = 0; i < queries; i++) {
    const [first, second] = i % 2 === 0 ? [a, b] : [b, a];
    const t1 = await timeQuery(first, i);
    const t2 = await timeQuery(second, i);
    const [x, y] = first === a ? [t1, t2] : [t2, t1];
    ta.push(x);
    tb.push(y);
    diff.push(y - x);
  }
  return { a: percentiles(ta), b: percentiles(tb), diff: percentiles(diff) };
}

/** Primary-key reads, alternating direct and proxied. */
async function interleaved(database: string, serve: { port: number; token: string }, queries: number) {
  const direct = new pg.Client({ ...PG, database });
  const proxied = proxyClient(serve);
  await direct.connect();
  await proxied.connect();
  try {
    const { a, b, diff } = await alternate(direct, proxied, queries);
    return { direct: a, proxied: b, added: diff };
  } finally {
    await proxied.end();
    await direct.end();
  }
}

function pgbench(args: string[], env: NodeJS.ProcessEnv = {}): number {
  const run = spawnSync("pgbench", args, { encoding: "utf8", env: { ...process.env, ...env } });
  if (run.error) throw new Error(`pgbench did not run (${run.error.message}); install postgresql-contrib`);
  const tps = /tps = ([\d.]+)/.exec(run.stdout)?.[1];
  if (run.status !== 0 || !tps) throw new Error(`pgbench failed: ${run.stderr}`);
  return Number(tps);
}

export async function benchPgProxy(
  queries = Number(process.env.BENCH_PG_QUERIES ?? 2000),
  seconds = 10,
): Promise<PgProxyFigures> {
  const database = `airlock_bench_${process.pid}`;
  await admin(`CREATE DATABASE ${database}`);
  const serve = await startServe(mkdtempSync(join(tmpdir(), "airlock-pg-bench-")), database);
  try {
    pgbenchInit(database);
    const onDisk = await interleaved(database, serve, queries);
    const strictServe = await startServe(
      mkdtempSync(join(tmpdir(), "airlock-pg-bench-")),
      database,
      "  readEntryDelayMs: 0\n",
    );
    try {
      const strict = await interleaved(database, strictServe, queries);
      const clients = 16;
      const common = ["-n", "-S", "-c", String(clients), "-j", "2", "-T", String(seconds)];
      const through = (s: { port: number; token: string }) =>
        pgbench([...common, "-h", "127.0.0.1", "-p", String(s.port), "-U", "bench-agent", "bench"], {
          PGPASSWORD: s.token,
          PGSSLMODE: "disable",
        });
      const tpsDirect = pgbench([...common, "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", database]);
      const tpsProxied = through(serve);
      const tpsStrict = through(strictServe);
      return {
        queries,
        ...onDisk,
        strict: { proxied: strict.proxied, added: strict.added },
        tps: { direct: tpsDirect, proxied: tpsProxied, strict: tpsStrict, clients, seconds },
      };
    } finally {
      await strictServe.stop();
    }
  } finally {
    await serve.stop();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

export function formatPgProxyFigures(f: PgProxyFigures): string {
  const ms = (n: number) => `${n.toFixed(3)} ms`;
  const ratio = (n: number) => (n / f.tps.direct).toFixed(3);
  return [
    `PostgreSQL proxy, ${f.queries} interleaved simple queries (primary-key read, pgbench scale 1):`,
    `  direct   p50 ${ms(f.direct.p50)}  p99 ${ms(f.direct.p99)}`,
    `  proxied  p50 ${ms(f.proxied.p50)}  p99 ${ms(f.proxied.p99)}`,
    `  added    p50 ${ms(f.added.p50)}  p99 ${ms(f.added.p99)}  (target p50 ≤ 0.5 ms, p99 ≤ 3 ms)`,
    `  added with readEntryDelayMs: 0 (each read waits for its entry's fsync)  p50 ${ms(f.strict.added.p50)}  p99 ${ms(f.strict.added.p99)}`,
    `  pgbench -S, ${f.tps.clients} clients, ${f.tps.seconds} s: direct ${f.tps.direct.toFixed(0)} tps, proxied ${f.tps.proxied.toFixed(0)} tps (ratio ${ratio(f.tps.proxied)}), with readEntryDelayMs: 0 ${f.tps.strict.toFixed(0)} tps (ratio ${ratio(f.tps.strict)})`,
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatPgProxyFigures(await benchPgProxy()));
}
