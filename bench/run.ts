/**
 * `npm run bench`: throughput and latency of the gate on the labelled corpora, in-process and
 * through `airlock check --batch`, cold start of `airlock check --json`, and peak memory.
 * Figures are compared side by side in the same run, as ratios, because the machine is shared and noisy.
 */
import { spawnSync } from "node:child_process";
import { evaluate } from "../src/gate/decide.js";
import { loadPolicy } from "../src/gate/policy-loader.js";
import { corpusKinds, loadCorpus } from "../test/corpora/corpus.js";

const BIN = new URL("../bin/airlock.mjs", import.meta.url).pathname;
const STRUCTURED = new Set([
  "sql",
  "aws",
  "k8s",
  "terraform-plan",
  "cloudformation-changeset",
  "http",
  "mcp",
]);
const TARGET_ACTIONS = Number(process.env.BENCH_ACTIONS ?? 100_000);

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

function fmt(n: number, digits = 1): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

interface Row {
  kind: string;
  inProcessPerSec: number;
  p50: number;
  p99: number;
  batchPerSec: number;
  batchMaxRssMiB: number;
}

async function inProcess(actions: unknown[], policy: Awaited<ReturnType<typeof loadPolicy>>) {
  for (const a of actions) await evaluate(a, policy); // warm: parsers loaded, JIT settled
  const n = Math.max(TARGET_ACTIONS, actions.length);
  const times = new Float64Array(n);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await evaluate(actions[i % actions.length], policy);
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  times.sort();
  return { perSec: n / seconds, p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

function batch(actions: unknown[]) {
  const n = Math.max(TARGET_ACTIONS, actions.length);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(JSON.stringify(actions[i % actions.length]));
  const input = `${lines.join("\n")}\n`;
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [BIN, "check", "--batch", "-", "--stats"], {
    input,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`check --batch failed: ${run.stderr}`);
  const rss = /max RSS (\d+) KiB/.exec(run.stderr)?.[1];
  return { perSec: n / seconds, maxRssMiB: rss ? Number(rss) / 1024 : Number.NaN };
}

function coldStart(args: string[], runs = 15): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, args, { encoding: "utf8" });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

async function main() {
  const policy = await loadPolicy();
  const rows: Row[] = [];
  for (const kind of corpusKinds()) {
    const actions = loadCorpus(kind).map((c) => c.action);
    const mem = await inProcess(actions, policy);
    const b = batch(actions);
    rows.push({
      kind,
      inProcessPerSec: mem.perSec,
      p50: mem.p50,
      p99: mem.p99,
      batchPerSec: b.perSec,
      batchMaxRssMiB: b.maxRssMiB,
    });
  }
  const all = [...rows.filter((r) => STRUCTURED.has(r.kind))];
  console.log(
    `\nairlock bench — ${TARGET_ACTIONS.toLocaleString()} actions per kind, node ${process.version}, one core\n`,
  );
  console.log(
    "kind                        in-process/s   p50 µs   p99 µs   check --batch/s   batch÷in-process   batch peak RSS",
  );
  for (const r of rows) {
    console.log(
      `${r.kind.padEnd(26)} ${fmt(r.inProcessPerSec, 0).padStart(13)} ${fmt(r.p50).padStart(8)} ${fmt(r.p99).padStart(8)} ${fmt(r.batchPerSec, 0).padStart(17)} ${fmt(r.batchPerSec / r.inProcessPerSec, 2).padStart(18)} ${fmt(r.batchMaxRssMiB).padStart(12)} MiB`,
    );
  }
  if (all.length > 0) {
    const harmonic = all.length / all.reduce((s, r) => s + 1 / r.inProcessPerSec, 0);
    const worstP99 = Math.max(...all.map((r) => r.p99));
    console.log(
      `\nstructured kinds: ${fmt(harmonic, 0)} actions/s in-process (target ≥ 50,000), worst p99 ${fmt(worstP99)} µs (target ≤ 100)`,
    );
  }
  const nodeBaseline = coldStart(["-e", ""]);
  const cold = coldStart([
    BIN,
    "check",
    "--json",
    '{"kind":"k8s","verb":"delete","resource":"namespaces","name":"payments","kubeContext":"prod-eu"}',
  ]);
  const coldSql = coldStart([BIN, "check", "--json", '{"kind":"sql","sql":"DROP DATABASE orders_prod"}']);
  console.log(
    `\ncold start (median of 15): node -e '' ${fmt(nodeBaseline)} ms; airlock check --json k8s ${fmt(cold)} ms (${fmt(cold / nodeBaseline, 2)}× node); sql ${fmt(coldSql)} ms (${fmt(coldSql / nodeBaseline, 2)}× node); target ≤ 150 ms`,
  );
  console.log(`bench process peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MiB`);
}

await main();
