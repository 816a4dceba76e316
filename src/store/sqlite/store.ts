import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { appendEntries, type LogTail, tailAfter } from "../../audit/append.js";
import type { LogSealer, Seal } from "../../audit/sealer.js";
import { gateRefusal } from "../../gate/limits.js";
import { StoreConflict, StoreUnavailable } from "../errors.js";
import { checkSchemaVersion, MIGRATIONS } from "../migrations.js";
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
import { addCharges, readGateRows, writeGateState } from "./gate.js";
import { prepareStatements, type Statements } from "./statements.js";

/** Changes that arrive while a transaction commits share the next one; this caps one transaction. */
const MAX_BATCH = 2000;
/** Entries read at a time by `auditEntries`: no statement stays open while the caller awaits. */
const PAGE = 1000;

export interface StoreOptions {
  readonly?: boolean;
  /** Signs the log's head in every commit that appends (every writer of a served log has one). */
  sealer?: LogSealer;
  /** Told of each signed tree head once it is durable (to copy it outside the store). */
  afterSeal?: (head: Checkpoint) => void;
}

interface Queued {
  change: Change;
  resolve: (r: CommitResult) => void;
  reject: (e: Error) => void;
}

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a commit is on disk
 * before it resolves. Commits are grouped: every change queued while the event loop was busy is
 * written in one transaction (each in its own savepoint, so one refused change does not undo the
 * others), which is what makes a durable audit log fast. Audit indexes are read inside the write
 * transaction, so another process appending (`airlock token create`) cannot fork the log.
 */
export class SqliteStore implements Store, OperableStore {
  readonly #db: Database.Database;
  readonly #sql: Statements;
  #queue: Queued[] = [];
  #scheduled = false;
  #closed = false;
  readonly #options: StoreOptions;
  #upsertHeadStatement: Database.Statement | undefined;

  private constructor(db: Database.Database, options: StoreOptions) {
    this.#db = db;
    this.#sql = prepareStatements(db);
    this.#options = options;
  }

  /** Open (creating it if needed) the store in `dataDir`/airlock.db and bring its schema up to date. */
  static open(dataDir: string, options: StoreOptions = {}): SqliteStore {
    let db: Database.Database;
    try {
      if (!options.readonly) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      db = new Database(join(dataDir, "airlock.db"), {
        readonly: options.readonly ?? false,
        fileMustExist: options.readonly ?? false,
      });
      db.pragma("busy_timeout = 10000");
      if (!options.readonly) {
        db.pragma("journal_mode = WAL");
        db.pragma("synchronous = FULL");
        db.pragma("foreign_keys = ON");
        migrate(db);
      }
    } catch (err) {
      if (err instanceof StoreUnavailable) throw err;
      throw new StoreUnavailable(`cannot open the store in ${dataDir}: ${(err as Error).message}`);
    }
    return new SqliteStore(db, options);
  }

