import type { GateRows } from "../../gate/limits.js";
import type { GateCheck, TripRecord } from "../../gate/records.js";
import { StoreConflict } from "../errors.js";
import type { Change } from "../port.js";
import { freezeOf, pauseOf, tripOf } from "../rows.js";
import type { Statements } from "./statements.js";

/** The rows a gate check is decided on, read inside the write transaction (SQLite has one writer at a time). */
export function readGateRows(sql: Statements, gate: GateCheck): GateRows {
  return {
    pauses: gate.pauseScopes.flatMap((scope) => {
      const row = sql.pauseByScope.get(scope);
      return row ? [pauseOf(row)] : [];
    }),
    freezes: (gate.freezeScopes ?? []).flatMap((scope) => {
      const row = sql.freezeInForce.get(scope, gate.now);
      return row ? [freezeOf(row)] : [];
    }),
    trips: gate.tripScopes.length > 0 ? (sql.openTrips.all() as { body: string }[]).map(tripOf) : [],
    windowTotals: gate.charges.map(
      (c) => (sql.windowSum.get(c.breaker, c.scope, c.key, c.since) as { total: number }).total,
    ),
  };
}

/** The charges of a check that passed, added to their windows (the windows' expired buckets pruned). */
export function addCharges(sql: Statements, gate: GateCheck): void {
  for (const c of gate.charges) {
    sql.pruneCounts.run(c.breaker, c.scope, c.key, c.since);
    sql.addCount.run(c.breaker, c.scope, c.key, c.bucket, c.weight);
  }
}

/** The kill switch, freezes and trips a change writes. */
export function writeGateState(sql: Statements, change: Change): void {
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
    const body = JSON.stringify({ ...tripOf(row), resetAt, resetBy });
    if (sql.resetTrip.run(resetAt, body, id).changes !== 1)
      throw new StoreConflict(`trip ${id} was reset meanwhile`);
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
