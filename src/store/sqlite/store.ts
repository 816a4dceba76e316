import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { ApprovalRequest } from "../../approvals/request.js";
import { encodeEntry } from "../../audit/entry.js";
import { leafHash } from "../../audit/merkle.js";
import type { LogSealer, Seal } from "../../audit/sealer.js";
import type { Lease, OperableStore, StoreHealth } from "../operations.js";
import {
  type Change,
  type Checkpoint,
  type CommitResult,
  type FreezeRecord,
  GateRefused,
  type PauseRecord,
  type RequestFilter,
  type SessionRecord,
  type Store,
  StoreConflict,
  type StoredEntry,
  StoreUnavailable,
  type TokenRecord,
  type TripRecord,
} from "../port.js";
import { applyMonitor, freezeOf, pauseOf } from "./gate.js";
import { MIGRATIONS } from "./migrations.js";
import { prepareStatements, type Statements } from "./statements.js";

const ZERO_HASH = Buffer.alloc(32);
/** Changes that arrive while a transaction commits share the next one; this caps one transaction. */
const MAX_BATCH = 2000;

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
      const tail = sql.auditTail.get() as { idx: number; leaf_hash: Buffer } | undefined;
      let next = tail ? tail.idx + 1 : 0;
      let prev = tail ? tail.leaf_hash : ZERO_HASH;
      const appended = { from: next, leaves: [] as Buffer[] };
      for (const { change } of batch) {
        sql.savepoint.run();
        try {
          const firstIndex = next;
          const leaves: Buffer[] = [];
          this.#applyState(change);
          for (const draft of change.audit) {
            const bytes = encodeEntry(draft, next, prev.toString("hex"));
            const hash = leafHash(bytes);
            sql.insertEntry.run(next, bytes, hash);
            leaves.push(hash);
            prev = hash;
            next++;
          }
          sql.release.run();
          appended.leaves.push(...leaves);
          outcomes.push({ firstIndex });
        } catch (err) {
          sql.rollbackTo.run();
          sql.release.run();
          // Indexes handed out inside the undone savepoint are free again.
          const again = sql.auditTail.get() as { idx: number; leaf_hash: Buffer } | undefined;
          next = again ? again.idx + 1 : 0;
          prev = again ? again.leaf_hash : ZERO_HASH;
          outcomes.push(
            err instanceof StoreConflict || err instanceof GateRefused
              ? err
              : new StoreUnavailable((err as Error).message),
          );
        }
      }
      seal = this.#options.sealer?.draft((from) => this.auditEntries(from), appended);
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

  #applyState(change: Change): void {
    const sql = this.#sql;
    applyMonitor(sql, change);
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
    return parseRequest(this.#sql.requestById.get(id));
  }

  async findOpenRequest(digest: string, agent: string): Promise<ApprovalRequest | undefined> {
    return parseRequest(this.#sql.openRequest.get(digest, agent));
  }

  async findLatestRequest(digest: string, agent: string): Promise<ApprovalRequest | undefined> {
    return parseRequest(this.#sql.latestRequest.get(digest, agent));
  }

  async listRequests(filter: RequestFilter): Promise<ApprovalRequest[]> {
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    const rows = filter.status
      ? this.#sql.requestsByStatus.all(filter.status, limit)
      : this.#sql.requestsPendingFirst.all(limit);
    return rows.map((row) => parseRequest(row)).filter((r): r is ApprovalRequest => r !== undefined);
  }

  async dueRequests(now: string): Promise<ApprovalRequest[]> {
    return this.#sql.dueRequests
      .all(now, now)
      .map((row) => parseRequest(row))
      .filter((r): r is ApprovalRequest => r !== undefined);
  }

  async findToken(hash: string): Promise<TokenRecord | undefined> {
    const row = this.#sql.tokenByHash.get(hash) as { body: string; revoked_at: string | null } | undefined;
    if (!row) return undefined;
    const token = JSON.parse(row.body) as TokenRecord;
    return row.revoked_at ? { ...token, revokedAt: row.revoked_at } : token;
  }

  async listTokens(): Promise<TokenRecord[]> {
    return (this.#sql.allTokens.all() as { body: string; revoked_at: string | null }[]).map((row) => {
      const token = JSON.parse(row.body) as TokenRecord;
      return row.revoked_at ? { ...token, revokedAt: row.revoked_at } : token;
    });
  }

  async createSession(s: SessionRecord): Promise<void> {
    this.#sql.deleteExpiredSessions.run(new Date().toISOString());
    this.#sql.insertSession.run(s.hash, s.name, s.tokenHash, s.csrf, s.expiresAt);
  }

  async findSession(hash: string): Promise<SessionRecord | undefined> {
    const row = this.#sql.sessionByHash.get(hash) as
      | { hash: string; name: string; token_hash: string; csrf: string; expires_at: string }
      | undefined;
    if (!row) return undefined;
    return {
      hash: row.hash,
      name: row.name,
      tokenHash: row.token_hash,
      csrf: row.csrf,
      expiresAt: row.expires_at,
    };
  }

  async deleteSession(hash: string): Promise<void> {
    this.#sql.deleteSession.run(hash);
  }

  async listPauses(): Promise<PauseRecord[]> {
    return this.#sql.allPauses.all().map((row) => pauseOf(row) as PauseRecord);
  }

  async listFreezes(): Promise<FreezeRecord[]> {
    return this.#sql.allFreezes.all().map((row) => freezeOf(row) as FreezeRecord);
  }

  async openTrips(): Promise<TripRecord[]> {
    return (this.#sql.openTrips.all() as { body: string }[]).map((row) => JSON.parse(row.body) as TripRecord);
  }

  async auditSize(): Promise<number> {
    return (this.#sql.auditCount.get() as { n: number }).n;
  }

  *auditEntries(from = 0): Iterable<StoredEntry> {
    for (const row of this.#sql.auditFrom.iterate(from) as Iterable<{
      idx: number;
      entry: string;
      leaf_hash: Buffer;
    }>) {
      yield { index: row.idx, bytes: row.entry, leafHash: row.leaf_hash };
    }
  }

  async auditEntry(index: number): Promise<StoredEntry | undefined> {
    const row = this.#sql.auditAt.get(index) as { idx: number; entry: string; leaf_hash: Buffer } | undefined;
    return row ? { index: row.idx, bytes: row.entry, leafHash: row.leaf_hash } : undefined;
  }

  async addCheckpoint(c: Checkpoint): Promise<void> {
    this.#sql.insertCheckpoint.run(c.size, c.note);
  }

  async checkpoints(): Promise<Checkpoint[]> {
    return this.#sql.allCheckpoints.all() as Checkpoint[];
  }

  async head(): Promise<Checkpoint | undefined> {
    // A store an older airlock wrote, opened read-only (so not migrated), has no head yet.
    if (!this.#db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'audit_head'").get()) return undefined;
    return this.#db.prepare("SELECT size, note FROM audit_head WHERE id = 1").get() as Checkpoint | undefined;
  }

  async consistentRead<T>(read: () => Promise<T>): Promise<T> {
    this.#db.prepare("BEGIN").run();
    try {
      return await read();
    } finally {
      if (this.#db.inTransaction) this.#db.prepare("COMMIT").run();
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
    return { name, held: async () => !this.#closed, release: async () => undefined };
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
  const newest = Math.max(0, ...applied);
  const known = Math.max(...MIGRATIONS.map((m) => m.version));
  if (newest > known) {
    throw new Error(
      `the store has schema version ${newest}, newer than this airlock (${known}); upgrade airlock`,
    );
  }
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

/** The schema version a store has, against the newest this binary knows. */
export function schemaHealth(version: number): StoreHealth {
  const known = Math.max(...MIGRATIONS.map((m) => m.version));
  if (version === known) return { ok: true, schema: version };
  return version > known
    ? {
        ok: false,
        code: "schema_newer",
        message: `the store has schema version ${version}, newer than this airlock (${known}); upgrade airlock`,
      }
    : {
        ok: false,
        code: "schema_outdated",
        message: `the store has schema version ${version}; this airlock needs ${known}`,
      };
}

function requestRow(r: ApprovalRequest) {
  return {
    id: r.id,
    digest: r.digest,
    agent: r.agent,
    status: r.status,
    created_at: r.createdAt,
    expires_at: r.expiresAt,
    releasable_at: r.releasableAt ?? null,
    version: r.version,
    body: JSON.stringify(r),
  };
}

function parseRequest(row: unknown): ApprovalRequest | undefined {
  if (!row) return undefined;
  return JSON.parse((row as { body: string }).body) as ApprovalRequest;
}
