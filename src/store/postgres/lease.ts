import { createHash } from "node:crypto";
import pg from "pg";
import type { Lease } from "../operations.js";

/** How long a lease's check or take may wait on the database before it counts as lost. */
const QUERY_TIMEOUT_MS = 10_000;
/**
 * The server closes a session whose peer stopped answering after about idle + interval × count
 * seconds: a replica cut off from the database (not only one that died, which closes its socket)
 * loses its lease within half a minute, and another replica takes it.
 */
const KEEPALIVE = "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3";

/** The advisory lock key of a lease name: 64 bits of its SHA-256, so names need no registry of numbers. */
export function leaseKey(name: string): string {
  return createHash("sha256").update(`airlock:${name}`).digest().readBigInt64BE(0).toString();
}

/**
 * Leases as PostgreSQL session advisory locks, on one connection of their own (never a pooled one:
 * the lock belongs to the session). The database drops the lock when that session ends, whether the
 * replica stopped, was killed or lost the network, so the lease cannot outlive its holder's session;
 * the holder learns it lost the lease the first time its session fails (`held` is false from then on).
 */
export class AdvisoryLeases {
  readonly #config: pg.ClientConfig;
  #session: Promise<pg.Client> | undefined;
  /** Bumped whenever the session is lost: leases taken on an older one are gone. */
  #generation = 0;

  /** `connection`: the store's (connection.ts), the password included. */
  constructor(connection: pg.ClientConfig) {
    this.#config = {
      ...connection,
      application_name: "airlock lease",
      keepAlive: true,
      keepAliveInitialDelayMillis: 5_000,
      connectionTimeoutMillis: QUERY_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
      options: KEEPALIVE,
    };
  }

  async acquire(name: string): Promise<Lease | undefined> {
    const key = leaseKey(name);
    let session: pg.Client;
    try {
      session = await this.#connect();
      const { rows } = await session.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS ok", [
        key,
      ]);
      if (!rows[0]?.ok) return undefined;
    } catch {
      this.#lost();
      return undefined;
    }
    const generation = this.#generation;
    let released = false;
    return {
      name,
      held: async () => {
        if (released || generation !== this.#generation) return false;
        try {
          await session.query("SELECT 1");
          return generation === this.#generation;
        } catch {
          if (generation === this.#generation) this.#lost();
          return false;
        }
      },
      release: async () => {
        if (released || generation !== this.#generation) return;
        released = true;
        await session.query("SELECT pg_advisory_unlock($1::bigint)", [key]).catch(() => this.#lost());
      },
    };
  }

  /** End the session (releasing whatever it holds). */
  async close(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    this.#generation++;
    await session?.then((c) => c.end()).catch(() => undefined);
  }

  #connect(): Promise<pg.Client> {
    this.#session ??= (async () => {
      const client = new pg.Client(this.#config);
      const generation = this.#generation;
      // A broken session is noticed here or at the next query; either way its leases are gone.
      client.on("error", () => {
        if (generation === this.#generation) this.#lost();
      });
      await client.connect();
      return client;
    })();
    return this.#session;
  }

  #lost(): void {
    const session = this.#session;
    this.#session = undefined;
    this.#generation++;
    void session?.then((c) => c.end()).catch(() => undefined);
  }
}