  commit(change: Change): Promise<CommitResult> {
    if (this.#closed) return Promise.reject(new StoreUnavailable("the store is closed"));
    return new Promise((resolve, reject) => {
      this.#queue.push({ change, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    const batch = this.#queue.splice(0, MAX_BATCH);
    this.#scheduled = this.#queue.length > 0;
    if (this.#scheduled) setImmediate(() => this.#flush());
    const outcomes: (CommitResult | Error)[] = [];
    const sql = this.#sql;
    let seal: Seal | undefined;
    try {
      sql.begin.run();
      let tail = this.#tail();
      const appended = { from: tail ? tail.index + 1 : 0, leaves: [] as Buffer[] };
      for (const { change } of batch) {
        sql.savepoint.run();
        try {
          const outcome = this.#apply(change, tail);
          if (outcome.ok) {
            sql.release.run();
            appended.leaves.push(...outcome.entries.map((e) => e.leafHash));
            tail = tailAfter(tail, outcome.entries);
            outcomes.push({ ok: true, firstIndex: outcome.firstIndex });
          } else {
            sql.rollbackTo.run();
            sql.release.run();
            outcomes.push(outcome);
          }
        } catch (err) {
          // Undone with its savepoint: the indexes it would have taken are free again.
          sql.rollbackTo.run();
          sql.release.run();
          outcomes.push(err instanceof StoreConflict ? err : new StoreUnavailable((err as Error).message));
        }
      }
      seal = this.#options.sealer?.draft((from) => this.auditEntriesSync(from), appended);
      if (seal) this.#upsertHead().run(seal.size, seal.note);
      sql.commit.run();
    } catch (err) {
      if (this.#db.inTransaction) this.#db.prepare("ROLLBACK").run();
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

  /** One change inside its savepoint: the gate's check on the rows it reads, then the writes. */
  #apply(
    change: Change,
    tail: LogTail | undefined,
  ):
    | (CommitResult & { ok: false })
    | { ok: true; firstIndex: number; entries: ReturnType<typeof appendEntries> } {
    const sql = this.#sql;
    if (change.gate) {
      const refused = gateRefusal(change.gate, readGateRows(sql, change.gate));
      if (refused) return { ok: false, refused };
      addCharges(sql, change.gate);
    }
    writeGateState(sql, change);
    this.#applyState(change);
    const entries = appendEntries(tail, change.audit);
    for (const e of entries) sql.insertEntry.run(e.index, e.bytes, e.leafHash);
    return { ok: true, firstIndex: tail ? tail.index + 1 : 0, entries };
  }

  /** The last entry, checked like every row read: a corrupt tail must not become the next entry's `prev`. */
  #tail(): LogTail | undefined {
    return maybe(this.#sql.auditTail.get(), entryOf);
  }

  /**
   * Entries from `from`, read synchronously a page at a time: what the sealer reads inside the write
   * transaction, and what a test of the embedded store reads between two steps.
   */
  *auditEntriesSync(from = 0): Iterable<StoredEntry> {
    for (let at = from; ; ) {
      const rows = this.#sql.auditPage.all(at, PAGE);
      for (const row of rows) yield entryOf(row);
      if (rows.length < PAGE) return;
      at = entryOf(rows.at(-1)).index + 1;
    }
  }

  #applyState(change: Change): void {
    const sql = this.#sql;
    if (change.create) {
      const r = change.create;
      try {
        sql.insertRequest.run(requestRow(r));
      } catch (err) {
        if ((err as { code?: string }).code?.startsWith("SQLITE_CONSTRAINT")) {
          throw new StoreConflict(
            `an open request already exists for digest ${r.digest} and agent ${r.agent}`,
          );
        }
        throw err;
      }
    }
    if (change.update) {
      const r = change.update;
      const updated = sql.updateRequest.run({ ...requestRow(r), previous: r.version - 1 });
      if (updated.changes !== 1) throw new StoreConflict(`request ${r.id} changed meanwhile`);
    }
    if (change.token) {
      const t = change.token;
      sql.insertToken.run(t.hash, t.identity.name, t.createdAt, JSON.stringify(t));
    }
    if (change.revokeTokensOf !== undefined) {
      sql.revokeTokens.run(new Date().toISOString(), change.revokeTokensOf);
    }
  }

  async getRequest(id: string): Promise<ApprovalRequest | undefined> {
    return this.#read(() => maybe(this.#sql.requestById.get(id), requestOf));
  }

  async findOpenRequest(digest: string, agent: string): Promise<ApprovalRequest | undefined> {
    return this.#read(() => maybe(this.#sql.openRequest.get(digest, agent), requestOf));
  }

  async findLatestRequest(digest: string, agent: string): Promise<ApprovalRequest | undefined> {
    return this.#read(() => maybe(this.#sql.latestRequest.get(digest, agent), requestOf));
  }

  async listRequests(filter: RequestFilter): Promise<ApprovalRequest[]> {
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    return this.#read(() =>
      (filter.status
        ? this.#sql.requestsByStatus.all(filter.status, limit)
        : this.#sql.requestsPendingFirst.all(limit)
      ).map(requestOf),
    );
  }

  async dueRequests(now: string): Promise<ApprovalRequest[]> {
    return this.#read(() => this.#sql.dueRequests.all(now, now).map(requestOf));
  }

  async findToken(hash: string): Promise<TokenRecord | undefined> {
    return this.#read(() => maybe(this.#sql.tokenByHash.get(hash), tokenOf));
  }

  async listTokens(): Promise<TokenRecord[]> {
    return this.#read(() => this.#sql.allTokens.all().map(tokenOf));
  }

  async createSession(s: SessionRecord): Promise<void> {
    this.#read(() => {
      this.#sql.deleteExpiredSessions.run(new Date().toISOString());
      this.#sql.insertSession.run(s.hash, s.name, s.tokenHash, s.csrf, s.expiresAt);
    });
  }

  async findSession(hash: string): Promise<SessionRecord | undefined> {
    return this.#read(() => maybe(this.#sql.sessionByHash.get(hash), sessionOf));
  }

  async deleteSession(hash: string): Promise<void> {
    this.#read(() => this.#sql.deleteSession.run(hash));
  }

  async listPauses(): Promise<PauseRecord[]> {
    return this.#read(() => this.#sql.allPauses.all().map(pauseOf));
  }

  async listFreezes(): Promise<FreezeRecord[]> {
    return this.#read(() => this.#sql.allFreezes.all().map(freezeOf));
  }

  async openTrips(): Promise<TripRecord[]> {
    return this.#read(() => this.#sql.openTrips.all().map(tripOf));
  }

  async auditSize(): Promise<number> {
    return this.#read(() => (this.#sql.auditCount.get() as { n: number }).n);
  }

  async *auditEntries(from = 0): AsyncIterable<StoredEntry> {
    // A page at a time, so no statement is left open while the caller awaits (and commits go on).
    for (let at = from; ; ) {
      const rows = this.#read(() => this.#sql.auditPage.all(at, PAGE).map(entryOf));
      yield* rows;
      const last = rows.at(-1);
      if (rows.length < PAGE || !last) return;
      at = last.index + 1;
    }
  }

  async auditEntry(index: number): Promise<StoredEntry | undefined> {
    return this.#read(() => maybe(this.#sql.auditAt.get(index), entryOf));
  }

  async addCheckpoint(c: Checkpoint): Promise<void> {
    this.#read(() => this.#sql.insertCheckpoint.run(c.size, c.note));
  }

  async checkpoints(): Promise<Checkpoint[]> {
    return this.#read(() => this.#sql.allCheckpoints.all().map(checkpointOf));
  }

  async head(): Promise<Checkpoint | undefined> {
    return this.#read(() => {
      // A store an older airlock wrote, opened read-only (so not migrated), has no head yet.
      if (!this.#db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'audit_head'").get()) return undefined;
      return maybe(this.#db.prepare("SELECT size, note FROM audit_head WHERE id = 1").get(), checkpointOf);
    });
  }

  async consistentRead<T>(read: () => Promise<T>): Promise<T> {
    this.#db.prepare("BEGIN").run();
    try {
      return await read();
    } finally {
      if (this.#db.inTransaction) this.#db.prepare("COMMIT").run();
    }
  }

  /** A read (or a write outside `commit`): any failure of SQLite is an unavailable store, a corrupt row included. */
  #read<T>(run: () => T): T {
    if (this.#closed) throw new StoreUnavailable("the store is closed");
    try {
      return run();
    } catch (err) {
      if (err instanceof StoreUnavailable) throw err;
      throw new StoreUnavailable(`the store could not be read: ${(err as Error).message}`);
    }
  }

  #upsertHead(): Database.Statement {
    this.#upsertHeadStatement ??= this.#db.prepare(
      "INSERT INTO audit_head (id, size, note) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET size = excluded.size, note = excluded.note",
    );
    return this.#upsertHeadStatement;
  }

  async health(): Promise<StoreHealth> {
    if (this.#closed || !this.#db.open)
      return { ok: false, code: "store_unavailable", message: "the store is closed" };
    try {
      const { version } = this.#db.prepare("SELECT max(version) AS version FROM schema_migrations").get() as {
        version: number | null;
      };
      return schemaHealth(version ?? 0);
    } catch (err) {
      return { ok: false, code: "store_unavailable", message: (err as Error).message };
    }
  }

  /** One process serves a SQLite file, so it always holds every lease (until the store closes). */
  async acquireLease(name: string): Promise<Lease | undefined> {
    if (this.#closed) return undefined;
    let released = false;
    return {
      name,
      held: async () => !released && !this.#closed,
      release: async () => {
        released = true;
      },
    };
  }

  /** Waits for queued commits, then closes the file. */
  async close(): Promise<void> {
    while (this.#queue.length > 0 || this.#scheduled) await new Promise((r) => setImmediate(r));
    this.#closed = true;
    if (this.#db.open) this.#db.close();
  }
}

function migrate(db: Database.Database): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
  );
  const applied = new Set(
    (db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  checkSchemaVersion(applied);
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(
        m.version,
        new Date().toISOString(),
      );
    }).immediate();
  }
}

function maybe<T>(row: unknown, of: (row: unknown) => T): T | undefined {
  return row === undefined ? undefined : of(row);
}
