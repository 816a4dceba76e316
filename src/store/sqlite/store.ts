import { Worker } from "node:worker_threads";
import { MerkleFrontier } from "../../audit/frontier.js";
import type { LogSealer } from "../../audit/sealer.js";
import { StoreUnavailable } from "../errors.js";
import type { Lease, OperableStore, StoreHealth } from "../operations.js";
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
  type CallName,
  type Calls,
  fromWire,
  PAGE,
  type Reply,
  type Request,
  type WorkerOptions,
} from "./protocol.js";

export interface StoreOptions {
  readonly?: boolean;
  /** Signs the log's head in every commit that appends (every writer of a served log has one). */
  sealer?: LogSealer;
  /** Told of each signed tree head once it is durable (to copy it outside the store). */
  afterSeal?: (head: Checkpoint) => void;
  /** The worker's script; tests start one that dies. The bundled one when absent. */
  workerUrl?: URL;
}

interface Pending {
  resolve: (value: never) => void;
  reject: (error: Error) => void;
}

/** The bundled worker beside this chunk in dist/; from the sources (tests, bench), the one the build wrote. */
function workerUrl(): URL {
  return import.meta.url.endsWith(".ts")
    ? new URL("../../../dist/sqlite-worker.mjs", import.meta.url)
    : new URL("./sqlite-worker.mjs", import.meta.url);
}

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a commit is on disk before
 * it resolves. The file belongs to a worker thread (worker.ts runs the engine, engine.ts), and this
 * class forwards each call to it as a message: the thread that serves never waits for SQLite or an
 * fsync, so a proxied packet is not held up behind a commit. Commits are grouped twice: those made in
 * one turn of this thread's event loop go as one message, and the worker writes every change that
 * arrived while its last transaction was being written in the next one (each in its own savepoint),
 * which is what makes a durable audit log fast.
 *
 * The worker signs the log's head in each appending commit with the sealer's key (handed over at
 * open); this thread's sealer adopts each head and `afterSeal` hears of it before the commits resolve.
 * A worker that fails to start or stops fails closed: every pending and later call rejects with
 * StoreUnavailable. `consistentRead` opens a read transaction in the worker around the callback, whose
 * calls then all read that one snapshot. Every command uses this same path, one-shot ones included:
 * the worker's start (its own V8 isolate, loading the engine and zod; `airlock token list` 158 → 219 ms
 * median on the 2-core machine) is paid only by the admin commands that open the store (token, audit,
 * replay, restore), none on an agent's path.
 */
export class SqliteStore implements Store, OperableStore {
  readonly #worker: Worker;
  readonly #options: StoreOptions;
  readonly #pending = new Map<number, Pending>();
  /** Commits made in this turn of the event loop, not sent yet. */
  readonly #outbox: { id: number; change: Change }[] = [];
  #nextId = 1;
  /** Why the worker can no longer answer: it stopped, failed, or the store was closed. */
  #gone: StoreUnavailable | undefined;
  #closing: Promise<void> | undefined;
  /** The tree size the worker's sealer is known to have; this thread's sealer may be resumed past it. */
  #workerSealed: number;

  private constructor(worker: Worker, options: StoreOptions) {
    this.#worker = worker;
    this.#options = options;
    this.#workerSealed = options.sealer?.size ?? 0;
    worker.on("message", (reply: Reply) => this.#receive(reply));
    worker.on("error", (err) => this.#lose(`failed: ${err.message}`));
    worker.on("exit", (code) => this.#lose(`stopped (exit code ${code})`));
  }

  /** Open (creating it if needed) the store in `dataDir`/airlock.db and bring its schema up to date. */
  static async open(dataDir: string, options: StoreOptions = {}): Promise<SqliteStore> {
    const workerData: WorkerOptions = {
      dataDir,
      readonly: options.readonly ?? false,
      ...(options.sealer ? { sealer: options.sealer.handoff() } : {}),
    };
    let worker: Worker;
    try {
      worker = new Worker(options.workerUrl ?? workerUrl(), { workerData });
    } catch (err) {
      throw new StoreUnavailable(`the store's worker thread did not start: ${(err as Error).message}`);
    }
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        worker.off("message", started);
        void worker.terminate();
        reject(error);
      };
      const started = (reply: Reply) => {
        if (reply.kind === "failed") fail(fromWire(reply.error));
        else if (reply.kind === "ready") {
          worker.off("message", started);
          worker.off("error", failed);
          worker.off("exit", exited);
          resolve();
        }
      };
      const failed = (err: Error) =>
        fail(new StoreUnavailable(`the store's worker thread did not start: ${err.message}`));
      const exited = (code: number) =>
        fail(new StoreUnavailable(`the store's worker thread stopped as it started (exit code ${code})`));
      worker.on("message", started);
      worker.once("error", failed);
      worker.once("exit", exited);
    });
    worker.unref();
    return new SqliteStore(worker, options);
  }

