import { CLOCK_SKEW_MS } from "./verify.js";

/**
 * Each header signature is accepted once. AWS itself takes a captured request again for 15 minutes;
 * airlock does not, because a replayed call is a second action the agent never asked the gate about
 * (and a released action is released once). SDKs sign every retry afresh, so honest clients never
 * send the same signature twice. A signature is remembered for as long as its date is inside the
 * clock window; past the window the clock check refuses it anyway. Presigned URLs are meant to be
 * fetched again, so they are not remembered (their own expiry bounds them).
 */
export class ReplayGuard {
  readonly #seen = new Map<string, number>();

  constructor(private readonly maxEntries = 500_000) {}

  /** True the first time a signature is offered; false for a replay. */
  firstUse(signature: string, signedAt: number, now: number): boolean {
    if (this.#seen.has(signature)) return false;
    this.#forget(now);
    this.#seen.set(signature, signedAt + CLOCK_SKEW_MS);
    return true;
  }

  #forget(now: number): void {
    // Entries go in roughly in time order, so the oldest are first.
    for (const [signature, until] of this.#seen) {
      if (until >= now && this.#seen.size < this.maxEntries) break;
      this.#seen.delete(signature);
    }
  }
}
