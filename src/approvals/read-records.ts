/**
 * How long, by default (`postgres.readEntryDelayMs`, `aws.readEntryDelayMs`), the audit entries of
 * reads an edge forwarded at once wait before they are queued for the store, unless something that may
 * write comes first. The commit's write and fsync hold the event loop; queued at once, they would run
 * before the read's answer is relayed, and in every call's path. Waiting this long lets the reads of
 * the last few milliseconds share one commit, run between their answers. It is also how long a read
 * that ran may stay unrecorded if the process dies (docs/postgres.md, "What is recorded"; docs/aws.md).
 */
export const READ_ENTRY_DELAY_MS = 5;

/**
 * When the audit entries of reads, already forwarded, are queued for the store: one moment shared by
 * every connection of an edge (the PostgreSQL proxy, the AWS endpoint), so that their entries go into
 * one group commit. Anything that may write calls `now()` before its own entry is committed
 * (ApprovalService.submitRead does), so the reads sent before it are logged before it, in the same
 * commit as its own entry.
 */
export class ReadRecords {
  constructor(private readonly delayMs: number = READ_ENTRY_DELAY_MS) {}

  #due: { promise: Promise<void>; release: () => void; timer: NodeJS.Timeout } | undefined;
  #failing = false;

  /**
   * False after a read's entry could not be written, until an entry is written durably again:
   * meanwhile every call waits for its own entry, so a store that is down refuses it.
   */
  get early(): boolean {
    return !this.#failing;
  }

  /** A read's entry could not be written. */
  failed(): void {
    this.#failing = true;
  }

  /** An entry was written durably again. */
  written(): void {
    this.#failing = false;
  }

  /** The moment the entries of reads forwarded now will be queued. */
  next(): Promise<void> {
    if (!this.#due) {
      let release: () => void = () => undefined;
      const promise = new Promise<void>((resolve) => {
        release = resolve;
      });
      const timer = setTimeout(() => this.now(), this.delayMs);
      this.#due = { promise, release, timer };
    }
    return this.#due.promise;
  }

  /** Queue the entries of the reads waiting, at once. */
  now(): void {
    const due = this.#due;
    if (!due) return;
    this.#due = undefined;
    clearTimeout(due.timer);
    due.release();
  }
}
