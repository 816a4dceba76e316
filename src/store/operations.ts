import { SCHEMA_VERSION } from "./migrations.js";

/**
 * What a server running several replicas asks of its store beyond data: whether it is ready, and a
 * lease so that one replica at a time runs the sweeps and signs checkpoints. Each adapter implements
 * both; the embedded SQLite store trivially (one process owns its file), PostgreSQL with a session
 * advisory lock that the database drops when the holder's connection ends, so a replica that dies
 * or loses the database loses the lease and another takes it.
 */

export type StoreHealth =
  | { ok: true; schema: number }
  | {
      ok: false;
      /** `store_unavailable`: not reachable; `schema_outdated`/`schema_newer`: not the version this binary runs. */
      code: "store_unavailable" | "schema_outdated" | "schema_newer";
      message: string;
    };

export interface Lease {
  readonly name: string;
  /**
   * Whether this process still holds it: false once the connection that holds it is gone (the
   * database released it, and another replica may hold it now). Never throws.
   */
  held(): Promise<boolean>;
  /** Give it up (at stop), so another replica takes over at once rather than when this one is gone. */
  release(): Promise<void>;
}

export interface OperableStore {
  /** Reachable, and its schema the version this binary knows. Never throws. */
  health(): Promise<StoreHealth>;
  /** The lease `name` if no other process holds it now; undefined otherwise (or when the store is unreachable). */
  acquireLease(name: string): Promise<Lease | undefined>;
}

/** The schema version a store has, against the one this binary runs. */
export function schemaHealth(version: number): StoreHealth {
  if (version === SCHEMA_VERSION) return { ok: true, schema: version };
  return version > SCHEMA_VERSION
    ? {
        ok: false,
        code: "schema_newer",
        message: `the store has schema version ${version}, newer than this airlock (${SCHEMA_VERSION}); upgrade airlock`,
      }
    : {
        ok: false,
        code: "schema_outdated",
        message: `the store has schema version ${version}; this airlock needs ${SCHEMA_VERSION}`,
      };
}
