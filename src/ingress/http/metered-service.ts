import type { Decision } from "../../action/decision.js";
import type { Identity } from "../../approvals/identity.js";
import { ApprovalService, type ServiceOptions } from "../../approvals/service.js";
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

  /** Counted too, except a look at an approval: it is counted when submitted to be used. */
  override async submitUnspent(input: unknown, agent: Identity): Promise<Decision> {
    const started = performance.now();
    const decision = await super.submitUnspent(input, agent);
    if (decision.request?.status !== "approved" || decision.decision !== "hold")
      this.#metrics.decided(input, decision.decision, (performance.now() - started) / 1000);
    return decision;
  }
}
