/**
 * `npm run bench`: throughput and latency of the gate on the labelled corpora, in-process and
 * through `airlock check --batch`, cold start of `airlock check --json`, and peak memory.
 * Figures are compared side by side in the same run, as ratios, because the machine is shared and noisy.
 *
 * Each corpus is repeated to BENCH_ACTIONS actions (default 100,000). The corpora hold deliberately
 * pathological edge cases (a 2 MB SQL string, a call naming 1,000 instances, nesting past the limit);
 * the "typical" columns leave out the cases labelled `edge`, which is what an agent sends day to day.
 */
import { spawnSync } from "node:child_process";
import { evaluate } from "../src/gate/decide.js";
import { loadPolicy } from "../src/local/policy-file.js";
import type { CompiledPolicy } from "../src/policy/compile.js";
import { corpusKinds, loadCorpus } from "../test/corpora/corpus.js";
import { benchAnalysisPool } from "./analysis-pool.js";
import { benchAudit } from "./audit.js";
import { benchAwsProxy } from "./aws-proxy.js";
import { benchBreakers } from "./breakers.js";
import { benchCluster } from "./cluster.js";
import { benchHook } from "./hook.js";
import { benchInterpreters } from "./interpreters.js";
import { benchMcpProxy, formatMcpProxyFigures } from "./mcp-proxy.js";
import { benchPgProxy, formatPgProxyFigures } from "./pg-proxy.js";
import { benchServe } from "./serve.js";
import { benchStores } from "./store.js";

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

