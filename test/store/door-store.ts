import type { Change, CommitResult, Store } from "../../src/store/port.js";
import type { SqliteStore } from "../../src/store/sqlite/store.js";

/**
 * The real store, with its commits held at the door while the test says so: what the proxy forwards
 * before an audit entry is durable, and what it does when the entry cannot be written, can then be
 * seen from a client, without timing anything.
 */
export class DoorStore {
  held: { change: Change; pass(): void; fail(err: Error): void }[] = [];
  closed = false;
  #waiters: (() => void)[] = [];

  constructor(readonly inner: SqliteStore) {}

  /** The store the service writes through: every commit waits at the door while `closed`. */
  asStore(): Store {
    return new Proxy(this.inner, {
      get: (target, key) => {
        if (key === "commit") return (change: Change) => this.#commit(change);
        const value = Reflect.get(target, key, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    }) as unknown as Store;
  }

  #commit(change: Change): Promise<CommitResult> {
    if (!this.closed) return this.inner.commit(change);
    return new Promise((resolve, reject) => {
      this.held.push({
        change,
        pass: () => this.inner.commit(change).then(resolve, reject),
        fail: reject,
      });
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  /** Resolves once a commit whose audit entry matches is waiting at the door. */
  async waitFor(match: (entry: Record<string, unknown>) => boolean): Promise<number> {
    for (;;) {
      const at = this.held.findIndex((h) => h.change.audit.some((e) => match(e)));
      if (at >= 0) return at;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  open(): void {
    this.closed = false;
    for (const h of this.held.splice(0)) h.pass();
  }
}
