import { Worker } from "node:worker_threads";
import type { Decision } from "../action/decision.js";
import { failClosed } from "../gate/fail-closed.js";
import type { AnalysisRequest } from "./analysis-worker.js";

/**
 * Worker threads that run the local analysis and policy, so that the thread holding the deadline
 * (deadline.ts) is never the one analysing. A call whose signal aborts (its deadline passed) has its
 * worker terminated, however busy it is, and a fresh worker takes the next call. Idle workers keep
 * their compiled policies and do not keep the process alive.
 */

interface Job {
  request: AnalysisRequest;
  resolve: (decision: Decision) => void;
  signal: AbortSignal | undefined;
}

/** The bundled worker beside this chunk in dist/; from the sources (tests), the one the build wrote. */
function workerUrl(): URL {
  return import.meta.url.endsWith(".ts")
    ? new URL("../../dist/analysis-worker.mjs", import.meta.url)
    : new URL("./analysis-worker.mjs", import.meta.url);
}

function failed(action: unknown, why: string): Decision {
  return failClosed(
    action,
    "analysis_error",
    `airlock's analysis ${why}, so the action is denied; retry it, and report it if it persists.`,
  );
}

export class AnalysisPool {
  readonly #size: number;
  readonly #idle: Worker[] = [];
  readonly #busy = new Map<Worker, Job>();
  readonly #queue: Job[] = [];
  #nextId = 1;

  constructor(size = 2) {
    this.#size = Math.max(1, size);
  }

  /** Decide `action` under the policy at `policyPath` (the built-in one when absent) on a worker. */
  decide(
    policy: string,
    policyPath: string | undefined,
    action: unknown,
    signal?: AbortSignal,
  ): Promise<Decision> {
    if (signal?.aborted) return Promise.resolve(failed(action, "was cancelled before it started"));
    return new Promise((resolve) => {
      const request: AnalysisRequest = {
        id: this.#nextId++,
        policy,
        ...(policyPath !== undefined ? { policyPath } : {}),
        action,
      };
      const job: Job = { request, resolve, signal };
      signal?.addEventListener("abort", () => this.#abort(job), { once: true });
      this.#queue.push(job);
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      const worker = this.#idle.pop() ?? (this.#busy.size < this.#size ? this.#spawn() : undefined);
      if (worker === undefined) return;
      const job = this.#queue.shift() as Job;
      this.#busy.set(worker, job);
      worker.ref();
      try {
        worker.postMessage(job.request);
      } catch (err) {
        this.#finish(
          worker,
          failed(job.request.action, `could not be handed the action (${(err as Error).message})`),
        );
      }
    }
  }

  #spawn(): Worker {
    const worker = new Worker(workerUrl());
    worker.on("message", (message: { id: number; decision?: Decision; error?: string }) => {
      const job = this.#busy.get(worker);
      if (job === undefined || job.request.id !== message.id) return;
      this.#finish(worker, message.decision ?? failed(job.request.action, `failed (${message.error})`));
    });
    const lost = (why: string) => {
      const job = this.#busy.get(worker);
      this.#busy.delete(worker);
      this.#remove(worker);
      job?.resolve(failed(job.request.action, why));
      this.#pump();
    };
    worker.on("error", (err) => lost(`failed (${err.message})`));
    worker.on("exit", (code) => lost(`stopped (exit code ${code})`));
    return worker;
  }

  #finish(worker: Worker, decision: Decision): void {
    const job = this.#busy.get(worker);
    this.#busy.delete(worker);
    worker.unref();
    this.#idle.push(worker);
    job?.resolve(decision);
    this.#pump();
  }

  /** The deadline passed: drop a queued job, or end the worker running it. */
  #abort(job: Job): void {
    const queued = this.#queue.indexOf(job);
    if (queued >= 0) this.#queue.splice(queued, 1);
    for (const [worker, running] of this.#busy) {
      if (running !== job) continue;
      this.#busy.delete(worker);
      void worker.terminate();
    }
    job.resolve(failed(job.request.action, "did not finish in time and was stopped"));
    this.#pump();
  }

  #remove(worker: Worker): void {
    const at = this.#idle.indexOf(worker);
    if (at >= 0) this.#idle.splice(at, 1);
  }

  /** Stop every worker (the process is ending). */
  async close(): Promise<void> {
    const workers = [...this.#idle, ...this.#busy.keys()];
    this.#idle.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
