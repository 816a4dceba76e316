import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { appendEntries, type LogTail, tailAfter } from "../../audit/append.js";
import type { LogSealer, Seal } from "../../audit/sealer.js";
import { gateRefusal } from "../../gate/limits.js";
import { StoreConflict, StoreUnavailable } from "../errors.js";
import { checkSchemaVersion, MIGRATIONS } from "../migrations.js";
import { type StoreHealth, schemaHealth } from "../operations.js";
import type {
  Change,
  Checkpoint,
  CommitResult,
  FreezeRecord,
  PauseRecord,
  RequestFilter,
  SessionRecord,
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
import { PAGE } from "./protocol.js";
import { prepareStatements, type Statements } from "./statements.js";

export interface EngineOptions {
  readonly?: boolean;
  /** Signs the log's head in every commit that appends (every writer of a served log has one). */
  sealer?: LogSealer;
}

/** What one grouped transaction did: each change's outcome in order, and the head it signed. */
export interface BatchOutcome {
  outcomes: (CommitResult | StoreConflict | StoreUnavailable)[];
  seal?: Seal;
}

/**
 * The embedded store's database work, synchronous: one SQLite file in WAL mode with synchronous=FULL,
 * so a commit is on disk before it returns. It runs on the store's worker thread (worker.ts), never on
 * the thread that serves: a commit's fsync blocks whatever thread runs it. `commitBatch` writes changes
 * in one transaction, each in its own savepoint, so one refused change does not undo the others. Audit
 * indexes are read inside the write transaction, so another process appending (`airlock token create`)
 * cannot fork the log. Every method throws StoreConflict or StoreUnavailable only.
 */
export class SqliteEngine {
  readonly #db: Database.Database;
  readonly #sql: Statements;
  readonly #sealer: LogSealer | undefined;
  #upsertHeadStatement: Database.Statement | undefined;

  private constructor(db: Database.Database, sealer: LogSealer | undefined) {
    this.#db = db;
    this.#sql = prepareStatements(db);
    this.#sealer = sealer;
  }

  /** Open (creating it if needed) the store in `dataDir`/airlock.db and bring its schema up to date. */
  static open(dataDir: string, options: EngineOptions = {}): SqliteEngine {
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
    return new SqliteEngine(db, options.sealer);
  }

  /** Continue sealing from a tree rebuilt elsewhere (the check at start), rather than read the log again. */
  resumeSeal(frontier: { size: number; nodes: readonly string[] }): void {
    this.#sealer?.resume(frontier);
  }

  /** Write `changes` in one transaction. Throws StoreUnavailable when the transaction itself fails (nothing written). */
  commitBatch(changes: readonly Change[]): BatchOutcome {
    const outcomes: BatchOutcome["outcomes"] = [];
    const sql = this.#sql;
    let seal: Seal | undefined;
    try {
      sql.begin.run();
      let tail = this.#tail();
      const appended = { from: tail ? tail.index + 1 : 0, leaves: [] as Buffer[] };
      for (const change of changes) {
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
      seal = this.#sealer?.draft((from) => this.auditEntriesSync(from), appended);
      if (seal) this.#upsertHead().run(seal.size, seal.note);
      sql.commit.run();
    } catch (err) {
      if (this.#db.inTransaction) this.#db.prepare("ROLLBACK").run();
      throw new StoreUnavailable(`the store could not commit: ${(err as Error).message}`);
    }
    if (seal) this.#sealer?.adopt(seal);
    return seal ? { outcomes, seal } : { outcomes };
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

  /** Entries from `from`, read a page at a time: what the sealer reads inside the write transaction. */
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

  getRequest(id: string): ApprovalRequest | undefined {
    return this.#read(() => maybe(this.#sql.requestById.get(id), requestOf));
  }

  findOpenRequest(digest: string, agent: string): ApprovalRequest | undefined {
    return this.#read(() => maybe(this.#sql.openRequest.get(digest, agent), requestOf));
  }

  findLatestRequest(digest: string, agent: string): ApprovalRequest | undefined {
    return this.#read(() => maybe(this.#sql.latestRequest.get(digest, agent), requestOf));
  }

  listRequests(filter: RequestFilter): ApprovalRequest[] {
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    return this.#read(() =>
      (filter.status
        ? this.#sql.requestsByStatus.all(filter.status, limit)
        : this.#sql.requestsPendingFirst.all(limit)
      ).map(requestOf),
    );
  }

  dueRequests(now: string): ApprovalRequest[] {
    return this.#read(() => this.#sql.dueRequests.all(now, now).map(requestOf));
  }

  findToken(hash: string): TokenRecord | undefined {
    return this.#read(() => maybe(this.#sql.tokenByHash.get(hash), tokenOf));
  }

  listTokens(): TokenRecord[] {
    return this.#read(() => this.#sql.allTokens.all().map(tokenOf));
  }

  createSession(s: SessionRecord): void {
    this.#read(() => {
      this.#sql.deleteExpiredSessions.run(new Date().toISOString());
      this.#sql.insertSession.run(s.hash, s.name, s.tokenHash, s.csrf, s.expiresAt);
    });
  }

  findSession(hash: string): SessionRecord | undefined {
    return this.#read(() => maybe(this.#sql.sessionByHash.get(hash), sessionOf));
  }

  deleteSession(hash: string): void {
    this.#read(() => this.#sql.deleteSession.run(hash));
  }

  listPauses(): PauseRecord[] {
    return this.#read(() => this.#sql.allPauses.all().map(pauseOf));
  }

  listFreezes(): FreezeRecord[] {
    return this.#read(() => this.#sql.allFreezes.all().map(freezeOf));
  }

  openTrips(): TripRecord[] {
    return this.#read(() => this.#sql.openTrips.all().map(tripOf));
  }

  auditSize(): number {
    return this.#read(() => (this.#sql.auditCount.get() as { n: number }).n);
  }

  /** Up to PAGE entries from `from`, in index order. */
  auditPage(from: number): StoredEntry[] {
    return this.#read(() => this.#sql.auditPage.all(from, PAGE).map(entryOf));
  }

  auditEntry(index: number): StoredEntry | undefined {
    return this.#read(() => maybe(this.#sql.auditAt.get(index), entryOf));
  }

  addCheckpoint(c: Checkpoint): void {
    this.#read(() => this.#sql.insertCheckpoint.run(c.size, c.note));
  }

  checkpoints(): Checkpoint[] {
    return this.#read(() => this.#sql.allCheckpoints.all().map(checkpointOf));
  }

  head(): Checkpoint | undefined {
    return this.#read(() => {
      // A store an older airlock wrote, opened read-only (so not migrated), has no head yet.
      if (!this.#db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'audit_head'").get()) return undefined;
      return maybe(this.#db.prepare("SELECT size, note FROM audit_head WHERE id = 1").get(), checkpointOf);
    });
  }

  /** Open a read transaction: the reads until `endSnapshot` see one snapshot (the store's `consistentRead`). */
  beginSnapshot(): void {
    this.#read(() => this.#db.prepare("BEGIN").run());
  }

  endSnapshot(): void {
    this.#read(() => {
      if (this.#db.inTransaction) this.#db.prepare("COMMIT").run();
    });
  }

  /** A read (or a write outside `commit`): any failure of SQLite is an unavailable store, a corrupt row included. */
  #read<T>(run: () => T): T {
    if (!this.#db.open) throw new StoreUnavailable("the store is closed");
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

  /** Never throws. */
  health(): StoreHealth {
    if (!this.#db.open) return { ok: false, code: "store_unavailable", message: "the store is closed" };
    try {
      const { version } = this.#db.prepare("SELECT max(version) AS version FROM schema_migrations").get() as {
        version: number | null;
      };
      return schemaHealth(version ?? 0);
    } catch (err) {
      return { ok: false, code: "store_unavailable", message: (err as Error).message };
    }
  }

  close(): void {
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
  const done = db.prepare("SELECT 1 FROM schema_migrations WHERE version = ?");
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      // Asked again under the write lock: another process (or another store's worker) may have just applied it.
      if (done.get(m.version)) return;
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
