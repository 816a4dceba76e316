import type { Store } from "../store/port.js";
import { signCheckpoint } from "./checkpoint.js";
import { MerkleFrontier } from "./frontier.js";
import { type NoteSigner, parseSignerKey } from "./note-keys.js";
import { leafHash } from "./tree-hash.js";

/**
 * Signs checkpoints of a store's audit log. It keeps the tree's frontier in memory and reads only the
 * entries appended since the last call, hashing their bytes itself: a leaf hash changed in the store
 * is then caught by `audit verify`, not signed. The log's origin is the signing key's name.
 */
export class Checkpointer {
  readonly #store: Store;
  readonly #signer: NoteSigner;
  readonly #frontier = new MerkleFrontier();
  #signedSize = -1;

  constructor(store: Store, signerKey: string) {
    const parsed = parseSignerKey(signerKey);
    if (!parsed.ok) throw new Error(`the audit signing key is unusable: ${parsed.error}`);
    this.#store = store;
    this.#signer = parsed.key;
  }

  get origin(): string {
    return this.#signer.name;
  }

  /** Sign a checkpoint of everything appended so far, unless nothing was appended since the last one. */
  async checkpoint(): Promise<{ size: number; note: string } | undefined> {
    for (const entry of this.#store.auditEntries(this.#frontier.size)) {
      if (entry.index !== this.#frontier.size) break; // a gap: sign only what is contiguous
      this.#frontier.append(leafHash(entry.bytes));
    }
    const size = this.#frontier.size;
    if (size === this.#signedSize) return undefined;
    const note = signCheckpoint(
      { origin: this.#signer.name, size, root: this.#frontier.root() },
      this.#signer,
    );
    await this.#store.addCheckpoint({ size, note });
    this.#signedSize = size;
    return { size, note };
  }
}
