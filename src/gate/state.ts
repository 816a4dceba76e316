import type {
  AuditDraft,
  CommitResult,
  FreezeRecord,
  GateCheck,
  PauseRecord,
  TripRecord,
} from "./records.js";

/** What the gate writes: the kill switch, declared freezes, trips, and an action's checks, with their audit entries. */
export interface GateChange {
  gate?: GateCheck;
  pause?: PauseRecord;
  resume?: string;
  freeze?: FreezeRecord;
  unfreeze?: string;
  trip?: TripRecord;
  resetTrip?: { id: string; resetAt: string; resetBy: string };
  audit: AuditDraft[];
}

/**
 * The part of a store the history-dependent gate uses; every store (store/port.ts) is one. Passed in,
 * like the clock, so the gate's rules stay here and the I/O at the edge. `commit` rejects with a
 * StoreConflict when a concurrent change won (its `name` says so), or a StoreUnavailable.
 */
export interface GateState {
  commit(change: GateChange): Promise<CommitResult>;
  listPauses(): Promise<PauseRecord[]>;
  listFreezes(): Promise<FreezeRecord[]>;
  openTrips(): Promise<TripRecord[]>;
}

/** Who acts, as the gate needs it: an identity's name and the person it acts for. */
export interface Who {
  name: string;
  onBehalfOf?: string;
}

/** A commit lost to a concurrent one (store/errors.ts StoreConflict), known by name: the gate imports no store. */
export function isConflict(err: unknown): boolean {
  return err instanceof Error && err.name === "StoreConflict";
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
