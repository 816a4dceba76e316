/**
 * One server or several, over HTTP, side by side in one run (issue 16): actions per second and
 * p50/p99 for 1 server on SQLite, 1 on PostgreSQL and 3 replicas on one PostgreSQL, each answer
 * durable in the audit log before it is sent. The load is spread over the replicas as a load balancer
 * would, round robin by client. Ratios are against the SQLite server, measured in the same run.
 * Needs the PostgreSQL of this machine (127.0.0.1:5432, trust auth); each configuration gets a
 * database of its own, dropped at the end.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { load } from "./serve.js";

const BIN = new URL("../bin/airlock.mjs", import.meta.url).pathname;
const PG = { host: "127.0.0.1", port: 5432, user: "postgres" };
const CONCURRENCY = 48;

interface Setup {
  name: string;
  store?: "postgres";
  replicas: number;
}
const SETUPS: Setup[] = [
  { name: "1 server, SQLite", replicas: 1 },
  { name: "1 server, PostgreSQL", store: "postgres", replicas: 1 },
  { name: "3 replicas, one PostgreSQL", store: "postgres", replicas: 3 },
];

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ ...PG, database: "postgres" });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `bench/cluster.ts needs PostgreSQL on ${PG.host}:${PG.port} (${(err as Error).message}); start it with \`pg_ctlcluster 15 main start\``,
    );
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function startServer(
  args: string[],
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, "serve", "--listen", "127.0.0.1:0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let err = "";
  child.stderr?.on("data", (d) => {
    err += d;
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve({ url: out.split("\n")[0] ?? "", child });
    });
    child.once("exit", (code) => reject(new Error(`airlock serve exited (${code}): ${err}`)));
  });
}

async function measure(setup: Setup, total: number) {
  const dir = mkdtempSync(join(tmpdir(), "airlock-bench-cluster-"));
  const database = `airlock_bench_${process.pid}_${setup.replicas}`;
  const keyFile = join(dir, "audit.key");
  spawnSync(process.execPath, [
    BIN,
    "audit",
    "keygen",
    "--origin",
    "airlock.bench/cluster",
    "--out",
    keyFile,
  ]);
  const storeArgs = setup.store ? ["--store", `postgres://${PG.user}@${PG.host}:${PG.port}/${database}`] : [];
  if (setup.store) await admin(`CREATE DATABASE ${database}`);
  const children: ChildProcess[] = [];
  try {
    const servers = [];
    for (let i = 0; i < setup.replicas; i++) {
      const dataDir = join(dir, `replica-${i}`);
      servers.push(
        await startServer(["--data-dir", dataDir, ...storeArgs], { AIRLOCK_AUDIT_KEY_FILE: keyFile }),
      );
      children.push((servers.at(-1) as { child: ChildProcess }).child);
    }
    // The token is written like any entry: with the cluster's key, through a data directory of its own.
    const tools = ["--data-dir", setup.store ? join(dir, "tools") : join(dir, "replica-0")];
    const made = spawnSync(
      process.execPath,
      [
        BIN,
        "token",
        "create",
        ...storeArgs,
        ...tools,
        "--name",
        "bench",
        "--role",
        "agent",
        "--on-behalf-of",
        "ops",
      ],
      { encoding: "utf8", env: { ...process.env, AIRLOCK_AUDIT_KEY_FILE: keyFile } },
    );
    if (made.status !== 0) throw new Error(`token create failed: ${made.stderr}`);
    const token = made.stdout.trim();
    const urls = servers.map((s) => s.url);
    await load(urls, token, 1_000, CONCURRENCY); // warm: parsers loaded, JIT settled, pools open
    return await load(urls, token, total, CONCURRENCY);
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))),
    );
    if (setup.store) await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchCluster(total = 10_000): Promise<string> {
  const lines = [
    `\nairlock serve: one server or replicas, POST /v1/actions over HTTP, ${CONCURRENCY} keep-alive clients, ${total.toLocaleString()} actions each, every answer durable:`,
  ];
  let base: number | undefined;
  for (const setup of SETUPS) {
    const r = await measure(setup, total);
    base ??= r.perSec;
    lines.push(
      `  ${setup.name.padEnd(28)} ${Math.round(r.perSec).toLocaleString().padStart(7)} actions/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (${(r.perSec / base).toFixed(2)}× the SQLite server's throughput)`,
    );
  }
  lines.push(
    "  (replicas on one machine share its cores and its database: the last line is the cost of coordinating them, not how they scale on machines of their own)",
  );
  return lines.join("\n");
}
