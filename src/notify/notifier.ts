import type { AuditDraft, Change, CommitResult, Store } from "../store/port.js";
import type { WebhookConfig } from "./config.js";
import { DEFAULT_TIMING, type DeliveryTiming, type GiveUp, WebhookQueue } from "./delivery.js";
import { eventsOf, type NotifyEvent } from "./events.js";

export interface NotifierOptions {
  webhooks: readonly WebhookConfig[];
  /** The approval page of a request (known once the server listens). */
  requestUrl: (id: string) => string;
  log: (line: string) => void;
  /** Records the one `notify.failed` audit entry of a notification given up on. */
  record?: (draft: Omit<AuditDraft, "time">) => Promise<void>;
  timing?: Partial<DeliveryTiming>;
}

/**
 * Sends webhooks about what airlock has done. It learns of events from the store's commits, after
 * they succeed: whatever was committed (a hold, a vote, a trip, a pause, a freeze) is what happened,
 * and nothing that was not committed is ever announced. Delivery runs on its own queues; a receiver
 * that is down or slow delays no answer and changes no decision.
 */
export class Notifier {
  readonly #queues: WebhookQueue[];
  readonly #options: NotifierOptions;

  constructor(options: NotifierOptions) {
    this.#options = options;
    const timing = { ...DEFAULT_TIMING, ...options.timing };
    this.#queues = options.webhooks.map(
      (w) => new WebhookQueue(w, timing, options.log, (g) => this.#gaveUp(g)),
    );
  }

  /**
   * The same store, whose commits also notify. The commit's promise is the store's own: the
   * notifications are queued after it resolves and are never awaited by the caller.
   */
  observe<S extends Store>(store: S): S {
    const commit = async (change: Change): Promise<CommitResult> => {
      const result = await store.commit(change);
      this.committed(change, result);
      return result;
    };
    return new Proxy(store, {
      get(target, property) {
        if (property === "commit") return commit;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  /** Queue the notifications of a committed change. Never throws: a notifier fault is logged, not raised. */
  committed(change: Change, result: CommitResult): void {
    if (!result.ok) return; // refused by the gate: nothing happened to tell anyone of
    try {
      for (const event of eventsOf(change, result.firstIndex, this.#options.requestUrl)) this.publish(event);
    } catch (err) {
      this.#options.log(`notify: could not build a notification: ${(err as Error).message}`);
    }
  }

  publish(event: NotifyEvent): void {
    for (const q of this.#queues) if (q.webhook.events.includes(event.event)) q.push(event);
  }

  /** Notifications accepted and not yet delivered or given up, over all webhooks. */
  get pending(): number {
    return this.#queues.reduce((n, q) => n + q.size, 0);
  }

  /** Stop delivering; what is still queued is logged and dropped (nothing waits on a slow receiver). */
  close(): void {
    for (const q of this.#queues) {
      const left = q.close();
      if (left > 0)
        this.#options.log(`notify: stopped with ${left} notification(s) for ${q.webhook.name} undelivered`);
    }
  }

  #gaveUp(g: GiveUp): void {
    this.#options
      .record?.({
        type: "notify.failed",
        webhook: g.webhook,
        eventId: g.event.id,
        eventType: g.event.type,
        auditIndex: g.event.auditIndex,
        attempts: g.attempts,
        error: g.error,
      })
      .catch((err: Error) => this.#options.log(`notify: could not record notify.failed: ${err.message}`));
  }
}
