import type { Decision } from "../../action/decision.js";
import type { Identity } from "../../approvals/identity.js";
import type { ReadRecords } from "../../approvals/read-records.js";
import {
  ApprovalService,
  isReleasable,
  type ServiceOptions,
  type Submitted,
} from "../../approvals/service.js";
import type { Metrics } from "./metrics.js";

/** The approval service, with every decision counted and timed for `/metrics`, whichever edge asked. */
export class MeteredService extends ApprovalService {
  readonly #metrics: Metrics;

  constructor(metrics: Metrics, options: ServiceOptions) {
    super(options);
    this.#metrics = metrics;
  }

  override async submit(input: unknown, agent: Identity): Promise<Decision> {
    const started = performance.now();
    const decision = await super.submit(input, agent);
    this.#metrics.decided(input, decision.decision, (performance.now() - started) / 1000);
    return decision;
  }

  /**
   * The edges that forward reads at once (PostgreSQL, AWS) decide through this: counted alike, except
   * a look at an approval (spend: false), counted when it is submitted to be used.
   */
  override async submitRead(
    input: unknown,
    agent: Identity,
    reads: ReadRecords,
    options: { spend?: boolean } = {},
  ): Promise<Submitted> {
    const started = performance.now();
    const submitted = await super.submitRead(input, agent, reads, options);
    if (!isReleasable(submitted.decision))
      this.#metrics.decided(input, submitted.decision.decision, (performance.now() - started) / 1000);
    return submitted;
  }

  /** Counted too, except a look at an approval: it is counted when submitted to be used. */
  override async submitUnspent(input: unknown, agent: Identity): Promise<Decision> {
    const started = performance.now();
    const decision = await super.submitUnspent(input, agent);
    if (!isReleasable(decision))
      this.#metrics.decided(input, decision.decision, (performance.now() - started) / 1000);
    return decision;
  }
}