interface Figures {
  perSec: number;
  p50: number;
  p99: number;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

function fmt(n: number, digits = 1): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

async function inProcess(actions: unknown[], policy: CompiledPolicy): Promise<Figures> {
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

/** Each action once, in order, after a short warm-up on other lines. */
async function inProcessOnce(actions: unknown[], policy: CompiledPolicy): Promise<Figures> {
  const times = new Float64Array(actions.length);
  const start = process.hrtime.bigint();
  for (let i = 0; i < actions.length; i++) {
    const t0 = process.hrtime.bigint();
    await evaluate(actions[i], policy);
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  times.sort();
  return { perSec: actions.length / seconds, p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

function batch(actions: unknown[]): Figures & { maxRssMiB: number } {
  const n = Math.max(TARGET_ACTIONS, actions.length);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(JSON.stringify(actions[i % actions.length]));
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [BIN, "check", "--batch", "-", "--stats"], {
    input: `${lines.join("\n")}\n`,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`check --batch failed: ${run.stderr}`);
  const stats = /p50 ([\d.]+) µs, p99 ([\d.]+) µs; max RSS (\d+) KiB/.exec(run.stderr);
  return {
    perSec: n / seconds,
    p50: Number(stats?.[1] ?? Number.NaN),
    p99: Number(stats?.[2] ?? Number.NaN),
    maxRssMiB: Number(stats?.[3] ?? Number.NaN) / 1024,
  };
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

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" ");
}

async function main() {
  const policy = await loadPolicy();
  const widths = [26, 11, 8, 9, 11, 8, 9, 11, 8, 9, 10];
  console.log(
    `\nairlock bench: ${TARGET_ACTIONS.toLocaleString()} actions per kind and column, node ${process.version}\n`,
  );
  console.log(
    row(
      [
        "",
        "in-process, all cases",
        "",
        "",
        "in-process, typical",
        "",
        "",
        "check --batch, typical",
        "",
        "",
        "",
      ],
      [26, 11, 8, 9, 11, 8, 9, 11, 8, 9, 10],
    ),
  );
  console.log(
    row(
      [
        "kind",
        "actions/s",
        "p50 µs",
        "p99 µs",
        "actions/s",
        "p50 µs",
        "p99 µs",
        "actions/s",
        "p50 µs",
        "p99 µs",
        "peak RSS",
      ],
      widths,
    ),
  );
  const typicalStructured: Figures[] = [];
  for (const kind of corpusKinds()) {
    const cases = loadCorpus(kind);
    const all = await inProcess(
      cases.map((c) => c.action),
      policy,
    );
    const typicalActions = cases.filter((c) => c.label !== "edge").map((c) => c.action);
    const typical = await inProcess(typicalActions, policy);
    const b = batch(typicalActions);
    if (STRUCTURED.has(kind)) typicalStructured.push(typical);
    console.log(
      row(
        [
          kind,
          fmt(all.perSec, 0),
          fmt(all.p50),
          fmt(all.p99),
          fmt(typical.perSec, 0),
          fmt(typical.p50),
          fmt(typical.p99),
          fmt(b.perSec, 0),
          fmt(b.p50),
          fmt(b.p99),
          `${fmt(b.maxRssMiB)} MiB`,
        ],
        widths,
      ),
    );
  }
  // The shell analyzer keeps lines it has parsed twice; a comment makes every line new, so this row
  // shows lines seen for the first time.
  const shellLines = loadCorpus("shell").filter((c) => c.label !== "edge");
  const unique: unknown[] = [];
  for (let i = 0; unique.length < TARGET_ACTIONS; i++) {
    const c = shellLines[i % shellLines.length]?.action as { command: string };
    unique.push({ ...c, command: `${c.command}\n# ${i}` });
  }
  const fresh = await inProcessOnce(unique, policy);
  console.log(
    row(
      [
        "shell, every line new",
        "",
        "",
        "",
        fmt(fresh.perSec, 0),
        fmt(fresh.p50),
        fmt(fresh.p99),
        "",
        "",
        "",
        "",
      ],
      widths,
    ),
  );
  if (typicalStructured.length > 0) {
    const harmonic = typicalStructured.length / typicalStructured.reduce((s, r) => s + 1 / r.perSec, 0);
    const worstP99 = Math.max(...typicalStructured.map((r) => r.p99));
    console.log(
      `\nstructured kinds, typical cases, in-process: ${fmt(harmonic, 0)} actions/s (target ≥ 50,000); worst p99 ${fmt(worstP99)} µs (target ≤ 100)`,
    );
  }
  const nodeBaseline = coldStart(["-e", ""]);
  const k8s = coldStart([
    BIN,
    "check",
    "--json",
    '{"kind":"k8s","verb":"delete","resource":"namespaces","name":"payments","kubeContext":"prod-eu"}',
  ]);
  const sql = coldStart([BIN, "check", "--json", '{"kind":"sql","sql":"DROP DATABASE orders_prod"}']);
  const shell = coldStart([BIN, "check", "--json", '{"kind":"shell","command":"rm -rf node_modules"}']);
  console.log(`\ncold start, median of 15 (target ≤ 150 ms): node -e '' ${fmt(nodeBaseline)} ms`);
  for (const [name, ms] of [
    ["k8s", k8s],
    ["sql", sql],
    ["shell", shell],
  ] as const) {
    console.log(
      `  airlock check --json ${name.padEnd(6)} ${fmt(ms).padStart(7)} ms  (${fmt(ms / nodeBaseline, 2)}× node alone)`,
    );
  }
  console.log(`bench process peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MiB`);
  await benchAudit({ durable: TARGET_ACTIONS, verify: Number(process.env.BENCH_AUDIT_VERIFY ?? 1_000_000) });
  await benchStores(TARGET_ACTIONS);
  await benchServe(Math.min(TARGET_ACTIONS, 20_000));
  console.log(await benchCluster(Math.min(TARGET_ACTIONS, 10_000)));
  await benchBreakers();
  console.log("\ninterpreter code on shell lines (in-process, through the gate)");
  for (const line of await benchInterpreters(policy, TARGET_ACTIONS)) console.log(`  ${line}`);
  benchHook();
  await benchAnalysisPool();
  console.log(formatMcpProxyFigures(await benchMcpProxy()));
  console.log(formatPgProxyFigures(await benchPgProxy()));
  // Needs moto_server on PATH (pip install 'moto[server]'); BENCH_AWS_STREAM_MIB sizes the streamed object.
  await benchAwsProxy();
}

await main();
