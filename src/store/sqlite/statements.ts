import type Database from "better-sqlite3";

/** Every statement the SQLite store runs, prepared once when the store opens. */
export function prepareStatements(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  return {
    begin: p("BEGIN IMMEDIATE"),
    commit: p("COMMIT"),
    savepoint: p("SAVEPOINT change"),
    release: p("RELEASE change"),
    rollbackTo: p("ROLLBACK TO change"),

    insertRequest:
      p(`INSERT INTO requests (id, digest, agent, status, created_at, expires_at, releasable_at, version, body)
      VALUES (@id, @digest, @agent, @status, @created_at, @expires_at, @releasable_at, @version, @body)`),
    updateRequest:
      p(`UPDATE requests SET status = @status, expires_at = @expires_at, releasable_at = @releasable_at,
      version = @version, body = @body WHERE id = @id AND version = @previous`),
    requestById: p("SELECT body FROM requests WHERE id = ?"),
    openRequest: p(
      "SELECT body FROM requests WHERE digest = ? AND agent = ? AND status IN ('pending', 'approved')",
    ),
    latestRequest: p(
      "SELECT body FROM requests WHERE digest = ? AND agent = ? ORDER BY created_at DESC, id DESC LIMIT 1",
    ),
    requestsByStatus: p("SELECT body FROM requests WHERE status = ? ORDER BY created_at DESC LIMIT ?"),
    requestsPendingFirst: p(
      "SELECT body FROM requests ORDER BY CASE status WHEN 'pending' THEN 0 WHEN 'approved' THEN 1 ELSE 2 END, created_at DESC LIMIT ?",
    ),
    dueRequests: p(`SELECT body FROM requests WHERE status IN ('pending', 'approved')
      AND (expires_at <= ? OR (status = 'pending' AND releasable_at <= ?))`),

    insertToken: p("INSERT INTO tokens (hash, name, created_at, body) VALUES (?, ?, ?, ?)"),
    revokeTokens: p("UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL"),
    tokenByHash: p("SELECT body, revoked_at FROM tokens WHERE hash = ?"),
    allTokens: p("SELECT body, revoked_at FROM tokens ORDER BY created_at"),

    insertSession: p(
      "INSERT INTO sessions (hash, name, token_hash, csrf, expires_at) VALUES (?, ?, ?, ?, ?)",
    ),
    sessionByHash: p("SELECT hash, name, token_hash, csrf, expires_at FROM sessions WHERE hash = ?"),
    deleteSession: p("DELETE FROM sessions WHERE hash = ?"),
    deleteExpiredSessions: p("DELETE FROM sessions WHERE expires_at <= ?"),

    insertEntry: p("INSERT INTO audit_entries (idx, entry, leaf_hash) VALUES (?, ?, ?)"),
    auditTail: p("SELECT idx, entry, leaf_hash FROM audit_entries ORDER BY idx DESC LIMIT 1"),
    auditCount: p("SELECT coalesce(max(idx) + 1, 0) AS n FROM audit_entries"),
    auditPage: p("SELECT idx, entry, leaf_hash FROM audit_entries WHERE idx >= ? ORDER BY idx LIMIT ?"),
    auditAt: p("SELECT idx, entry, leaf_hash FROM audit_entries WHERE idx = ?"),

    upsertPause: p(`INSERT INTO pauses (scope, paused_by, reason, paused_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (scope) DO UPDATE SET paused_by = excluded.paused_by, reason = excluded.reason,
      paused_at = excluded.paused_at`),
    pauseByScope: p("SELECT scope, paused_by, reason, paused_at FROM pauses WHERE scope = ?"),
    deletePause: p("DELETE FROM pauses WHERE scope = ?"),
    allPauses: p("SELECT scope, paused_by, reason, paused_at FROM pauses ORDER BY paused_at"),

    upsertFreeze:
      p(`INSERT INTO freezes (scope, until_at, declared_by, reason, declared_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (scope) DO UPDATE SET until_at = excluded.until_at, declared_by = excluded.declared_by,
      reason = excluded.reason, declared_at = excluded.declared_at`),
    freezeInForce: p(
      "SELECT scope, until_at, declared_by, reason, declared_at FROM freezes WHERE scope = ? AND until_at > ?",
    ),
    deleteFreeze: p("DELETE FROM freezes WHERE scope = ?"),
    allFreezes: p(
      "SELECT scope, until_at, declared_by, reason, declared_at FROM freezes ORDER BY declared_at",
    ),

    windowSum: p(`SELECT coalesce(sum(total), 0) AS total FROM breaker_counts
      WHERE breaker = ? AND scope = ? AND event_key = ? AND bucket > ?`),
    addCount: p(`INSERT INTO breaker_counts (breaker, scope, event_key, bucket, total) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (breaker, scope, event_key, bucket) DO UPDATE SET total = breaker_counts.total + excluded.total`),
    pruneCounts: p(
      "DELETE FROM breaker_counts WHERE breaker = ? AND scope = ? AND event_key = ? AND bucket <= ?",
    ),
    clearCounts: p("DELETE FROM breaker_counts WHERE breaker = ? AND scope = ?"),
    closeLapsedTrip: p(`UPDATE breaker_trips SET reset_at = until_at
      WHERE breaker = ? AND scope = ? AND reset_at IS NULL AND until_at IS NOT NULL AND until_at <= ?`),
    insertTrip: p(`INSERT INTO breaker_trips (id, breaker, scope, tripped_at, until_at, reset_at, body)
      VALUES (?, ?, ?, ?, ?, NULL, ?)`),
    resetTrip: p("UPDATE breaker_trips SET reset_at = ?, body = ? WHERE id = ? AND reset_at IS NULL"),
    tripById: p("SELECT body FROM breaker_trips WHERE id = ?"),
    openTrips: p("SELECT body FROM breaker_trips WHERE reset_at IS NULL ORDER BY tripped_at"),

    insertCheckpoint: p("INSERT OR IGNORE INTO checkpoints (size, note) VALUES (?, ?)"),
    allCheckpoints: p("SELECT size, note FROM checkpoints ORDER BY size"),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
