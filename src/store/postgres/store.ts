import { AsyncLocalStorage } from "node:async_hooks";
import pg from "pg";
import { type AppendedEntry, appendEntries, type LogTail, tailAfter } from "../../audit/append.js";
import type { LogSealer, Seal } from "../../audit/sealer.js";
import { gateRefusal } from "../../gate/limits.js";
import { StoreConflict, StoreUnavailable } from "../errors.js";
import { type Lease, type OperableStore, type StoreHealth, schemaHealth } from "../operations.js";
import type {
  Change,
  Checkpoint,
  CommitResult,
  FreezeRecord,
  PauseRecord,
  RequestFilter,
  SessionRecord,
  Store,
  StoredEntry,
  TokenRecord,
  TripRecord,
} from "../port.js";
import type { ApprovalRequest } from "../records/request.js";
import {
  checkpointOf,
  entryOf,
  freezeOf,
  pauseOf,
  requestOf,
  requestRow,
  sessionOf,
  tokenOf,
  tripOf,
} from "../rows.js";
import { connectionConfig, redactedUrl } from "./connection.js";
import { addCharges, isUniqueViolation, readGateRows, writeGateState } from "./gate.js";
import { AdvisoryLeases } from "./lease.js";
import { migrate } from "./migrate.js";
import { COMMIT_LOCK, SQL } from "./sql.js";

/** Changes queued while a transaction commits share the next one; this caps one transaction. */
const MAX_BATCH = 2000;
/** Entries read at a time by `auditEntries`. */
const PAGE = 1000;

export interface PostgresStoreOptions {
  /** `postgres://USER@HOST:PORT/DATABASE`. */
  url: string;
  /** The password, when it is not in the URL (from an environment variable or a file). */
  password?: string;
  /** Check the schema, change nothing (the command-line readers). */
  readonly?: boolean;
  /** Signs the log's head in every commit that appends (every writer of a served log has one). */
  sealer?: LogSealer;
  /** Told of each signed tree head once it is durable (to copy it outside the store). */
  afterSeal?: (head: Checkpoint) => void;
  /** Connections kept in the pool (default 10). */
  poolSize?: number;
  /** Where a connection's failure is told (the pool reconnects by itself). */
  log?: (line: string) => void;
}

interface Queued {
  change: Change;
  resolve: (r: CommitResult) => void;
  reject: (e: Error) => void;
}

/**
 * The shared store: one PostgreSQL database that any number of airlock processes use at once. Every
 * commit takes one transaction-level advisory lock, so the database serializes them: the audit log is
 * one linear sequence whoever appends, and a breaker's count read inside a commit cannot be overtaken.
 * Commits are grouped as in SQLite: every change queued while a transaction was in flight is written
 * in the next one, each in its own savepoint (a change with nothing but audit entries needs none), and
 * their entries in one statement. The signed tree head is rewritten in the same transaction, after the
 * sealer caught up with what other processes appended since this one last sealed.
 * A lost connection answers StoreUnavailable; the pool opens a new one for the next call.
 */
export class PostgresStore implements Store, OperableStore {
  readonly #pool: pg.Pool;
  readonly #options: PostgresStoreOptions;
  /** The sweep lease's session, apart from the pool (an advisory lock belongs to its session). */
  readonly #leases: AdvisoryLeases;
  readonly #snapshot = new AsyncLocalStorage<pg.PoolClient>();
  #queue: Queued[] = [];
  #flushing: Promise<void> | undefined;
  #closed = false;

  private constructor(pool: pg.Pool, options: PostgresStoreOptions) {
    this.#pool = pool;
    this.#options = options;
    this.#leases = new AdvisoryLeases(connectionConfig(options.url, options.password));
  }

