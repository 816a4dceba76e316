import type { Judgement } from "./judge.js";
import type { Outcomes, Pending } from "./outcomes.js";
import type { Refusals } from "./refusals.js";
import { type Member, settleTogether } from "./together.js";

/** Client messages that may sit in a pipeline before its Sync without asking for an answer. */
const PIPELINED = new Set(["P", "B", "E", "D", "C"]);
/** Past this many bytes held, the pipeline is settled without waiting for its Sync. */
const MAX_HELD = 4 * 1024 * 1024;

/**
 * The extended protocol's side of settleTogether (together.ts): the Binds of a pipeline up to its
 * Sync run in one implicit transaction, so an error in a later one rolls back an earlier one. From
 * the first Bind that an approval would release, nothing more is sent upstream: the messages are
 * held, each later Bind judged as it comes, until something asks for an answer (Sync, Flush, a
 * Query…) or MAX_HELD is reached. Then the held Binds are settled together: all go, spending their
 * approvals, or the first released Bind is replaced by the refusal (Postgres skips the rest up to
 * the Sync) and no approval is used. Binds before the first released one went upstream as they came:
 * spending nothing, they lose nothing.
 */
export class Pipeline {
  #members: (Member & { at: number; expected?: Pending })[] = [];
  #held: Buffer[] = [];
  #bytes = 0;

  get holding(): boolean {
    return this.#held.length > 0 || this.#members.length > 0;
  }

  /** Whether this message, arriving now, must first settle what is held. */
  settlesBefore(type: string): boolean {
    return this.holding && (!PIPELINED.has(type) || this.#bytes > MAX_HELD);
  }

  /** A Bind judged: from a releasable one on, it and what follows is held (its bytes come next, by keep). */
  join(sql: string, judgement: Judgement, expected: Pending | undefined): void {
    if (!this.holding && !judgement.spend) return;
    this.#members.push({ sql, judgement, at: this.#held.length, ...(expected ? { expected } : {}) });
  }

  keep(b: Buffer): void {
    this.#held.push(b);
    this.#bytes += b.length;
  }

  /** The client leaves without asking for an answer: Postgres would roll it back; nothing is sent or spent. */
  drop(): void {
    this.#members = [];
    this.#held = [];
    this.#bytes = 0;
  }

  /** What to send upstream for everything held: all of it, or with the refusal in the first released Bind's place. */
  async settle(refusals: Refusals, outcomes: Outcomes): Promise<Buffer[]> {
    const members = this.#members;
    const held = this.#held;
    this.#members = [];
    this.#held = [];
    this.#bytes = 0;
    const refusal = await settleTogether(members);
    if (refusal) {
      const replaced = members.find((m) => m.judgement.spend || m.judgement.refusal);
      if (replaced) {
        held[replaced.at] = refusals.parse(refusal);
        if (replaced.expected) outcomes.withdraw(replaced.expected);
      }
    }
    return held;
  }
}
