import type { Identity } from "../approvals/identity.js";
import type { ApprovalRequest } from "../approvals/request.js";
import type { Charge } from "../policy/breakers.js";
import type { DeclaredFreeze } from "../policy/freeze.js";

/**
 * The storage port. The embedded adapter is SQLite (`sqlite/`); a shared PostgreSQL adapter implements
 * the same interface. Every change that matters goes through `commit`, which writes the state and its
 * audit entries in one transaction and resolves only once both are durable.
 */

export interface TokenRecord {
  /** SHA-256 (hex) of the token; the token itself is never stored. */
  hash: string;
  identity: Identity;
  createdAt: string;
  revokedAt?: string;
}

export interface SessionRecord {
  /** SHA-256 (hex) of the session cookie's value. */
  hash: string;
  name: string;
  tokenHash: string;
  csrf: string;
  expiresAt: string;
}

/** An audit entry as the caller states it; the store adds `v`, `index` and `prev` when it appends. */
export interface AuditDraft {
  type: string;
  time: string;
  [field: string]: unknown;
}

export interface StoredEntry {
  index: number;
  bytes: string;
  leafHash: Buffer;
}

export interface Checkpoint {
  size: number;
  note: string;
}

export interface Change {
  /** A new request. Refused with StoreConflict when an open request has the same digest and agent. */
  create?: ApprovalRequest;
  /** A changed request. Refused with StoreConflict unless the stored version is `version - 1`. */
  update?: ApprovalRequest;
  token?: TokenRecord;
  /** Revoke every token of this identity name. */
  revokeTokensOf?: string;
  /** Pause a scope (replacing an earlier pause of the same scope). */
  pause?: PauseRecord;
  /** Lift the pause of this scope. */
  resume?: string;
  /** Declare a freeze of a scope `env:NAME` (replacing an earlier one of the same scope). */
  freeze?: FreezeRecord;
  /** Lift the declared freeze of this scope. */
  unfreeze?: string;
  /** Checked and counted inside this commit; refused with GateRefused when paused, tripped or over a limit. */
  gate?: GateCheck;
  /** A tripped breaker. Refused with StoreConflict when the same breaker is already tripped for the scope. */
  trip?: TripRecord;
  /** Close a trip. Refused with StoreConflict unless it is still open. */
  resetTrip?: { id: string; resetAt: string; resetBy: string };
  audit: AuditDraft[];
}

/** A kill switch for a scope: `all`, `agent:NAME`, `onBehalfOf:PERSON` or `env:ENVIRONMENT`. */
export interface PauseRecord {
  scope: string;
  by: string;
  reason?: string;
  at: string;
}

/** A freeze an admin declared: changes in `env:NAME` need an emergency approval until `until`. */
export type FreezeRecord = DeclaredFreeze;

/** One action's (or reported error's) weight on one breaker in one scope: the policy works it out. */
export type BreakerCharge = Charge;

export interface TripRecord {
  id: string;
  breaker: string;
  scope: string;
  then: "hold-all-but-reads" | "deny-all-but-reads";
  trippedAt: string;
  /** When the clock resets it; absent when only an admin can. */
  until?: string;
  resetAt?: string;
  resetBy?: string;
  reason: string;
}

/** What an action's commit checks first: no pause or open trip on its scopes, and every charge within its limit. */
export interface GateCheck {
  now: string;
  pauseScopes: string[];
  tripScopes: string[];
  charges: BreakerCharge[];
  /** Scopes whose declared freeze (still in force at `now`) refuses the commit; absent or empty: none. */
  freezeScopes?: string[];
}

export type GateRefusal =
  | { kind: "paused"; pause: PauseRecord }
  | { kind: "tripped"; trip: TripRecord }
  | { kind: "limit"; charge: BreakerCharge; count: number }
  | { kind: "frozen"; freeze: FreezeRecord };

/** The commit was refused by the kill switch or a breaker: nothing was written. Decide again with this. */
export class GateRefused extends Error {
  override name = "GateRefused";
  constructor(readonly refusal: GateRefusal) {
    super(`refused by the gate: ${refusal.kind}`);
  }
}

export interface CommitResult {
  /** The index of the first audit entry this change appended. */
  firstIndex: number;
}

/** Someone else changed the same request first (or opened the same one): read again and retry. */
export class StoreConflict extends Error {
  override name = "StoreConflict";
}

/** The store could not be read or written. Nothing was decided; the caller fails closed. */
export class StoreUnavailable extends Error {
  override name = "StoreUnavailable";
}

export interface RequestFilter {
  status?: ApprovalRequest["status"];
  limit?: number;
}

export interface Store {
  commit(change: Change): Promise<CommitResult>;
  getRequest(id: string): Promise<ApprovalRequest | undefined>;
  /** The pending or approved request for this digest and agent, if there is one. */
  findOpenRequest(digest: string, agent: string): Promise<ApprovalRequest | undefined>;
  /** The most recent request for this digest and agent, whatever its status. */
  findLatestRequest(digest: string, agent: string): Promise<ApprovalRequest | undefined>;
  /** Newest first; pending ones first when no status is given. */
  listRequests(filter: RequestFilter): Promise<ApprovalRequest[]>;
  /** Open requests that the clock changes at `now`: expired, or pending with the wait over. */
  dueRequests(now: string): Promise<ApprovalRequest[]>;
  findToken(hash: string): Promise<TokenRecord | undefined>;
  listTokens(): Promise<TokenRecord[]>;
  createSession(session: SessionRecord): Promise<void>;
  findSession(hash: string): Promise<SessionRecord | undefined>;
  deleteSession(hash: string): Promise<void>;
  listPauses(): Promise<PauseRecord[]>;
  /** Declared freezes, including those whose time is up (callers compare `until` with their clock). */
  listFreezes(): Promise<FreezeRecord[]>;
  /** Trips not yet reset (including those whose time is up but that the sweep has not closed). */
  openTrips(): Promise<TripRecord[]>;
  auditSize(): Promise<number>;
  /** Entries in index order from `from`; read lazily, so a million entries need not fit in memory. */
  auditEntries(from?: number): Iterable<StoredEntry>;
  auditEntry(index: number): Promise<StoredEntry | undefined>;
  addCheckpoint(checkpoint: Checkpoint): Promise<void>;
  checkpoints(): Promise<Checkpoint[]>;
  /**
   * Run `read` on one snapshot of the store: other processes' commits meanwhile are not seen. Only
   * for a process with no commit of its own in flight (a check at start, a command-line tool).
   */
  consistentRead<T>(read: () => Promise<T>): Promise<T>;
  /** The signed tree head the last appending commit wrote (absent in a log no sealing writer touched). */
  head(): Promise<Checkpoint | undefined>;
  close(): Promise<void>;
}