  /** Connect, and bring the schema up to date (once, under a lock, when several processes start together). */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    let pool: pg.Pool | undefined;
    try {
      pool = new pg.Pool({
        ...connectionConfig(options.url, options.password),
        max: options.poolSize ?? 10,
        // Fail closed rather than wait forever for a database that does not answer.
        connectionTimeoutMillis: 10_000,
        // A peer gone silent (a network partition) is noticed; a replica stuck inside a transaction
        // cannot hold the commit lock, and so every other replica's commits, for more than a minute.
        keepAlive: true,
        idle_in_transaction_session_timeout: 60_000,
      });
      const lost = (err: Error) => options.log?.(`store: a PostgreSQL connection failed: ${err.message}`);
      pool.on("error", lost);
      // A connection can die while checked out and between two queries: its error must be heard, not
      // crash the process; the next query on it fails, and the client is destroyed when released.
      pool.on("connect", (client) => client.on("error", lost));
      const client = await pool.connect();
      try {
        await migrate(client, !options.readonly);
      } finally {
        client.release();
      }
      return new PostgresStore(pool, options);
    } catch (err) {
      await pool?.end().catch(() => undefined);
      if (err instanceof StoreUnavailable) throw err;
      throw new StoreUnavailable(
        `cannot open the store at ${redactedUrl(options.url)}: ${(err as Error).message}`,
      );
    }
  }

  commit(change: Change): Promise<CommitResult> {
    if (this.#closed) return Promise.reject(new StoreUnavailable("the store is closed"));
    return new Promise((resolve, reject) => {
      this.#queue.push({ change, resolve, reject });
      this.#flushing ??= this.#drain();
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        // Let the changes of this turn of the event loop join the first transaction.
        await new Promise((r) => setImmediate(r));
        await this.#flush(this.#queue.splice(0, MAX_BATCH));
      }
    } finally {
      this.#flushing = undefined;
    }
  }

  async #flush(batch: Queued[]): Promise<void> {
    const outcomes: (CommitResult | Error)[] = [];
    let seal: Seal | undefined;
    let client: pg.PoolClient | undefined;
    try {
      client = await this.#pool.connect();
      // One round trip: the transaction, the commit lock, the log's tail and what other processes
      // appended since this one last sealed (read under the lock, so nothing can slip in between).
      const sealedUpTo = this.#options.sealer?.size;
      const opened = (await client.query(
        `BEGIN; SELECT pg_advisory_xact_lock(${COMMIT_LOCK}); ${SQL.auditTail}` +
          (sealedUpTo !== undefined ? `; ${SQL.auditSince} ${Math.trunc(sealedUpTo)} ORDER BY idx` : ""),
      )) as unknown as pg.QueryResult[];
      let tail = tailOf(opened[2]?.rows[0]);
      const others = (opened[3]?.rows ?? []).map(entryOf);
      const from = tail ? tail.index + 1 : 0;
      const entries: AppendedEntry[] = [];
      for (const { change } of batch) {
        let appended: AppendedEntry[];
        try {
          appended = appendEntries(tail, change.audit);
        } catch (err) {
          outcomes.push(new StoreUnavailable((err as Error).message));
          continue;
        }
        const outcome = await this.#apply(client, change);
        if (outcome === undefined) {
          entries.push(...appended);
          tail = tailAfter(tail, appended);
          outcomes.push({ ok: true, firstIndex: appended[0]?.index ?? (tail ? tail.index + 1 : 0) });
        } else outcomes.push(outcome);
      }
      seal = this.#seal(others, from, entries);
      const columns = [
        entries.map((e) => e.index),
        entries.map((e) => e.bytes),
        entries.map((e) => e.leafHash),
      ];
      if (entries.length > 0 && seal)
        await client.query(SQL.insertEntriesAndHead, [...columns, seal.size, seal.note]);
      else if (entries.length > 0) await client.query(SQL.insertEntries, columns);
      else if (seal) await client.query(SQL.upsertHead, [seal.size, seal.note]);
      await client.query("COMMIT");
      client.release();
    } catch (err) {
      await client?.query("ROLLBACK").catch(() => undefined);
      // A client whose connection failed is destroyed, not returned to the pool.
      client?.release(err as Error);
      const failure = new StoreUnavailable(`the store could not commit: ${(err as Error).message}`);
      for (const q of batch) q.reject(failure);
      return;
    }
    if (seal) {
      this.#options.sealer?.adopt(seal);
      this.#options.afterSeal?.({ size: seal.size, note: seal.note });
    }
    batch.forEach((q, i) => {
      const outcome = outcomes[i];
      if (outcome instanceof Error) q.reject(outcome);
      else if (outcome) q.resolve(outcome);
    });
  }

  /**
   * One change's state, in its own savepoint: undefined when written, else the refusal or the error that
   * undid it. Throws only when the transaction itself is lost.
   */
  async #apply(db: pg.PoolClient, change: Change): Promise<CommitResult | Error | undefined> {
    if (Object.keys(change).every((k) => k === "audit")) return undefined;
    await db.query("SAVEPOINT change");
    try {
      if (change.gate) {
        const refused = gateRefusal(change.gate, await readGateRows(db, change.gate));
        if (refused) {
          await db.query("RELEASE SAVEPOINT change");
          return { ok: false, refused };
        }
        await addCharges(db, change.gate);
      }
      await writeGateState(db, change);
      await this.#writeState(db, change);
      await db.query("RELEASE SAVEPOINT change");
      return undefined;
    } catch (err) {
      await db.query("ROLLBACK TO SAVEPOINT change");
      await db.query("RELEASE SAVEPOINT change");
      return err instanceof StoreConflict || err instanceof StoreUnavailable
        ? err
        : new StoreUnavailable((err as Error).message);
    }
  }

  async #writeState(db: pg.PoolClient, change: Change): Promise<void> {
    if (change.create) {
      const r = requestRow(change.create);
      try {
        await db.query(SQL.insertRequest, [
          r.id,
          r.digest,
          r.agent,
          r.status,
          r.created_at,
          r.expires_at,
          r.releasable_at,
          r.version,
          r.body,
        ]);
      } catch (err) {
        if (isUniqueViolation(err))
          throw new StoreConflict(
            `an open request already exists for digest ${r.digest} and agent ${r.agent}`,
          );
        throw err;
      }
    }
    if (change.update) {
      const r = requestRow(change.update);
      const updated = await db.query(SQL.updateRequest, [
        r.id,
        r.status,
        r.expires_at,
        r.releasable_at,
        r.version,
        r.body,
        r.version - 1,
      ]);
      if (updated.rowCount !== 1) throw new StoreConflict(`request ${r.id} changed meanwhile`);
    }
    if (change.token) {
      const t = change.token;
      await db.query(SQL.insertToken, [t.hash, t.identity.name, t.createdAt, JSON.stringify(t)]);
    }
    if (change.revokeTokensOf !== undefined)
      await db.query(SQL.revokeTokens, [new Date().toISOString(), change.revokeTokensOf]);
  }

  /**
   * The signed head after this transaction's entries. When another process appended since this one last
   * sealed, the sealer first catches up on their entries (`others`, read under the commit lock).
   */
  #seal(others: readonly StoredEntry[], from: number, own: readonly AppendedEntry[]): Seal | undefined {
    const read = () => [...others.filter((e) => e.index < from), ...own];
    return this.#options.sealer?.draft(read, { from, leaves: own.map((e) => e.leafHash) });
  }

  /** A read on the snapshot of `consistentRead` when inside one, else on any pooled connection. */
  async #query(text: string, params: unknown[] = []): Promise<pg.QueryResult> {
    if (this.#closed) throw new StoreUnavailable("the store is closed");
    try {
      return await (this.#snapshot.getStore() ?? this.#pool).query(text, params);
    } catch (err) {
      throw new StoreUnavailable(`the store could not be read: ${(err as Error).message}`);
    }
  }

  async #one<T>(text: string, params: unknown[], of: (row: unknown) => T): Promise<T | undefined> {
    const row = (await this.#query(text, params)).rows[0];
    return row === undefined ? undefined : of(row);
  }

  async #all<T>(text: string, params: unknown[], of: (row: unknown) => T): Promise<T[]> {
    return (await this.#query(text, params)).rows.map(of);
  }

  getRequest(id: string): Promise<ApprovalRequest | undefined> {
    return this.#one(SQL.requestById, [id], requestOf);
  }

  findOpenRequest(digest: string, agent: string): Promise<ApprovalRequest | undefined> {
    return this.#one(SQL.openRequest, [digest, agent], requestOf);
  }

  findLatestRequest(digest: string, agent: string): Promise<ApprovalRequest | undefined> {
    return this.#one(SQL.latestRequest, [digest, agent], requestOf);
  }

  listRequests(filter: RequestFilter): Promise<ApprovalRequest[]> {
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    return filter.status
      ? this.#all(SQL.requestsByStatus, [filter.status, limit], requestOf)
      : this.#all(SQL.requestsPendingFirst, [limit], requestOf);
  }

  dueRequests(now: string): Promise<ApprovalRequest[]> {
    return this.#all(SQL.dueRequests, [now], requestOf);
  }

  findToken(hash: string): Promise<TokenRecord | undefined> {
    return this.#one(SQL.tokenByHash, [hash], tokenOf);
  }

  listTokens(): Promise<TokenRecord[]> {
    return this.#all(SQL.allTokens, [], tokenOf);
  }

  async createSession(s: SessionRecord): Promise<void> {
    await this.#query(SQL.deleteExpiredSessions, [new Date().toISOString()]);
    await this.#query(SQL.insertSession, [s.hash, s.name, s.tokenHash, s.csrf, s.expiresAt]);
  }

  findSession(hash: string): Promise<SessionRecord | undefined> {
    return this.#one(SQL.sessionByHash, [hash], sessionOf);
  }

  async deleteSession(hash: string): Promise<void> {
    await this.#query(SQL.deleteSession, [hash]);
  }

  listPauses(): Promise<PauseRecord[]> {
    return this.#all(SQL.allPauses, [], pauseOf);
  }

  listFreezes(): Promise<FreezeRecord[]> {
    return this.#all(SQL.allFreezes, [], freezeOf);
  }

  openTrips(): Promise<TripRecord[]> {
    return this.#all(SQL.openTrips, [], tripOf);
  }

  async auditSize(): Promise<number> {
    return Number((await this.#query(SQL.auditCount)).rows[0]?.n ?? 0);
  }

  async *auditEntries(from = 0): AsyncIterable<StoredEntry> {
    for (let at = from; ; ) {
      const rows = await this.#all(SQL.auditPage, [at, PAGE], entryOf);
      yield* rows;
      const last = rows.at(-1);
      if (rows.length < PAGE || !last) return;
      at = last.index + 1;
    }
  }

  auditEntry(index: number): Promise<StoredEntry | undefined> {
    return this.#one(SQL.auditAt, [index], entryOf);
  }

  async addCheckpoint(c: Checkpoint): Promise<void> {
    await this.#query(SQL.insertCheckpoint, [c.size, c.note]);
  }

  checkpoints(): Promise<Checkpoint[]> {
    return this.#all(SQL.allCheckpoints, [], checkpointOf);
  }

  head(): Promise<Checkpoint | undefined> {
    return this.#one(SQL.head, [], checkpointOf);
  }

  /** `read` on one REPEATABLE READ snapshot: every read it makes sees the database as it was when it began. */
  async consistentRead<T>(read: () => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    } catch (err) {
      throw new StoreUnavailable(`the store could not be read: ${(err as Error).message}`);
    }
    let failed: Error | undefined;
    try {
      return await this.#snapshot.run(client, read);
    } catch (err) {
      failed = err as Error;
      throw err;
    } finally {
      await client.query("COMMIT").catch((err: Error) => {
        failed ??= err;
      });
      client.release(failed);
    }
  }

  async health(): Promise<StoreHealth> {
    try {
      const row = (await this.#query("SELECT max(version) AS version FROM schema_migrations")).rows[0] as
        | { version: number | null }
        | undefined;
      return schemaHealth(Number(row?.version ?? 0));
    } catch (err) {
      return { ok: false, code: "store_unavailable", message: (err as Error).message };
    }
  }

  acquireLease(name: string): Promise<Lease | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    return this.#leases.acquire(name);
  }

  /** Waits for queued commits, then closes the pool (and the lease session, releasing its leases). */
  async close(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (this.#closed) return;
    this.#closed = true;
    await this.#leases.close();
    await this.#pool.end();
  }
}

function tailOf(row: unknown): LogTail | undefined {
  return row === undefined ? undefined : entryOf(row);
}
