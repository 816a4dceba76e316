import type { Identity } from "../approvals/identity.js";
import type { ApprovalRequest } from "../approvals/request.js";

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
  audit: AuditDraft[];
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
  auditSize(): Promise<number>;
  /** Entries in index order from `from`; read lazily, so a million entries need not fit in memory. */
  auditEntries(from?: number): Iterable<StoredEntry>;
  auditEntry(index: number): Promise<StoredEntry | undefined>;
  addCheckpoint(checkpoint: Checkpoint): Promise<void>;
  checkpoints(): Promise<Checkpoint[]>;
  close(): Promise<void>;
}
