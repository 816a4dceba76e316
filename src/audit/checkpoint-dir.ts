import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import { join } from "node:path";
import type { SavedCheckpoint } from "./verify-checkpoints.js";

/** The newest signed tree head, replaced after every commit batch. */
const LATEST = "latest.checkpoint";
/** One file per periodic checkpoint, named by its size: they narrow down which entries changed. */
const HISTORY = /^\d{12}\.checkpoint$/;

/**
 * A directory outside the store holding copies of the log's signed checkpoints (`checkpointDir` in
 * airlock.yaml). Deleting checkpoints from the database, or cutting the log's tail, then disagrees
 * with these copies. It protects only as far as the store's writers cannot also write it: see
 * docs/audit.md, "What a verifier must keep elsewhere".
 */
export class CheckpointDir {
  readonly path: string;
  #writing: Promise<void> = Promise.resolve();
  #pending: { size: number; note: string } | undefined;
  #written = -1;

  readonly #onError: (message: string) => void;

  constructor(path: string, onError: (message: string) => void = () => undefined) {
    this.path = path;
    this.#onError = onError;
  }

  /** Every checkpoint in the directory, the history by size then the latest head. Unreadable is an error. */
  read(): SavedCheckpoint[] {
    let names: string[];
    try {
      names = readdirSync(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
    const history = names.filter((n) => HISTORY.test(n)).sort();
    const all = [...history, ...(names.includes(LATEST) ? [LATEST] : [])];
    return all.map((name) => ({
      label: `${join(this.path, name)}`,
      note: readFileSync(join(this.path, name), "utf8"),
    }));
  }

  /**
   * Copy a head here, in the background: writes are coalesced (only the newest waiting head is written)
   * and made durable with a rename, so the file is never ahead of the store it copies nor half-written.
   */
  offerLatest(head: { size: number; note: string }): void {
    if (head.size <= this.#written || (this.#pending && head.size <= this.#pending.size)) return;
    const first = this.#pending === undefined;
    this.#pending = head;
    if (!first) return;
    this.#writing = this.#writing.then(async () => {
      const next = this.#pending;
      this.#pending = undefined;
      if (!next) return;
      try {
        await this.#write(LATEST, next.note);
        this.#written = next.size;
      } catch (err) {
        this.#onError(`cannot copy the signed tree head to ${this.path}: ${(err as Error).message}`);
      }
    });
  }

  /** Keep a periodic checkpoint for good, beside the latest head. */
  async keep(checkpoint: { size: number; note: string }): Promise<void> {
    await this.#write(`${String(checkpoint.size).padStart(12, "0")}.checkpoint`, checkpoint.note);
  }

  /** Wait for the background writes (at stop). */
  async flush(): Promise<void> {
    while (this.#pending) await this.#writing;
    await this.#writing;
  }

  async #write(name: string, text: string): Promise<void> {
    mkdirSync(this.path, { recursive: true, mode: 0o700 });
    const tmp = join(this.path, `.${name}.${process.pid}.tmp`);
    const file = await open(tmp, "w", 0o600);
    try {
      await file.writeFile(text);
      await file.datasync();
    } finally {
      await file.close();
    }
    await rename(tmp, join(this.path, name));
  }
}
