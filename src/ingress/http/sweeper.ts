import type { Lease, OperableStore } from "../../store/operations.js";
import type { Log } from "./logger.js";

/** The one lease of a cluster's background work. */
export const SWEEP_LEASE = "airlock.sweeps";

export interface SweeperOptions {
  store: OperableStore;
  /** Every replica: what only it can write (the sums of the refused calls it counted). */
  everyReplica: () => Promise<unknown>;
  /** The lease holder only: releases, expiries, trips whose time is up. */
  sweep: () => Promise<unknown>;
  /** The lease holder only: sign a checkpoint, keep it, notify it. */
  checkpoint: () => Promise<unknown>;
  sweepMs: number;
  checkpointMs: number;
  log: Log;
  /** Told whenever this replica gains or loses the lease. */
  onLease?: (held: boolean) => void;
}

/**
 * The background work of `airlock serve`, run by one replica of a cluster at a time. Each tick checks
 * the lease (taking it when free), so a replica that died or lost the database, and with it the
 * lease, is replaced within a tick. Correctness does not rest on the lease: releases are versioned
 * updates and checkpoints keyed by size, so two sweepers in the moment of a handover cannot release
 * twice or sign two trees of one size; the lease keeps the work from being done once per replica.
 */
export class Sweeper {
  readonly #o: SweeperOptions;
  #lease: Lease | undefined;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> | undefined;
  #lastCheckpoint = 0;

  constructor(options: SweeperOptions) {
    this.#o = options;
  }

  /** Run a first tick now (so a lone server signs at start), then one every `sweepMs`. */
  async start(): Promise<void> {
    await this.tick();
    this.#timer = setInterval(() => void this.tick(), this.#o.sweepMs);
  }

  /** One round; a round still running is not overlapped. */
  tick(): Promise<void> {
    this.#tick ??= this.#round().finally(() => {
      this.#tick = undefined;
    });
    return this.#tick;
  }

  async #round(): Promise<void> {
    const { log } = this.#o;
    await this.#o
      .everyReplica()
      .catch((err: Error) => log(`sweep failed: ${err.message}`, { level: "error" }));
    if (!(await this.#hold())) return;
    await this.#o.sweep().catch((err: Error) => log(`sweep failed: ${err.message}`, { level: "error" }));
    if (Date.now() - this.#lastCheckpoint >= this.#o.checkpointMs) {
      this.#lastCheckpoint = Date.now();
      await this.#o
        .checkpoint()
        .catch((err: Error) => log(`checkpoint failed: ${err.message}`, { level: "error" }));
    }
  }

  /** Whether this replica holds the lease now, taking it when it is free. */
  async #hold(): Promise<boolean> {
    const { log } = this.#o;
    if (this.#lease) {
      if (await this.#lease.held()) return true;
      this.#lease = undefined;
      this.#o.onLease?.(false);
      log("airlock serve: lost the sweep lease; another replica runs the sweeps", { level: "warn" });
    }
    const lease = await this.#o.store.acquireLease(SWEEP_LEASE).catch(() => undefined);
    if (!lease) return false;
    this.#lease = lease;
    // A new holder signs at once: the previous one may have died before its next checkpoint.
    this.#lastCheckpoint = 0;
    this.#o.onLease?.(true);
    log("airlock serve: holds the sweep lease: runs the sweeps and signs checkpoints for the cluster", {
      lease: SWEEP_LEASE,
    });
    return true;
  }

  /** Stop ticking; whether this replica still holds the lease (then sign a last checkpoint, and `release`). */
  async stop(): Promise<boolean> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#tick;
    return this.#lease !== undefined && (await this.#lease.held());
  }

  async release(): Promise<void> {
    const lease = this.#lease;
    this.#lease = undefined;
    await lease?.release().catch(() => undefined);
  }
}
