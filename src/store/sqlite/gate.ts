import {
  type Change,
  type FreezeRecord,
  type GateCheck,
  GateRefused,
  type PauseRecord,
  StoreConflict,
  type TripRecord,
} from "../port.js";
import type { Statements } from "./statements.js";

/**
 * The kill switch and the breakers inside the write transaction. SQLite runs one writer at a time,
 * so a count read here cannot be overtaken by a concurrent request: N requests against a limit of
 * N-1 see N-1 successes, whatever their timing. (The PostgreSQL adapter does the same under a row
 * lock on the breaker's scope.)
 */
export function applyMonitor(sql: Statements, change: Change): void {
  if (change.gate) applyGate(sql, change.gate);
  if (change.pause) {
    const p = change.pause;
    sql.upsertPause.run(p.scope, p.by, p.reason ?? null, p.at);
  }
  if (change.resume !== undefined) sql.deletePause.run(change.resume);
  if (change.freeze) {
    const f = change.freeze;
    sql.upsertFreeze.run(f.scope, f.until, f.by, f.reason ?? null, f.at);
  }
  if (change.unfreeze !== undefined) sql.deleteFreeze.run(change.unfreeze);
  if (change.trip) insertTrip(sql, change.trip);
  if (change.resetTrip) {
    const { id, resetAt, resetBy } = change.resetTrip;
    const row = sql.tripById.get(id) as { body: string } | undefined;
    if (!row) throw new StoreConflict(`there is no trip ${id}`);
    const body = JSON.stringify({ ...(JSON.parse(row.body) as TripRecord), resetAt, resetBy });
    if (sql.resetTrip.run(resetAt, body, id).changes !== 1)
      throw new StoreConflict(`trip ${id} was reset meanwhile`);
  }
}

function applyGate(sql: Statements, gate: GateCheck): void {
  for (const scope of gate.pauseScopes) {
    const pause = pauseOf(sql.pauseByScope.get(scope));
    if (pause) throw new GateRefused({ kind: "paused", pause });
  }
  for (const scope of gate.freezeScopes ?? []) {
    const freeze = freezeOf(sql.freezeInForce.get(scope, gate.now));
    if (freeze) throw new GateRefused({ kind: "frozen", freeze });
  }
  if (gate.tripScopes.length > 0) {
    const scopes = new Set(gate.tripScopes);
    for (const row of sql.openTrips.all() as { body: string }[]) {
      const trip = JSON.parse(row.body) as TripRecord;
      if (scopes.has(trip.scope) && (trip.until === undefined || trip.until > gate.now))
        throw new GateRefused({ kind: "tripped", trip });
    }
  }
  for (const charge of gate.charges) {
    const { total } = sql.windowSum.get(charge.breaker, charge.scope, charge.key, charge.since) as {
      total: number;
    };
    if (total + charge.weight > charge.limit) throw new GateRefused({ kind: "limit", charge, count: total });
  }
  // Only once every check passed: a refused change must leave no count behind (the savepoint undoes it anyway).
  for (const c of gate.charges) {
    sql.pruneCounts.run(c.breaker, c.scope, c.key, c.since);
    sql.addCount.run(c.breaker, c.scope, c.key, c.bucket, c.weight);
  }
}

/** A trip empties its window: once it resets, counting starts afresh rather than tripping again at once. */
function insertTrip(sql: Statements, t: TripRecord): void {
  sql.closeLapsedTrip.run(t.breaker, t.scope, t.trippedAt);
  sql.clearCounts.run(t.breaker, t.scope);
  try {
    sql.insertTrip.run(t.id, t.breaker, t.scope, t.trippedAt, t.until ?? null, JSON.stringify(t));
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith("SQLITE_CONSTRAINT"))
      throw new StoreConflict(`breaker ${t.breaker} is already tripped for ${t.scope}`);
    throw err;
  }
}

export function pauseOf(row: unknown): PauseRecord | undefined {
  if (!row) return undefined;
  const r = row as { scope: string; paused_by: string; reason: string | null; paused_at: string };
  return { scope: r.scope, by: r.paused_by, at: r.paused_at, ...(r.reason ? { reason: r.reason } : {}) };
}

export function freezeOf(row: unknown): FreezeRecord | undefined {
  if (!row) return undefined;
  const r = row as {
    scope: string;
    until_at: string;
    declared_by: string;
    reason: string | null;
    declared_at: string;
  };
  return {
    scope: r.scope,
    until: r.until_at,
    by: r.declared_by,
    at: r.declared_at,
    ...(r.reason ? { reason: r.reason } : {}),
  };
}
