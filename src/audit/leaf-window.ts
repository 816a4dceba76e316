import type { HexHash } from "./tree-hash.js";

/**
 * The leaf hashes from one index on, packed 32 bytes each in one growing buffer: what a consistency
 * proof between two checkpoints reads. A million hashes are 32 MB here, against ~100 MB as strings.
 */
export class LeafWindow {
  #start = 0;
  #count = 0;
  #bytes = Buffer.alloc(32 * 4096);

  get end(): number {
    return this.#start + this.#count;
  }

  /** Forget the leaves held and hold leaves from `start` on. */
  reset(start: number): void {
    this.#start = start;
    this.#count = 0;
  }

  push(leaf: HexHash): void {
    const offset = this.#count * 32;
    if (offset + 32 > this.#bytes.length) {
      const bigger = Buffer.alloc(this.#bytes.length * 2);
      this.#bytes.copy(bigger);
      this.#bytes = bigger;
    }
    this.#bytes.write(leaf, offset, 32, "hex");
    this.#count++;
  }

  get(index: number): HexHash {
    const at = index - this.#start;
    if (at < 0 || at >= this.#count)
      throw new RangeError(`leaf ${index} is outside the window [${this.#start}, ${this.end})`);
    return this.#bytes.toString("hex", at * 32, at * 32 + 32);
  }
}
