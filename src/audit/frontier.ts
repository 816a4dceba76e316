import {
  EMPTY_ROOT_HEX,
  type HexHash,
  highestPowerOfTwo,
  isHexHash,
  nodeHashHex,
  toHex,
} from "./tree-hash.js";

/**
 * The compact range of a growing tree: the roots of its maximal complete subtrees, leftmost (largest)
 * first, one per set bit of the size, so O(log n) hashes. Appending costs as many node hashes as the
 * size has trailing one bits (one on average). A store rebuilds it by streaming its leaf hashes through
 * `append`, or restores it from a saved `snapshot()` without reading the log at all.
 */
export class MerkleFrontier {
  #size = 0;
  #nodes: HexHash[] = [];

  static from(leafHashes: Iterable<Uint8Array>): MerkleFrontier {
    const frontier = new MerkleFrontier();
    for (const leaf of leafHashes) frontier.append(leaf);
    return frontier;
  }

  /** The frontier a `snapshot()` saved. Throws RangeError if the hashes cannot be a tree of that size. */
  static restore(saved: { size: number; nodes: readonly string[] }): MerkleFrontier {
    const { size, nodes } = saved;
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`${size} is not a tree size`);
    if (nodes.length !== setBits(size) || !nodes.every(isHexHash))
      throw new RangeError(
        `a tree of ${size} leaves has ${setBits(size)} frontier hashes, each 64 hex digits`,
      );
    const frontier = new MerkleFrontier();
    frontier.#size = size;
    frontier.#nodes = [...nodes];
    return frontier;
  }

  get size(): number {
    return this.#size;
  }

  append(leafHash: Uint8Array): void {
    if (leafHash.byteLength !== 32)
      throw new RangeError(`a leaf hash has 32 bytes, not ${leafHash.byteLength}`);
    this.appendHex(toHex(leafHash));
  }

  /**
   * Append a leaf hash given as 64 lowercase hex digits (not checked: this is the verifier's hot path).
   * `record` hears of every complete subtree this completes, the leaf first: its level (log2 of its
   * width), its first leaf and its hash.
   */
  appendHex(leafHash: HexHash, record?: (level: number, start: number, hash: HexHash) => void): void {
    const index = this.#size;
    let node = leafHash;
    record?.(0, index, node);
    // Each trailing one bit of the size is a complete subtree that the new leaf's subtree now completes.
    for (let n = index, level = 1; n % 2 === 1; n = (n - 1) / 2, level++) {
      node = nodeHashHex(this.#nodes.pop() as HexHash, node);
      record?.(level, index + 1 - 2 ** level, node);
    }
    this.#nodes.push(node);
    this.#size++;
  }

  root(): Buffer {
    return Buffer.from(this.rootHex(), "hex");
  }

  rootHex(): HexHash {
    let root = this.#nodes.at(-1);
    if (root === undefined) return EMPTY_ROOT_HEX;
    for (let i = this.#nodes.length - 2; i >= 0; i--) root = nodeHashHex(this.#nodes[i] as HexHash, root);
    return root;
  }

  /** The hash of leaves [start, end) if they are one of the frontier's complete subtrees. */
  subtreeHex(start: number, end: number): HexHash | undefined {
    if (end > this.#size) return undefined;
    let at = 0;
    for (const node of this.#nodes) {
      const width = highestPowerOfTwo(this.#size - at);
      if (at === start && at + width === end) return node;
      at += width;
    }
    return undefined;
  }

  snapshot(): { size: number; nodes: HexHash[] } {
    return { size: this.#size, nodes: [...this.#nodes] };
  }

  clone(): MerkleFrontier {
    return MerkleFrontier.restore(this.snapshot());
  }
}

/** MTH(D[n]) of a list of leaf hashes. */
export function rootOf(leafHashes: Iterable<Uint8Array>): Buffer {
  return MerkleFrontier.from(leafHashes).root();
}

function setBits(n: number): number {
  let count = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}
