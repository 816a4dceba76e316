/**
 * The two stores side by side: durable audit appends per second on SQLite (WAL, synchronous=FULL) and on
 * PostgreSQL (synchronous_commit on), each with a signed tree head in every commit as `airlock serve`
 * runs them; one caller at a time (with its latency) and 512 concurrent callers sharing group commits;
 * and on PostgreSQL, the same load spread over three stores on one database, as three replicas would
 * (their commits serialized by the database's advisory lock). Target: ≥ 5,000 appends/s on PostgreSQL.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { loadOrCreateSigner } from "../src/audit/keys.js";
import { LogSealer } from "../src/audit/sealer.js";
import { verifyStoredLog } from "../src/audit/stored.js";
import type { Store } from "../src/store/port.js";
import { PostgresStore } from "../src/store/postgres/store.js";
import { SqliteStore } from "../src/store/sqlite/store.js";
import { appendAll, draft } from "./audit.js";

const PG = { host: "127.0.0.1", port: 5432, user: "postgres" };

interface Figures {
  oneCaller: number;
  p50: number;
  p99: number;
  grouped: number;
}

/** One caller, each commit awaited before the next: appends per second and each commit's latency (ms). */
async function oneByOne(store: Store, count: number): Promise<Pick<Figures, "oneCaller" | "p50" | "p99">> {
  const times = new Float64Array(count);
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    await store.commit({ audit: [draft(i)] });
    times[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  times.sort();
  const at = (p: number) => times[Math.min(count - 1, Math.floor(count * p))] ?? Number.NaN;
  return { oneCaller: count / seconds, p50: at(0.5), p99: at(0.99) };
}

/** `count` appends from 512 callers spread over `stores`. */
async function spread(stores: Store[], count: number): Promise<number> {
  const per = Math.ceil(count / stores.length);
  const start = process.hrtime.bigint();
  await Promise.all(stores.map((s) => appendAll(s, per, Math.ceil(512 / stores.length))));
  return (per * stores.length) / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ ...PG, database: "postgres" });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => n.toFixed(2);

export async function benchStores(total = 100_000): Promise<void> {
  const single = Math.min(2_000, total);
  const dir = mkdtempSync(join(tmpdir(), "airlock-bench-store-"));
  mkdirSync(join(dir, "keys"));
  const keys = loadOrCreateSigner(join(dir, "keys"), "bench.airlock.local/store");
  const sealer = () => new LogSealer(keys.signerKey);
  const database = `airlock_bench_${randomBytes(6).toString("hex")}`;
  try {
    const sqliteOne = await SqliteStore.open(join(dir, "one"), { sealer: sealer() });
    const sqliteSingle = await oneByOne(sqliteOne, single);
    await sqliteOne.close();
    const sqliteMany = await SqliteStore.open(join(dir, "many"), { sealer: sealer() });
    const sqlite: Figures = { ...sqliteSingle, grouped: await spread([sqliteMany], total) };
    await sqliteMany.close();

    try {
      await admin(`CREATE DATABASE ${database}`);
    } catch (err) {
      console.log(
        `\nstores: PostgreSQL does not answer on ${PG.host}:${PG.port} (${(err as Error).message}); start it ` +
          "(`pg_ctlcluster 15 main start`, or `npm test` once) to compare the stores. SQLite alone: " +
          `one caller ${fmt(sqlite.oneCaller)}/s, group commit ${fmt(sqlite.grouped)}/s`,
      );
      return;
    }
    const url = `postgres://${PG.user}@${PG.host}:${PG.port}/${database}`;
    const pgOne = await PostgresStore.open({ url, sealer: sealer() });
    const pgSingle = await oneByOne(pgOne, single);
    const postgres: Figures = { ...pgSingle, grouped: await spread([pgOne], total) };
    await pgOne.close();
    const three = await Promise.all([1, 2, 3].map(() => PostgresStore.open({ url, sealer: sealer() })));
    const replicas = await spread(three, total);
    const verified = await verifyStoredLog(three[0] as Store, keys.verifierKey);
    for (const s of three) await s.close();

    console.log(
      "\nstores, durable audit appends with a signed head in every commit (entries/s; latency of one commit, ms)",
    );
    console.log("  store                      one caller   p50     p99     512 callers, group commit");
    const row = (name: string, f: Figures) =>
      `  ${name.padEnd(26)} ${fmt(f.oneCaller).padStart(10)}   ${ms(f.p50).padStart(5)}   ${ms(f.p99).padStart(5)}   ${fmt(f.grouped).padStart(8)}`;
    console.log(row("SQLite (WAL, FULL sync)", sqlite));
    console.log(row("PostgreSQL (sync commit)", postgres));
    console.log(
      `  PostgreSQL, 3 stores on one database (as 3 replicas): ${fmt(replicas)}/s, one log of ${verified.size.toLocaleString()} entries, ` +
        `${verified.ok ? "verified" : `FAILED: ${verified.problems[0]}`}`,
    );
    console.log(
      `  PostgreSQL ÷ SQLite: one caller ${(postgres.oneCaller / sqlite.oneCaller).toFixed(2)}×, group commit ` +
        `${(postgres.grouped / sqlite.grouped).toFixed(2)}×; PostgreSQL group commit ÷ one caller ` +
        `${(postgres.grouped / postgres.oneCaller).toFixed(1)}× (target ≥ 5,000/s: ${postgres.grouped >= 5000 ? "met" : "NOT met"})`,
    );
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  await benchStores(Number(process.env.BENCH_ACTIONS ?? 100_000));
