import type { Identity } from "../../approvals/identity.js";
import type { ApprovalService } from "../../approvals/service.js";

export interface Pending {
  digest?: string;
  environment: string;
  sql: string;
  /** Whether, once it ran (or failed), what the catalog says may have changed. */
  changes?: boolean;
  /** DDL and the like: until the session is idle again, the catalog airlock reads may not show it. */
  ddl?: boolean;
  /** For a read forwarded before its entry was queued: its outcome is queued after that entry. */
  after?: Promise<void>;
}

/**
 * How each forwarded statement went, from the upstream's replies in order: CommandComplete ends the
 * oldest statement still running, an ErrorResponse fails it, and at ReadyForQuery whatever did not
 * run (skipped after an error) is recorded as such. Each becomes an `outcome.reported` audit entry
 * with the command tag (`DELETE 9`: the rows affected) or the error, bound to the statement's digest.
 */
export class Outcomes {
  /** Statements sent since the last Query or Sync, and earlier groups still waiting for ReadyForQuery. */
  #open: Pending[] = [];
  readonly #groups: Pending[][] = [];

  constructor(
    private readonly service: ApprovalService,
    private readonly agent: Identity,
    private readonly log: (line: string) => void,
    /** A statement that may have changed the catalog finished: its cached answers are stale. */
    private readonly changed: () => void = () => undefined,
  ) {}

  #unsettled = false;

  expect(p: Pending): void {
    if (p.ddl) this.#unsettled = true;
    this.#open.push(p);
  }

  /**
   * Whether this session sent something that may change the catalog (CREATE TRIGGER…) and has not
   * been idle outside a transaction since: airlock's own catalog connection does not see an
   * uncommitted change, so what it says of this session's statements cannot be relied on.
   */
  get unsettled(): boolean {
    return this.#unsettled;
  }

  /** A statement judged and allowed that airlock did not forward after all: recorded at once. */
  notRun(p: Pending, why: string): void {
    this.#report(p, false, why);
  }

  /** A statement expected that will not be sent after all (airlock sends its refusal instead). */
  withdraw(p: Pending): void {
    const i = this.#open.indexOf(p);
    if (i >= 0) this.#open.splice(i, 1);
  }

  /** A Query, Sync or function call went upstream: its ReadyForQuery closes what was expected so far. */
  cycle(): void {
    this.#groups.push(this.#open);
    this.#open = [];
  }

  completed(tag: string): void {
    const p = this.#head().shift();
    if (p) this.#report(p, true, tag);
  }

  failed(code: string, text: string): void {
    const p = this.#head().shift();
    if (p) this.#report(p, false, `error ${code}: ${text}`);
  }

  /** ReadyForQuery, with its transaction status: nothing still queued in its cycle will run. */
  settled(status: string): void {
    const group = this.#groups.shift() ?? this.#open.splice(0);
    for (const p of group) this.#report(p, false, "not run: an earlier statement of the same batch failed");
    if (this.#unsettled && status === "I" && this.#groups.length === 0 && this.#open.length === 0) {
      this.#unsettled = false;
      this.changed();
    }
  }

  #head(): Pending[] {
    return this.#groups[0] ?? this.#open;
  }

  #report(p: Pending, ok: boolean, message: string): void {
    if (p.changes) this.changed();
    const report = {
      ok,
      ...(p.digest ? { digest: p.digest } : {}),
      environment: p.environment,
      message: `${message} — ${p.sql.length > 200 ? `${p.sql.slice(0, 200)}…` : p.sql}`,
    };
    const record = () =>
      this.service.monitor
        .outcome(report, this.agent)
        .catch((err: Error) => this.log(`postgres proxy: cannot record an outcome: ${err.message}`));
    if (p.after) void p.after.then(record, record);
    else void record();
  }
}
