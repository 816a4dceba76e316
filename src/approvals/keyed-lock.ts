/**
 * Runs tasks for the same key one after another, and tasks for different keys at once. The votes on
 * one request go through it, so twenty approvers voting at the same moment each see the request as
 * the vote before left it (and get "recorded", "already voted" or "closed"), instead of racing for the
 * same version and running out of retries. Other processes writing the store still meet StoreConflict.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve();
    const result = before.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    // Forget the key once nothing waits on it, so the map holds only busy requests.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
