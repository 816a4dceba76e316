import type { AuditLogStore, StoredEntry } from "./log-store.js";
import { LogSealer } from "./sealer.js";

/**
 * Signs checkpoints of a store's audit log into its `checkpoints` history (the store's signed tree head
 * is rewritten at every commit; these stay). Like the sealer, it hashes the bytes of the entries itself:
 * a leaf hash changed in the store is then caught by `audit verify`, not signed.
 */
export class Checkpointer {
  readonly #store: AuditLogStore;
  readonly #sealer: LogSealer;

  /** `from`: the tree of the entries already checked, so the first checkpoint need not read them again. */
  constructor(store: AuditLogStore, signerKey: string, from?: { size: number; nodes: readonly string[] }) {
    this.#store = store;
    this.#sealer = new LogSealer(signerKey);
    if (from) this.#sealer.resume(from);
  }

  get origin(): string {
    return this.#sealer.origin;
  }

  /** Sign a checkpoint of everything appended so far, unless nothing was appended since the last one. */
  async checkpoint(): Promise<{ size: number; note: string } | undefined> {
    const since: StoredEntry[] = [];
    for await (const entry of this.#store.auditEntries(this.#sealer.size)) since.push(entry);
    const seal = this.#sealer.draft(() => since);
    if (!seal) return undefined;
    await this.#store.addCheckpoint({ size: seal.size, note: seal.note });
    this.#sealer.adopt(seal);
    return { size: seal.size, note: seal.note };
  }
}
