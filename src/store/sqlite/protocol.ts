import type { SealerHandoff } from "../../audit/sealer.js";
import { StoreConflict, StoreUnavailable, type StoreUnavailableCode } from "../errors.js";
import type { Change, CommitResult } from "../port.js";
import type { SqliteEngine } from "./engine.js";

/**
 * The messages between the embedded store (store.ts, on the thread that serves) and its worker thread
 * (worker.ts, which owns the SQLite connection). Everything that crosses is plain data, cloned: the
 * engine's errors travel as their class, message and code and are rebuilt on the other side, so a
 * caller still tells a conflict from an unavailable store by `instanceof` and `code`.
 */

/** Entries per `auditPage` message: no statement stays open across messages, and a page is one message. */
export const PAGE = 1000;

/** How the worker opens the store. */
export interface WorkerOptions {
  dataDir: string;
  readonly: boolean;
  /** Where the sealer of the thread that opened the store is: the worker signs with the same key from there. */
  sealer?: SealerHandoff;
}

/** The engine's methods the store forwards as they are, one message each. */
export const CALLS = [
  "getRequest",
  "findOpenRequest",
  "findLatestRequest",
  "listRequests",
  "dueRequests",
  "findToken",
  "listTokens",
  "createSession",
  "findSession",
  "deleteSession",
  "listPauses",
  "listFreezes",
  "openTrips",
  "auditSize",
  "auditPage",
  "auditEntry",
  "addCheckpoint",
  "checkpoints",
  "head",
  "beginSnapshot",
  "endSnapshot",
  "health",
] as const satisfies readonly (keyof SqliteEngine)[];
export type CallName = (typeof CALLS)[number];
export type Calls = Pick<SqliteEngine, CallName>;

export type Request =
  | { op: "call"; id: number; name: CallName; args: unknown[] }
  /** Changes to write, each answered in the `committed` reply of the transaction that wrote it. */
  | { op: "commit"; commits: { id: number; change: Change }[] }
  /** The tree the store's sealer was resumed to (the check at start rebuilt it): seal on from there. */
  | { op: "resume"; frontier: { size: number; nodes: string[] } }
  /** Write what is queued, close the file, answer, and stop. */
  | { op: "close"; id: number };

export type WireError =
  | { class: "StoreConflict"; message: string }
  | { class: "StoreUnavailable"; message: string; code: StoreUnavailableCode };

export type Outcome<T> = { id: number; value: T } | { id: number; error: WireError };

export type Reply =
  | { kind: "ready" }
  | { kind: "failed"; error: WireError }
  | ({ kind: "reply" } & Outcome<unknown>)
  /** One grouped transaction: every commit in it, after the head it signed (if any) is durable. */
  | {
      kind: "committed";
      results: Outcome<CommitResult>[];
      seal?: { size: number; note: string; nodes: string[] };
    };

export function toWire(err: unknown): WireError {
  if (err instanceof StoreConflict) return { class: "StoreConflict", message: err.message };
  if (err instanceof StoreUnavailable)
    return { class: "StoreUnavailable", message: err.message, code: err.code };
  return {
    class: "StoreUnavailable",
    message: (err as Error)?.message ?? String(err),
    code: "store_unavailable",
  };
}

export function fromWire(error: WireError): StoreConflict | StoreUnavailable {
  return error.class === "StoreConflict"
    ? new StoreConflict(error.message)
    : new StoreUnavailable(error.message, error.code);
}
