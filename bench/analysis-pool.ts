/**
 * What running the local analysis in a worker thread (src/ingress/analysis-pool.ts) costs the hooks
 * and the MCP proxy, in the same run: each corpus action decided in-process and through a warm pool,
 * interleaved (the daemon's and the proxy's case), and the fixed price of starting one worker thread,
 * which a one-shot `airlock hook` pays once (its modules load in the worker instead of the main thread).
 */

import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { AnalysisPool } from "../src/ingress/analysis-pool.js";
import { localDecide } from "../src/local/decider.js";
import { corpusKinds, loadCorpus } from "../test/corpora/corpus.js";

export interface PoolFigures {
  calls: number;
  inProcessUs: number;
  pooledUs: number;
  /** Median of (pooled − in-process) over neighbouring pairs. */
  addedUs: number;
  /** Starting a worker thread and one message round trip, median of 15. */
  workerStartMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function workerStart(): Promise<number> {
  const start = process.hrtime.bigint();
  const worker = new Worker(
    "require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m))",
    { eval: true },
  );
  await new Promise<void>((resolve) => {
    worker.once("message", () => resolve());
    worker.postMessage(1);
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await worker.terminate();
  return ms;
}

export async function benchAnalysisPool(): Promise<PoolFigures> {
  const actions = corpusKinds().flatMap((kind) =>
    loadCorpus(kind)
      .filter((c) => c.label !== "edge")
      .map((c) => c.action),
  );
  const local = { decide: localDecide(undefined) };
  const pool = new AnalysisPool(1);
  // Warm both: the policy compiled, every analyzer loaded, on each side.
  for (const action of actions) {
    await local.decide(action);
    await pool.decide("bench", undefined, action);
  }
  const inProcess: number[] = [];
  const pooled: number[] = [];
  const added: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const action of actions) {
      const t0 = process.hrtime.bigint();
      await local.decide(action);
      const t1 = process.hrtime.bigint();
      await pool.decide("bench", undefined, action);
      const t2 = process.hrtime.bigint();
      const a = Number(t1 - t0) / 1e3;
      const b = Number(t2 - t1) / 1e3;
      inProcess.push(a);
      pooled.push(b);
      added.push(b - a);
    }
  }
  await pool.close();
  const starts: number[] = [];
  for (let i = 0; i < 15; i++) starts.push(await workerStart());
  const figures = {
    calls: inProcess.length,
    inProcessUs: median(inProcess),
    pooledUs: median(pooled),
    addedUs: median(added),
    workerStartMs: median(starts),
  };
  process.stdout.write(
    `analysis in a worker thread (${figures.calls} corpus actions, interleaved): in-process ${figures.inProcessUs.toFixed(0)} µs, through the pool ${figures.pooledUs.toFixed(0)} µs per decision (median added ${figures.addedUs.toFixed(0)} µs, ratio ${(figures.pooledUs / figures.inProcessUs).toFixed(2)}); starting one worker thread ${figures.workerStartMs.toFixed(1)} ms (paid once per \`airlock hook\` process)\n`,
  );
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchAnalysisPool();