  #receive(reply: Reply): void {
    if (reply.kind === "reply") this.#settle(reply);
    else if (reply.kind === "committed") {
      if (reply.seal) {
        const { size, note, nodes } = reply.seal;
        // This thread's sealer follows the worker's, so a reader of `sealer.size` sees the durable head.
        this.#options.sealer?.adopt({ size, note, frontier: MerkleFrontier.restore({ size, nodes }) });
        this.#workerSealed = size;
        this.#options.afterSeal?.({ size, note });
      }
      for (const result of reply.results) this.#settle(result);
    }
  }

  #settle(
    outcome: { id: number; value: unknown } | { id: number; error: Parameters<typeof fromWire>[0] },
  ): void {
    const pending = this.#pending.get(outcome.id);
    if (!pending) return;
    this.#pending.delete(outcome.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if ("error" in outcome) pending.reject(fromWire(outcome.error));
    else pending.resolve(outcome.value as never);
  }

  /** The worker is gone: every call waiting for it, and every later one, fails closed. */
  #lose(why: string): void {
    this.#gone ??= new StoreUnavailable(`the store's worker thread ${why}; restart airlock`);
    const failure = this.#gone;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(failure);
  }

  /** A promise for the reply to call `id`; the worker keeps the process alive while one is awaited. */
  #expect<T>(id: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve: resolve as (value: never) => void, reject });
    });
  }

  /** Post `request`; the error when it holds a value that cannot be copied to another thread. */
  #send(request: Request): Error | undefined {
    try {
      this.#worker.postMessage(request);
      return undefined;
    } catch (err) {
      return err as Error;
    }
  }

  #call<K extends CallName>(name: K, ...args: Parameters<Calls[K]>): Promise<ReturnType<Calls[K]>> {
    if (this.#gone) return Promise.reject(this.#gone);
    const id = this.#nextId++;
    const reply = this.#expect<ReturnType<Calls[K]>>(id);
    const unsent = this.#send({ op: "call", id, name, args });
    if (unsent) this.#refuse(id, unsent);
    return reply;
  }

  /** A call that could not be copied to the worker: the caller's fault, the store goes on. */
  #refuse(id: number, why: Error): void {
    const message = `the store could not be handed the call: ${why.message}`;
    this.#settle({ id, error: { class: "StoreUnavailable", message, code: "store_unavailable" } });
  }

  /**
   * Queued, and sent with every other commit of this turn of the event loop as one message: the
   * worker writes them in one transaction, as a store on this thread did when it waited a turn.
   */
  commit(change: Change): Promise<CommitResult> {
    if (this.#gone) return Promise.reject(this.#gone);
    const id = this.#nextId++;
    const reply = this.#expect<CommitResult>(id);
    this.#outbox.push({ id, change });
    if (this.#outbox.length === 1) setImmediate(() => this.#sendCommits());
    return reply;
  }

  #sendCommits(): void {
    const commits = this.#outbox.splice(0);
    // Gone meanwhile: `#lose` has already failed them.
    if (commits.length === 0 || this.#gone) return;
    const sealer = this.#options.sealer;
    // The sealer was resumed here (the check at start rebuilt the tree): the worker goes on from there.
    if (sealer && sealer.size > this.#workerSealed) {
      const frontier = sealer.handoff().frontier;
      this.#send({ op: "resume", frontier });
      this.#workerSealed = frontier.size;
    }
    if (!this.#send({ op: "commit", commits })) return;
    // One of them cannot be copied: each alone, so that only that one fails.
    for (const c of commits) {
      const unsent = this.#send({ op: "commit", commits: [c] });
      if (unsent) this.#refuse(c.id, unsent);
    }
  }

  getRequest(id: string): Promise<ApprovalRequest | undefined> {
    return this.#call("getRequest", id);
  }

  findOpenRequest(digest: string, agent: string): Promise<ApprovalRequest | undefined> {
    return this.#call("findOpenRequest", digest, agent);
  }

  findLatestRequest(digest: string, agent: string): Promise<ApprovalRequest | undefined> {
    return this.#call("findLatestRequest", digest, agent);
  }

  listRequests(filter: RequestFilter): Promise<ApprovalRequest[]> {
    return this.#call("listRequests", filter);
  }

  dueRequests(now: string): Promise<ApprovalRequest[]> {
    return this.#call("dueRequests", now);
  }

  findToken(hash: string): Promise<TokenRecord | undefined> {
    return this.#call("findToken", hash);
  }

  listTokens(): Promise<TokenRecord[]> {
    return this.#call("listTokens");
  }

  createSession(session: SessionRecord): Promise<void> {
    return this.#call("createSession", session);
  }

  findSession(hash: string): Promise<SessionRecord | undefined> {
    return this.#call("findSession", hash);
  }

  deleteSession(hash: string): Promise<void> {
    return this.#call("deleteSession", hash);
  }

  listPauses(): Promise<PauseRecord[]> {
    return this.#call("listPauses");
  }

  listFreezes(): Promise<FreezeRecord[]> {
    return this.#call("listFreezes");
  }

  openTrips(): Promise<TripRecord[]> {
    return this.#call("openTrips");
  }

  auditSize(): Promise<number> {
    return this.#call("auditSize");
  }

  async *auditEntries(from = 0): AsyncIterable<StoredEntry> {
    // A page per message, the next one asked for while the caller reads this one.
    let next = this.#call("auditPage", from);
    for (;;) {
      const rows = (await next).map(entryFromThread);
      const last = rows.at(-1);
      const more = rows.length === PAGE && last !== undefined;
      if (more) next = this.#call("auditPage", last.index + 1);
      yield* rows;
      if (!more) return;
    }
  }

  async auditEntry(index: number): Promise<StoredEntry | undefined> {
    const entry = await this.#call("auditEntry", index);
    return entry && entryFromThread(entry);
  }

  addCheckpoint(checkpoint: Checkpoint): Promise<void> {
    return this.#call("addCheckpoint", checkpoint);
  }

  checkpoints(): Promise<Checkpoint[]> {
    return this.#call("checkpoints");
  }

  head(): Promise<Checkpoint | undefined> {
    return this.#call("head");
  }

  /** A read transaction is open in the worker around `read`: its calls, on the one connection, see one snapshot. */
  async consistentRead<T>(read: () => Promise<T>): Promise<T> {
    await this.#call("beginSnapshot");
    try {
      return await read();
    } finally {
      await this.#call("endSnapshot").catch(() => undefined);
    }
  }

  async health(): Promise<StoreHealth> {
    if (this.#gone) return { ok: false, code: "store_unavailable", message: this.#gone.message };
    try {
      return await this.#call("health");
    } catch (err) {
      return { ok: false, code: "store_unavailable", message: (err as Error).message };
    }
  }

  /** One process serves a SQLite file, so it always holds every lease (until the store closes or its worker stops). */
  async acquireLease(name: string): Promise<Lease | undefined> {
    if (this.#gone) return undefined;
    let released = false;
    return {
      name,
      held: async () => !released && !this.#gone,
      release: async () => {
        released = true;
      },
    };
  }

  /** Waits for queued commits, then closes the file and stops the worker. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      // Ordered after every call made before: the worker answers them, writes what is queued, then closes.
      this.#sendCommits();
      let closed: Promise<unknown> = Promise.resolve();
      if (!this.#gone) {
        const id = this.#nextId++;
        closed = this.#expect(id);
        this.#send({ op: "close", id });
      }
      this.#gone ??= new StoreUnavailable("the store is closed");
      await closed.catch(() => undefined);
      await this.#worker.terminate();
    })();
    return this.#closing;
  }
}

/** A Buffer crosses threads as a plain Uint8Array: the entry's leaf hash is a Buffer again, without a copy. */
function entryFromThread(entry: StoredEntry): StoredEntry {
  const hash: Uint8Array = entry.leafHash;
  return { ...entry, leafHash: Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength) };
}
