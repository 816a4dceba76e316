import type pg from "pg";
import type { GateRows } from "../../gate/limits.js";
import type { GateCheck, TripRecord } from "../../gate/records.js";
import { StoreConflict } from "../errors.js";
import type { Change } from "../port.js";
import { freezeOf, pauseOf, tripOf } from "../rows.js";
import { SQL } from "./sql.js";

/** The rows a gate check is decided on, read inside the commit's transaction (which holds the commit lock). */
export async function readGateRows(db: pg.ClientBase, gate: GateCheck): Promise<GateRows> {
  const freezeScopes = gate.freezeScopes ?? [];
  const windowTotals: number[] = [];
  for (const c of gate.charges) {
    const { rows } = await db.query(SQL.windowSum, [c.breaker, c.scope, c.key, c.since]);
    windowTotals.push(Number(rows[0]?.total ?? 0));
  }
  return {
    pauses:
      gate.pauseScopes.length > 0 ? (await db.query(SQL.pausesOf, [gate.pauseScopes])).rows.map(pauseOf) : [],
    freezes:
      freezeScopes.length > 0
        ? (await db.query(SQL.freezesInForce, [freezeScopes, gate.now])).rows.map(freezeOf)
        : [],
    trips:
      gate.tripScopes.length > 0 ? (await db.query(SQL.openTripsOf, [gate.tripScopes])).rows.map(tripOf) : [],
    windowTotals,
  };
}

/** The charges of a check that passed, added to their windows (the windows' expired buckets pruned). */
export async function addCharges(db: pg.ClientBase, gate: GateCheck): Promise<void> {
  for (const c of gate.charges) {
    await db.query(SQL.pruneCounts, [c.breaker, c.scope, c.key, c.since]);
    await db.query(SQL.addCount, [c.breaker, c.scope, c.key, c.bucket, c.weight]);
  }
}

/** The kill switch, freezes and trips a change writes. */
export async function writeGateState(db: pg.ClientBase, change: Change): Promise<void> {
  if (change.pause) {
    const p = change.pause;
    await db.query(SQL.upsertPause, [p.scope, p.by, p.reason ?? null, p.at]);
  }
  if (change.resume !== undefined) await db.query(SQL.deletePause, [change.resume]);
  if (change.freeze) {
    const f = change.freeze;
    await db.query(SQL.upsertFreeze, [f.scope, f.until, f.by, f.reason ?? null, f.at]);
  }
  if (change.unfreeze !== undefined) await db.query(SQL.deleteFreeze, [change.unfreeze]);
  if (change.trip) await insertTrip(db, change.trip);
  if (change.resetTrip) {
    const { id, resetAt, resetBy } = change.resetTrip;
    const row = (await db.query(SQL.tripById, [id])).rows[0];
    if (!row) throw new StoreConflict(`there is no trip ${id}`);
    const body = JSON.stringify({ ...tripOf(row), resetAt, resetBy });
    if ((await db.query(SQL.resetTrip, [resetAt, body, id])).rowCount !== 1)
      throw new StoreConflict(`trip ${id} was reset meanwhile`);
  }
}

/** A trip empties its window: once it resets, counting starts afresh rather than tripping again at once. */
async function insertTrip(db: pg.ClientBase, t: TripRecord): Promise<void> {
  await db.query(SQL.closeLapsedTrip, [t.breaker, t.scope, t.trippedAt]);
  await db.query(SQL.clearCounts, [t.breaker, t.scope]);
  try {
    await db.query(SQL.insertTrip, [
      t.id,
      t.breaker,
      t.scope,
      t.trippedAt,
      t.until ?? null,
      JSON.stringify(t),
    ]);
  } catch (err) {
    if (isUniqueViolation(err))
      throw new StoreConflict(`breaker ${t.breaker} is already tripped for ${t.scope}`);
    throw err;
  }
}

/** PostgreSQL's unique_violation (SQLSTATE 23505): someone else wrote the same key first. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown })?.code === "23505";
}
