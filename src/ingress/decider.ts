import { randomUUID } from "node:crypto";
import type { Decision } from "../action/decision.js";
import { failClosed } from "../gate/fail-closed.js";
import { AirlockClient } from "../sdk/client.js";
import { followHold } from "../sdk/follow-hold.js";
import { AnalysisPool } from "./analysis-pool.js";

/**
 * What every interception point (agent hooks, the MCP proxy) asks: one Action in, one Decision out.
 * `decide` never throws; whatever goes wrong is a deny that says what to do.
 */
export interface Decider {
  /** `local`: this process analyses and applies the policy. `remote`: `airlock serve` decides. */
  readonly mode: "local" | "remote";
  /** `signal` aborts when the caller's deadline passed: a local analysis still running is stopped. */
  decide(action: unknown, signal?: AbortSignal): Promise<Decision>;
}

export interface DeciderOptions {
  /** `airlock serve`; without it the decision is taken here, under the local policy. */
  url?: string;
  /** The agent token for `airlock serve`. */
  token?: string;
  /** The local policy file (default: the built-in policy). */
  policyPath?: string;
  /** Remote only: how long to wait for a held action's approval before answering hold (default 0). */
  waitSeconds?: number;
  /** Remote only: how long one HTTP call may take (default 5000 ms). */
  timeoutMs?: number;
  /** Remote only: between two looks at a pending request (default 1000 ms). */
  pollMs?: number;
  /** For tests and other runtimes. */
  fetch?: typeof fetch;
}

/** The options the environment configures: AIRLOCK_URL, AIRLOCK_TOKEN, AIRLOCK_WAIT_SECONDS, AIRLOCK_POLICY. */
export function deciderOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DeciderOptions {
  const wait = env.AIRLOCK_WAIT_SECONDS;
  return {
    ...(env.AIRLOCK_URL ? { url: env.AIRLOCK_URL } : {}),
    ...(env.AIRLOCK_TOKEN !== undefined ? { token: env.AIRLOCK_TOKEN } : {}),
    ...(env.AIRLOCK_POLICY ? { policyPath: env.AIRLOCK_POLICY } : {}),
    ...(wait !== undefined && wait !== "" ? { waitSeconds: Number(wait) } : {}),
  };
}

/** A decider that denies everything, for a configuration that cannot work. */
function refusing(
  mode: Decider["mode"],
  code: "policy_error" | "server_unavailable",
  reason: string,
): Decider {
  return { mode, decide: async (action) => failClosed(action, code, reason) };
}

export function createDecider(options: DeciderOptions = {}): Decider {
  if (!options.url) return new LocalDecider(options.policyPath);
  if (!options.token)
    return refusing(
      "remote",
      "server_unavailable",
      "AIRLOCK_URL is set but AIRLOCK_TOKEN is not, so airlock cannot ask its server; the action is denied. Set AIRLOCK_TOKEN to an agent token from `airlock token create`.",
    );
  const wait = options.waitSeconds ?? 0;
  if (!Number.isFinite(wait) || wait < 0)
    return refusing(
      "remote",
      "server_unavailable",
      `AIRLOCK_WAIT_SECONDS must be a number of seconds (0 or more), not "${options.waitSeconds}"; the action is denied until it is fixed.`,
    );
  return new RemoteDecider(options, wait);
}

/** The worker threads of this process's local deciders (started on the first local decision). */
let pool: AnalysisPool | undefined;

/**
 * The local policy, applied in a worker thread of the analysis pool: the caller's deadline is kept
 * on this thread and stops the worker when it passes. Each decider loads its policy once, on the
 * first call; a new decider (the hook daemon makes one when the file changes) loads it again.
 */
class LocalDecider implements Decider {
  readonly mode = "local";
  readonly #policy = randomUUID();

  constructor(private readonly policyPath: string | undefined) {}

  decide(action: unknown, signal?: AbortSignal): Promise<Decision> {
    pool ??= new AnalysisPool();
    return pool.decide(this.#policy, this.policyPath, action, signal);
  }
}

/**
 * `airlock serve` decides. With a wait, a hold is followed until it is approved and releasable, and
 * the identical Action is then submitted again, which the server answers with its one-time allow.
 */
class RemoteDecider implements Decider {
  readonly mode = "remote";
  readonly #client: AirlockClient;

  constructor(
    private readonly options: DeciderOptions,
    private readonly waitSeconds: number,
  ) {
    this.#client = new AirlockClient({
      url: options.url ?? "",
      token: options.token ?? "",
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async decide(action: unknown): Promise<Decision> {
    const first = await this.#client.submit(action);
    return followHold(action, first, {
      waitMs: this.waitSeconds * 1000,
      watcher: this.#client,
      resubmit: () => this.#client.submit(action),
      ...(this.options.pollMs !== undefined ? { intervalMs: this.options.pollMs } : {}),
    });
  }
}
