import type { Store } from "../store/port.js";
import { LogSealer } from "./sealer.js";

/**
 * Signs checkpoints of a store's audit log into its `checkpoints` history (the store's signed tree head
 * is rewritten at every commit; these stay). Like the sealer, it hashes the bytes of the entries itself:
 * a leaf hash changed in the store is then caught by `audit verify`, not signed.
 */
export class Checkpointer {
  readonly #store: Store;
  readonly #sealer: LogSealer;

  /** `from`: the tree of the entries already checked, so the first checkpoint need not read them again. */
  constructor(store: Store, signerKey: string, from?: { size: number; nodes: readonly string[] }) {
    this.#store = store;
    this.#sealer = new LogSealer(signerKey);
    if (from) this.#sealer.resume(from);
  }

  get origin(): string {
    return this.#sealer.origin;
  }

  /** Sign a checkpoint of everything appended so far, unless nothing was appended since the last one. */
  async checkpoint(): Promise<{ size: number; note: string } | undefined> {
    const seal = this.#sealer.draft((from) => this.#store.auditEntries(from));
    if (!seal) return undefined;
    await this.#store.addCheckpoint({ size: seal.size, note: seal.note });
    this.#sealer.adopt(seal);
    return { size: seal.size, note: seal.note };
  }
}
