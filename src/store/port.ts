import type {
  AuditDraft,
  Charge,
  CommitResult,
  FreezeRecord,
  GateCheck,
  PauseRecord,
  TripRecord,
} from "../gate/records.js";
import type { Checkpoint, StoredEntry } from "./records/log.js";
import type { ApprovalRequest } from "./records/request.js";
import type { SessionRecord, TokenRecord } from "./records/tokens.js";

export type {
  AuditDraft,
  CommitResult,
  FreezeRecord,
  GateCheck,
  GateRefusal,
  PauseRecord,
  TripRecord,
} from "../gate/records.js";
export { StoreConflict, StoreUnavailable } from "./errors.js";
export type { Checkpoint, StoredEntry } from "./records/log.js";

import type { OperableStore } from "./operations.js";

export type { SessionRecord, TokenRecord } from "./records/tokens.js";

/** One action's weight on one breaker in one scope. */
export type BreakerCharge = Charge;

/**
 * The storage port: rows in, rows out, no rules. The rules a store applies inside its transaction are
 * the core's pure functions: the log's append (`audit/append.ts`) and the gate's limits
 * (`gate/limits.ts`). Adapters: SQLite (`sqlite/`, embedded) and PostgreSQL (`postgres/`, shared by
 * replicas); both pass the conformance suite (test/store/). Every change that matters goes through
 * `commit`, which writes the state and its audit entries in one transaction and resolves only once both
 * are durable.
 *
 * Outcomes: a commit resolves `{ ok: true }` (written) or `{ ok: false, refused }` (the gate refused it:
 * a value, nothing written). It rejects with StoreConflict (a concurrent change won: read again and
 * retry) or StoreUnavailable (unreachable, failing, a corrupt row, a newer schema: fail closed). Reads
 * reject with StoreUnavailable, including for a row that fails its record's schema.
 */
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
  /** Checked and counted inside this commit; the result is a refusal when paused, frozen, tripped or over a limit. */
  gate?: GateCheck;
  /** A tripped breaker. Refused with StoreConflict when the same breaker is already tripped for the scope. */
  trip?: TripRecord;
  /** Close a trip. Refused with StoreConflict unless it is still open. */
  resetTrip?: { id: string; resetAt: string; resetBy: string };
  audit: AuditDraft[];
}

export interface RequestFilter {
  status?: ApprovalRequest["status"];
  limit?: number;
}

/**
 * Every store is also what audit/ reads and writes of one (audit/log-store.ts), by its shape; and it
 * answers readiness and holds the cluster's sweep lease (operations.ts).
 */
export interface Store extends OperableStore {
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
  auditEntries(from?: number): AsyncIterable<StoredEntry>;
  auditEntry(index: number): Promise<StoredEntry | undefined>;
  addCheckpoint(checkpoint: Checkpoint): Promise<void>;
  checkpoints(): Promise<Checkpoint[]>;
  /** The signed tree head the last appending commit wrote (absent in a log no sealing writer touched). */
  head(): Promise<Checkpoint | undefined>;
  /**
   * Run `read` on one snapshot of the store: other processes' commits meanwhile are not seen. Only
   * for a process with no commit of its own in flight (a check at start, a command-line tool).
   */
  consistentRead<T>(read: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
