/** Every statement the PostgreSQL store runs, by name (the same tables as SQLite: store/migrations.ts). */
export const SQL = {
  insertRequest: `INSERT INTO requests (id, digest, agent, status, created_at, expires_at, releasable_at, version, body)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
  updateRequest: `UPDATE requests SET status = $2, expires_at = $3, releasable_at = $4, version = $5, body = $6
    WHERE id = $1 AND version = $7`,
  requestById: "SELECT body FROM requests WHERE id = $1",
  openRequest:
    "SELECT body FROM requests WHERE digest = $1 AND agent = $2 AND status IN ('pending', 'approved')",
  latestRequest:
    "SELECT body FROM requests WHERE digest = $1 AND agent = $2 ORDER BY created_at DESC, id DESC LIMIT 1",
  requestsByStatus: "SELECT body FROM requests WHERE status = $1 ORDER BY created_at DESC LIMIT $2",
  requestsPendingFirst:
    "SELECT body FROM requests ORDER BY CASE status WHEN 'pending' THEN 0 WHEN 'approved' THEN 1 ELSE 2 END, created_at DESC LIMIT $1",
  dueRequests: `SELECT body FROM requests WHERE status IN ('pending', 'approved')
    AND (expires_at <= $1 OR (status = 'pending' AND releasable_at <= $1))`,

  insertToken: "INSERT INTO tokens (hash, name, created_at, body) VALUES ($1, $2, $3, $4)",
  revokeTokens: "UPDATE tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL",
  tokenByHash: "SELECT body, revoked_at FROM tokens WHERE hash = $1",
  allTokens: "SELECT body, revoked_at FROM tokens ORDER BY created_at",

  insertSession:
    "INSERT INTO sessions (hash, name, token_hash, csrf, expires_at) VALUES ($1, $2, $3, $4, $5)",
  sessionByHash: "SELECT hash, name, token_hash, csrf, expires_at FROM sessions WHERE hash = $1",
  deleteSession: "DELETE FROM sessions WHERE hash = $1",
  deleteExpiredSessions: "DELETE FROM sessions WHERE expires_at <= $1",

  /** The log's entries of one commit, in one statement. */
  insertEntries: `INSERT INTO audit_entries (idx, entry, leaf_hash)
    SELECT * FROM unnest($1::integer[], $2::text[], $3::bytea[])`,
  /** The entries of one commit and the signed head after them, in one statement. */
  insertEntriesAndHead: `WITH appended AS (INSERT INTO audit_entries (idx, entry, leaf_hash)
    SELECT * FROM unnest($1::integer[], $2::text[], $3::bytea[]))
    INSERT INTO audit_head (id, size, note) VALUES (1, $4, $5)
    ON CONFLICT (id) DO UPDATE SET size = excluded.size, note = excluded.note`,
  auditTail: "SELECT idx, entry, leaf_hash FROM audit_entries ORDER BY idx DESC LIMIT 1",
  /** Followed by an index (a number written by the store, never input) and the order. */
  auditSince: "SELECT idx, entry, leaf_hash FROM audit_entries WHERE idx >=",
  auditCount: "SELECT coalesce(max(idx) + 1, 0) AS n FROM audit_entries",
  auditPage: "SELECT idx, entry, leaf_hash FROM audit_entries WHERE idx >= $1 ORDER BY idx LIMIT $2",
  auditAt: "SELECT idx, entry, leaf_hash FROM audit_entries WHERE idx = $1",
  upsertHead: `INSERT INTO audit_head (id, size, note) VALUES (1, $1, $2)
    ON CONFLICT (id) DO UPDATE SET size = excluded.size, note = excluded.note`,
  head: "SELECT size, note FROM audit_head WHERE id = 1",

  upsertPause: `INSERT INTO pauses (scope, paused_by, reason, paused_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (scope) DO UPDATE SET paused_by = excluded.paused_by, reason = excluded.reason,
    paused_at = excluded.paused_at`,
  pausesOf: "SELECT scope, paused_by, reason, paused_at FROM pauses WHERE scope = ANY($1::text[])",
  deletePause: "DELETE FROM pauses WHERE scope = $1",
  allPauses: "SELECT scope, paused_by, reason, paused_at FROM pauses ORDER BY paused_at",

  upsertFreeze: `INSERT INTO freezes (scope, until_at, declared_by, reason, declared_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (scope) DO UPDATE SET until_at = excluded.until_at, declared_by = excluded.declared_by,
    reason = excluded.reason, declared_at = excluded.declared_at`,
  freezesInForce: `SELECT scope, until_at, declared_by, reason, declared_at FROM freezes
    WHERE scope = ANY($1::text[]) AND until_at > $2`,
  deleteFreeze: "DELETE FROM freezes WHERE scope = $1",
  allFreezes: "SELECT scope, until_at, declared_by, reason, declared_at FROM freezes ORDER BY declared_at",

  windowSum: `SELECT coalesce(sum(total), 0)::float8 AS total FROM breaker_counts
    WHERE breaker = $1 AND scope = $2 AND event_key = $3 AND bucket > $4`,
  addCount: `INSERT INTO breaker_counts (breaker, scope, event_key, bucket, total) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (breaker, scope, event_key, bucket) DO UPDATE SET total = breaker_counts.total + excluded.total`,
  pruneCounts:
    "DELETE FROM breaker_counts WHERE breaker = $1 AND scope = $2 AND event_key = $3 AND bucket <= $4",
  clearCounts: "DELETE FROM breaker_counts WHERE breaker = $1 AND scope = $2",
  closeLapsedTrip: `UPDATE breaker_trips SET reset_at = until_at
    WHERE breaker = $1 AND scope = $2 AND reset_at IS NULL AND until_at IS NOT NULL AND until_at <= $3`,
  insertTrip: `INSERT INTO breaker_trips (id, breaker, scope, tripped_at, until_at, reset_at, body)
    VALUES ($1, $2, $3, $4, $5, NULL, $6)`,
  resetTrip: "UPDATE breaker_trips SET reset_at = $1, body = $2 WHERE id = $3 AND reset_at IS NULL",
  tripById: "SELECT body FROM breaker_trips WHERE id = $1",
  openTrips: "SELECT body FROM breaker_trips WHERE reset_at IS NULL ORDER BY tripped_at",
  openTripsOf:
    "SELECT body FROM breaker_trips WHERE reset_at IS NULL AND scope = ANY($1::text[]) ORDER BY tripped_at",

  insertCheckpoint: "INSERT INTO checkpoints (size, note) VALUES ($1, $2) ON CONFLICT (size) DO NOTHING",
  allCheckpoints: "SELECT size, note FROM checkpoints ORDER BY size",
} as const;

/**
 * Advisory lock keys (one database, one airlock): every commit takes COMMIT_LOCK for its transaction, so
 * the log is one linear sequence and breaker counts are exact across every process; migrations run
 * under MIGRATE_LOCK, once, when several replicas start together.
 */
export const COMMIT_LOCK = 0x61_69_72_6c_6f_63; // "airloc"
export const MIGRATE_LOCK = 0x61_69_72_6d_69_67; // "airmig"
