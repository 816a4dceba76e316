import * as z from "zod/mini";
import "../action/zod.js";

/** An entry as a store keeps it: its position, its exact bytes and the leaf hash stored beside them. */
export const StoredEntry = z.object({
  index: z.int().check(z.minimum(0)),
  bytes: z.string(),
  leafHash: z.custom<Buffer>((v) => Buffer.isBuffer(v) && v.length === 32, "a leaf hash is 32 bytes"),
});
export type StoredEntry = z.infer<typeof StoredEntry>;

/** A signed checkpoint (C2SP signed note) of the first `size` entries. */
export const Checkpoint = z.object({
  size: z.int().check(z.minimum(0)),
  note: z.string(),
});
export type Checkpoint = z.infer<typeof Checkpoint>;

/**
 * What the audit code reads and writes of a store: its entries, its checkpoint history and its signed
 * tree head. Every store (store/port.ts) is one; defined here so the log's checks need no store.
 */
export interface AuditLogStore {
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
}
