import { FreezeRecord, PauseRecord, TripRecord } from "../gate/records.js";
import { Checkpoint, StoredEntry } from "./records/log.js";
import { parseJsonRow, parseRow } from "./records/parse.js";
import { ApprovalRequest } from "./records/request.js";
import { SessionRecord, TokenRecord } from "./records/tokens.js";

/**
 * Rows to records and back, for every adapter: the tables (store/migrations.ts) are the same in
 * each engine, so are their columns. Every record read back is checked against its schema.
 */

/** The columns of a request: the indexed fields beside the whole record as JSON. */
export function requestRow(r: ApprovalRequest) {
  return {
    id: r.id,
    digest: r.digest,
    agent: r.agent,
    status: r.status,
    created_at: r.createdAt,
    expires_at: r.expiresAt,
    releasable_at: r.releasableAt ?? null,
    version: r.version,
    body: JSON.stringify(r),
  };
}

export function requestOf(row: unknown): ApprovalRequest {
  const r = row as { body?: unknown; id?: unknown };
  return parseJsonRow(ApprovalRequest, r.body, "requests");
}

/** The stored token, with its revocation (kept in its own column, set by `revokeTokensOf`). */
export function tokenOf(row: unknown): TokenRecord {
  const r = row as { body?: unknown; revoked_at?: unknown };
  const token = parseJsonRow(TokenRecord, r.body, "tokens");
  return r.revoked_at != null
    ? parseRow(TokenRecord, { ...token, revokedAt: r.revoked_at }, "tokens")
    : token;
}

export function sessionOf(row: unknown): SessionRecord {
  const r = row as Record<string, unknown>;
  return parseRow(
    SessionRecord,
    { hash: r.hash, name: r.name, tokenHash: r.token_hash, csrf: r.csrf, expiresAt: r.expires_at },
    "sessions",
  );
}

export function tripOf(row: unknown): TripRecord {
  return parseJsonRow(TripRecord, (row as { body?: unknown }).body, "breaker_trips");
}

export function pauseOf(row: unknown): PauseRecord {
  const r = row as Record<string, unknown>;
  return parseRow(
    PauseRecord,
    { scope: r.scope, by: r.paused_by, at: r.paused_at, ...(r.reason != null ? { reason: r.reason } : {}) },
    `pauses (scope ${String(r.scope)})`,
  );
}

export function freezeOf(row: unknown): FreezeRecord {
  const r = row as Record<string, unknown>;
  return parseRow(
    FreezeRecord,
    {
      scope: r.scope,
      until: r.until_at,
      by: r.declared_by,
      at: r.declared_at,
      ...(r.reason != null ? { reason: r.reason } : {}),
    },
    `freezes (scope ${String(r.scope)})`,
  );
}

export function entryOf(row: unknown): StoredEntry {
  const r = row as Record<string, unknown>;
  return parseRow(
    StoredEntry,
    { index: Number(r.idx), bytes: r.entry, leafHash: r.leaf_hash },
    `audit_entries (index ${String(r.idx)})`,
  );
}

export function checkpointOf(row: unknown): Checkpoint {
  const r = row as Record<string, unknown>;
  return parseRow(Checkpoint, { size: Number(r.size), note: r.note }, "checkpoints");
}
