import type { HexHash } from "./tree-hash.js";

/**
 * The hashes of every complete subtree (leaves included) that lies wholly at or after a given leaf,
 * packed 32 bytes each, one growing buffer per level. A frontier computes each of them once while it
 * grows; kept here, they make a consistency proof from that leaf on cost a few lookups instead of
 * hashing the whole range again. A million leaves take 64 MB.
 */
export class SubtreeWindow {
  #start = 0;
  #levels: Level[] = [];

  /** Forget everything held and hold the subtrees at or after leaf `start`. */
  reset(start: number): void {
    this.#start = start;
    this.#levels = [];
  }

  /** Keep the subtree of 2^level leaves from `start`, as a frontier reports each one it completes. */
  record(level: number, start: number, hash: HexHash): void {
    if (start < this.#start) return;
    let held = this.#levels[level];
    if (!held) {
      held = new Level(start / 2 ** level);
      this.#levels[level] = held;
    }
    held.push(start / 2 ** level, hash);
  }

  /** The hash of leaves [start, end) if they are a complete subtree held here. */
  get(start: number, end: number): HexHash | undefined {
    const width = end - start;
    let level = 0;
    while (2 ** level < width) level++;
    if (2 ** level !== width || start % width !== 0) return undefined;
    return this.#levels[level]?.get(start / width);
  }
}

/** The subtrees of one level, by their number (their first leaf / their width). */
class Level {
  readonly #first: number;
  #count = 0;
  #bytes = Buffer.alloc(32 * 1024);

  constructor(first: number) {
    this.#first = first;
  }

  push(number: number, hash: HexHash): void {
    if (number !== this.#first + this.#count) throw new RangeError(`subtree ${number} recorded out of order`);
    const offset = this.#count * 32;
    if (offset + 32 > this.#bytes.length) {
      const bigger = Buffer.alloc(this.#bytes.length * 2);
      this.#bytes.copy(bigger);
      this.#bytes = bigger;
    }
    this.#bytes.write(hash, offset, 32, "hex");
    this.#count++;
  }

  get(number: number): HexHash | undefined {
    const at = number - this.#first;
    if (at < 0 || at >= this.#count) return undefined;
    return this.#bytes.toString("hex", at * 32, at * 32 + 32);
  }
}
