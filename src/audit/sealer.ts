import { signCheckpoint } from "./checkpoint.js";
import { MerkleFrontier } from "./frontier.js";
import { type NoteSigner, parseSignerKey } from "./note-keys.js";
import { leafHash } from "./tree-hash.js";

/** Entries in index order from `from`, as the store holds them now (inside its write transaction). */
export type ReadEntries = (from: number) => Iterable<{ index: number; bytes: string }>;

/** A signed tree head a store is about to commit; `adopt` it once the commit is durable. */
export interface Seal {
  size: number;
  note: string;
  frontier: MerkleFrontier;
}

/**
 * What a sealer on another thread (the embedded store's worker, store/sqlite/worker.ts) needs to go on
 * where this one is: the signer (its KeyObject crosses threads by postMessage) and the tree's frontier.
 */
export interface SealerHandoff {
  signer: NoteSigner;
  frontier: { size: number; nodes: string[] };
}

/**
 * Signs the head of the audit log inside every write transaction that appends to it, so the log has
 * no unsigned tail: a commit's entries and the checkpoint that vouches for them are durable together.
 * It keeps the tree's frontier in memory and hashes the bytes of the entries appended since (by this
 * process or another one writing the same store), never a stored leaf hash. Store adapters call
 * `draft` before they commit and `adopt` after; pure but for the signature.
 */
export class LogSealer {
  readonly #signer: NoteSigner;
  #frontier = new MerkleFrontier();

  constructor(signerKey: string | NoteSigner) {
    if (typeof signerKey !== "string") {
      this.#signer = signerKey;
      return;
    }
    const parsed = parseSignerKey(signerKey);
    if (!parsed.ok) throw new Error(`the audit signing key is unusable: ${parsed.error}`);
    this.#signer = parsed.key;
  }

  /** The sealer another thread continues with (the same key, from the same tree). */
  static fromHandoff(handoff: SealerHandoff): LogSealer {
    // A Buffer arrives as a plain Uint8Array from another thread.
    const sealer = new LogSealer({ ...handoff.signer, publicKey: Buffer.from(handoff.signer.publicKey) });
    sealer.resume(handoff.frontier);
    return sealer;
  }

  handoff(): SealerHandoff {
    return { signer: this.#signer, frontier: this.#frontier.snapshot() };
  }

  get origin(): string {
    return this.#signer.name;
  }

  /** Entries the last adopted seal covers. */
  get size(): number {
    return this.#frontier.size;
  }

  /** The signed head of the log as `read` shows it, or undefined when nothing was appended since the last seal. */
  draft(read: ReadEntries, appended?: { from: number; leaves: readonly Uint8Array[] }): Seal | undefined {
    const frontier = this.#frontier.clone();
    if (appended?.from === frontier.size) {
      // The caller's own entries, hashed from the bytes it just wrote: no need to read them back.
      for (const leaf of appended.leaves) frontier.append(leaf);
    } else {
      for (const entry of read(frontier.size)) {
        if (entry.index !== frontier.size) break; // a gap: sign only what is contiguous
        frontier.append(leafHash(entry.bytes));
      }
    }
    if (frontier.size === this.#frontier.size) return undefined;
    const size = frontier.size;
    const note = signCheckpoint({ origin: this.#signer.name, size, root: frontier.root() }, this.#signer);
    return { size, note, frontier };
  }

  /** Start from a tree already rebuilt from the entries' bytes (the check at start), not from nothing. */
  resume(frontier: { size: number; nodes: readonly string[] }): void {
    if (frontier.size > this.#frontier.size) this.#frontier = MerkleFrontier.restore(frontier);
  }

  /** The seal was committed: later drafts start from it. */
  adopt(seal: Seal): void {
    if (seal.size > this.#frontier.size) this.#frontier = seal.frontier;
  }
}
