import { StoreUnavailable } from "./errors.js";

/**
 * Versioned schema changes, applied in order and recorded in `schema_migrations`, the same list for
 * every adapter: plain SQL both engines accept (TEXT, INTEGER, DOUBLE PRECISION, partial indexes), but
 * for BLOB, which the PostgreSQL adapter reads as BYTEA (`forPostgres`). Never edit a migration that
 * has shipped: add the next one.
 */
export const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE requests (
        id TEXT PRIMARY KEY,
        digest TEXT NOT NULL,
        agent TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        releasable_at TEXT,
        version INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE UNIQUE INDEX requests_open ON requests (digest, agent) WHERE status IN ('pending', 'approved');
      CREATE INDEX requests_by_digest ON requests (digest, agent, created_at);
      CREATE INDEX requests_by_status ON requests (status, created_at);

      CREATE TABLE tokens (
        hash TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT,
        body TEXT NOT NULL
      );
      CREATE INDEX tokens_by_name ON tokens (name);

      CREATE TABLE sessions (
        hash TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL,
        csrf TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );

      CREATE TABLE audit_entries (
        idx INTEGER PRIMARY KEY,
        entry TEXT NOT NULL,
        leaf_hash BLOB NOT NULL
      );

      CREATE TABLE checkpoints (
        size INTEGER PRIMARY KEY,
        note TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE pauses (
        scope TEXT PRIMARY KEY,
        paused_by TEXT NOT NULL,
        reason TEXT,
        paused_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    sql: `
      CREATE TABLE breaker_counts (
        breaker TEXT NOT NULL,
        scope TEXT NOT NULL,
        event_key TEXT NOT NULL,
        bucket TEXT NOT NULL,
        total DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (breaker, scope, event_key, bucket)
      );

      CREATE TABLE breaker_trips (
        id TEXT PRIMARY KEY,
        breaker TEXT NOT NULL,
        scope TEXT NOT NULL,
        tripped_at TEXT NOT NULL,
        until_at TEXT,
        reset_at TEXT,
        body TEXT NOT NULL
      );
      CREATE UNIQUE INDEX breaker_trips_open ON breaker_trips (breaker, scope) WHERE reset_at IS NULL;
    `,
  },
  {
    version: 4,
    sql: `
      CREATE TABLE freezes (
        scope TEXT PRIMARY KEY,
        until_at TEXT NOT NULL,
        declared_by TEXT NOT NULL,
        reason TEXT,
        declared_at TEXT NOT NULL
      );
    `,
  },
  {
    // The signed tree head, rewritten in the same transaction as every batch of audit entries.
    version: 5,
    sql: `
      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        size INTEGER NOT NULL,
        note TEXT NOT NULL
      );
    `,
  },
];

/** The newest schema this airlock knows. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** An older airlock refuses a store a newer one migrated: it would not know what its tables mean. */
export function checkSchemaVersion(applied: Iterable<number>): void {
  const newest = Math.max(0, ...applied);
  if (newest > SCHEMA_VERSION)
    throw new StoreUnavailable(
      `the store has schema version ${newest}, newer than this airlock knows (${SCHEMA_VERSION}): ` +
        "upgrade airlock to the version that wrote it (never downgrade a store)",
      "store_schema_newer",
    );
}

/** A migration's SQL as PostgreSQL spells it: binary columns are BYTEA there. */
export function forPostgres(sql: string): string {
  return sql.replace(/\bBLOB\b/g, "BYTEA");
}
