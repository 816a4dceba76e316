import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { ACTION_KINDS } from "../../action/schema.js";
import type { Change, Store } from "../../store/port.js";
import { StoreUnavailable } from "../../store/port.js";

/** Request transitions counted from the audit entries that record them. */
const TRANSITIONS: Readonly<Record<string, string>> = {
  "request.released": "released",
  "request.expired": "expired",
  "request.used": "used",
  "request.cancelled": "cancelled",
};
const VOTES: Readonly<Record<string, string>> = { "request.approved": "approve", "request.denied": "deny" };
/** Seconds: from a fast allow out of memory to a slow commit on a loaded database. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * What `/metrics` tells Prometheus. Every label is from a closed set (a verdict, an Action kind, a
 * route's pattern, a status, a breaker named in the policy), never from what an agent sent: the
 * scrape needs no token because it carries no request's content (docs/deploy.md).
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #decisions: Counter<"verdict" | "kind">;
  readonly #decisionSeconds: Histogram<"verdict">;
  readonly #votes: Counter<"verdict">;
  readonly #transitions: Counter<"transition">;
  readonly #trips: Counter<"breaker">;
  readonly #storeErrors: Counter<"operation">;
  readonly #commitSeconds: Histogram;
  readonly #httpSeconds: Histogram<"method" | "route" | "status">;
  readonly #leaseHeld: Gauge;

  constructor(pendingHolds: () => Promise<number>) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "airlock_" });
    this.#decisions = new Counter({
      name: "airlock_decisions_total",
      help: "Decisions on agents' actions, by verdict and Action kind (`invalid` when the kind is not one airlock knows)",
      labelNames: ["verdict", "kind"],
      registers,
    });
    this.#decisionSeconds = new Histogram({
      name: "airlock_decision_duration_seconds",
      help: "Time to decide an action, analysis and durable audit entry included",
      labelNames: ["verdict"],
      buckets: BUCKETS,
      registers,
    });
    this.#votes = new Counter({
      name: "airlock_votes_total",
      help: "Approvers' votes recorded, by verdict",
      labelNames: ["verdict"],
      registers,
    });
    this.#transitions = new Counter({
      name: "airlock_request_transitions_total",
      help: "Held requests released, expired, used or cancelled",
      labelNames: ["transition"],
      registers,
    });
    this.#trips = new Counter({
      name: "airlock_breaker_trips_total",
      help: "Circuit breakers tripped, by breaker",
      labelNames: ["breaker"],
      registers,
    });
    this.#storeErrors = new Counter({
      name: "airlock_store_errors_total",
      help: "Store calls that failed because the store could not be read or written (each one failed closed)",
      labelNames: ["operation"],
      registers,
    });
    this.#commitSeconds = new Histogram({
      name: "airlock_store_commit_duration_seconds",
      help: "Time for a change and its audit entries to become durable",
      buckets: BUCKETS,
      registers,
    });
    this.#httpSeconds = new Histogram({
      name: "airlock_http_request_duration_seconds",
      help: "HTTP requests to airlock serve, by method, route pattern and status",
      labelNames: ["method", "route", "status"],
      buckets: BUCKETS,
      registers,
    });
    this.#leaseHeld = new Gauge({
      name: "airlock_sweep_lease_held",
      help: "1 while this replica holds the lease that runs the sweeps and signs checkpoints",
      registers,
    });
    new Gauge({
      name: "airlock_pending_holds",
      help: "Requests waiting for approval (read from the store at scrape; shared by all replicas)",
      registers,
      async collect() {
        this.set(await pendingHolds());
      },
    });
  }

  decided(input: unknown, verdict: string, seconds: number): void {
    const kind = (input as { kind?: unknown } | null)?.kind;
    const known = typeof kind === "string" && (ACTION_KINDS as readonly string[]).includes(kind);
    this.#decisions.inc({ verdict, kind: known ? kind : "invalid" });
    this.#decisionSeconds.observe({ verdict }, seconds);
  }

  leaseHeld(held: boolean): void {
    this.#leaseHeld.set(held ? 1 : 0);
  }

  /** Counted once the change is durable: what was committed is what happened. */
  committed(change: Change): void {
    if (change.trip) this.#trips.inc({ breaker: change.trip.breaker });
    for (const draft of change.audit) {
      const vote = VOTES[draft.type];
      if (vote) this.#votes.inc({ verdict: vote });
      const transition = TRANSITIONS[draft.type];
      if (transition) this.#transitions.inc({ transition });
    }
  }

  /**
   * The same store, with its commits timed and counted, and every StoreUnavailable (from any call)
   * counted by operation. Values and errors pass through unchanged.
   */
  observe<S extends Store>(store: S): S {
    const failed = (operation: string) => (err: unknown) => {
      if (err instanceof StoreUnavailable) this.#storeErrors.inc({ operation });
      throw err;
    };
    const commit = async (change: Change) => {
      const end = this.#commitSeconds.startTimer();
      const result = await store.commit(change).catch(failed("commit"));
      end();
      this.committed(change);
      return result;
    };
    return new Proxy(store, {
      get(target, property) {
        if (property === "commit") return commit;
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          const result: unknown = value.apply(target, args);
          return result instanceof Promise ? result.catch(failed(String(property))) : result;
        };
      },
    });
  }

  /** Times every HTTP request by its route's pattern (`/v1/requests/:id`), so no id becomes a label. */
  http(): MiddlewareHandler {
    return async (c, next) => {
      const end = this.#httpSeconds.startTimer();
      await next();
      // The last route matched: the handler's own pattern, or this middleware's `/*` when none matched.
      const pattern = routePath(c, -1);
      const route = pattern === "/*" || pattern === "*" ? "unmatched" : pattern;
      end({ method: c.req.method, route, status: String(c.res.status) });
    };
  }

  async text(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
