/**
 * What looking up a statement's relations in the catalog (views, policies, triggers, rules: see
 * src/ingress/postgres/reached.ts) costs a plain read. In process: one look-up against the real
 * PostgreSQL (a cache miss: the round trip airlock's own catalog connection makes), and a cached
 * answer (what every other read of the same relations pays within CATALOG_TTL_MS). End to end, when
 * BENCH_PG_BASE_BIN names the bin/airlock.mjs of a build without the look-up: the same primary-key
 * read through that server and through this one, interleaved query by query on the same database.
 * Run: npx tsx bench/pg-catalog.ts (after npm run build). Needs PostgreSQL on 127.0.0.1:5432 and pgbench.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FunctionCatalog } from "../src/ingress/postgres/catalog.js";
import { splitStatements } from "../src/ingress/postgres/statements.js";
import { admin, alternate, percentiles, pgbenchInit, proxyClient, startServe } from "./pg-proxy.js";

const PG = { host: "127.0.0.1", port: 5432, user: "postgres" };
const READ = "SELECT abalance FROM pgbench_accounts WHERE aid = 1";

async function inProcess(database: string) {
  const relations = splitStatements(READ)[0]?.relations;
  const misses: number[] = [];
  for (let i = 0; i < 200; i++) {
    const catalog = new FunctionCatalog({ ...PG, database, sslmode: "disable" });
    await catalog.calls([], relations); // the connection's login, not counted
    catalog.changed();
    const started = process.hrtime.bigint();
    await catalog.calls([], relations);
    misses.push(Number(process.hrtime.bigint() - started) / 1e6);
    catalog.close();
  }
  const catalog = new FunctionCatalog({ ...PG, database, sslmode: "disable" });
  await catalog.calls([], relations);
  const hits = 100_000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < hits; i++) await catalog.calls([], relations);
  const perHitUs = Number(process.hrtime.bigint() - started) / 1e3 / hits;
  catalog.close();
  return { miss: percentiles(misses), perHitUs, lookups: catalog.lookups };
}

async function sideBySide(database: string, baseBin: string, queries: number) {
  const base = await startServe(mkdtempSync(join(tmpdir(), "airlock-pg-cat-")), database, "", baseBin);
  const now = await startServe(mkdtempSync(join(tmpdir(), "airlock-pg-cat-")), database);
  const open = async (s: { port: number; token: string }) => {
    const c = proxyClient(s);
    await c.connect();
    return c;
  };
  const [b, n] = [await open(base), await open(now)];
  try {
    const { a, b: after, diff } = await alternate(b, n, queries);
    return { base: a, now: after, diff };
  } finally {
    await b.end();
    await n.end();
    await base.stop();
    await now.stop();
  }
}

async function main(): Promise<void> {
  const database = `airlock_bench_catalog_${process.pid}`;
  await admin(`CREATE DATABASE ${database}`);
  try {
    pgbenchInit(database);
    const f = await inProcess(database);
    const ms = (n: number) => `${n.toFixed(3)} ms`;
    console.log(`catalog look-up of a read's relations (${READ}):`);
    console.log(
      `  miss (one round trip on airlock's catalog connection)  p50 ${ms(f.miss.p50)}  p99 ${ms(f.miss.p99)}`,
    );
    console.log(
      `  cached answer  ${f.perHitUs.toFixed(2)} µs per read (100,000 reads, ${f.lookups} look-up)`,
    );
    const baseBin = process.env.BENCH_PG_BASE_BIN;
    if (!baseBin) return;
    const queries = Number(process.env.BENCH_PG_QUERIES ?? 2000);
    const s = await sideBySide(database, baseBin, queries);
    console.log(
      `same read through a build without the look-up and through this one, ${queries} interleaved:`,
    );
    console.log(`  base  p50 ${ms(s.base.p50)}  p99 ${ms(s.base.p99)}`);
    console.log(`  now   p50 ${ms(s.now.p50)}  p99 ${ms(s.now.p99)}`);
    console.log(`  now − base  p50 ${ms(s.diff.p50)}  p99 ${ms(s.diff.p99)}`);
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

await main();
