/** An entry as a store keeps it (store/records/log.ts has its schema, checked on every read). */
export interface StoredEntry {
  index: number;
  bytes: string;
  leafHash: Buffer;
}

/** A signed checkpoint of the log's first `size` entries. */
export interface Checkpoint {
  size: number;
  note: string;
}

/**
 * What the audit code reads and writes of a store: its entries, its checkpoint history and its signed
 * tree head. Every store (store/port.ts) is one, by its shape; defined here so the log's checks need no store.
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
