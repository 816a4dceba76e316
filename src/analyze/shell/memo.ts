/**
 * A bounded cache with two generations: entries go into the young map, and when it is full the
 * old map is dropped and the young one becomes old. A hit in the old map moves the entry back.
 * Unlike an LRU on one Map (which deletes from the front and leaves V8's table full of holes to
 * skip), every operation is constant time. `weigh` bounds the total size (syntax nodes, say).
 */
export class Memo<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  private youngWeight = 0;

  constructor(
    private readonly entries: number,
    private readonly weight: number,
    private readonly weigh: (value: V) => number = () => 1,
  ) {}

  get(key: string): V | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const old = this.old.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: string, value: V): void {
    this.young.set(key, value);
    this.youngWeight += this.weigh(value);
    // Each generation holds half: the two together stay within the bounds.
    if (this.young.size >= this.entries / 2 || this.youngWeight >= this.weight / 2) {
      this.old = this.young;
      this.young = new Map();
      this.youngWeight = 0;
    }
  }
}
