import type { FreezeRecord, GateCheck, GateRefusal, PauseRecord, TripRecord } from "./records.js";

/** What a store read inside the commit's transaction for a GateCheck: the rows, nothing decided. */
export interface GateRows {
  /** The pauses of (at least) the check's pause scopes. */
  pauses: readonly PauseRecord[];
  /** The declared freezes of (at least) the check's freeze scopes, whether or not still in force. */
  freezes: readonly FreezeRecord[];
  /** The trips not yet reset, of (at least) the check's trip scopes. */
  trips: readonly TripRecord[];
  /** For each of the check's charges, in order: the weight its window holds now. */
  windowTotals: readonly number[];
}

/**
 * The kill switch, declared freezes and breakers, decided on the rows a store read inside the commit's
 * transaction. Every store serializes its commits, so a count read there cannot be overtaken by a
 * concurrent request: N requests against a limit of N-1 see N-1 successes, whatever their timing.
 * Undefined: the commit goes ahead and the store adds the charges' weights to their windows.
 */
export function gateRefusal(check: GateCheck, rows: GateRows): GateRefusal | undefined {
  for (const scope of check.pauseScopes) {
    const pause = rows.pauses.find((p) => p.scope === scope);
    if (pause) return { kind: "paused", pause };
  }
  for (const scope of check.freezeScopes ?? []) {
    const freeze = rows.freezes.find((f) => f.scope === scope && f.until > check.now);
    if (freeze) return { kind: "frozen", freeze };
  }
  const tripScopes = new Set(check.tripScopes);
  for (const trip of rows.trips) {
    if (
      trip.resetAt === undefined &&
      tripScopes.has(trip.scope) &&
      (trip.until === undefined || trip.until > check.now)
    )
      return { kind: "tripped", trip };
  }
  for (const [i, charge] of check.charges.entries()) {
    const total = rows.windowTotals[i] ?? Number.POSITIVE_INFINITY;
    if (total + charge.weight > charge.limit) return { kind: "limit", charge, count: total };
  }
  return undefined;
}
