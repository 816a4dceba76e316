import type { WebhookConfig } from "./config.js";
import type { NotifyEvent } from "./events.js";
import { signedHeaders } from "./signature.js";
import { slackMessage } from "./slack.js";

export interface DeliveryTiming {
  /** The wait before the first retry; each later one doubles it (with jitter), up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Notifications waiting or in flight per webhook; more are dropped, with a log line. */
  capacity: number;
  /** Attempts in flight at once per webhook, so one slow receiver cannot open a socket per event. */
  concurrency: number;
  random: () => number;
  now: () => number;
}

/** Six attempts over roughly ten minutes: retries after ~25 s, 50 s, 100 s, 200 s and 400 s. */
export const DEFAULT_TIMING: DeliveryTiming = {
  baseDelayMs: 25_000,
  maxDelayMs: 600_000,
  capacity: 1000,
  concurrency: 4,
  random: Math.random,
  now: Date.now,
};

export interface GiveUp {
  webhook: string;
  event: NotifyEvent;
  attempts: number;
  error: string;
}

interface Job {
  event: NotifyEvent;
  body: string;
  attempt: number;
}

/**
 * One webhook's deliveries: a bounded queue, a few attempts at a time, retries with exponential
 * backoff and jitter. Everything happens after the decision was answered; nothing here is awaited by it.
 */
export class WebhookQueue {
  readonly #ready: Job[] = [];
  readonly #retries = new Set<NodeJS.Timeout>();
  readonly #inFlight = new Set<AbortController>();
  #closed = false;

  constructor(
    readonly webhook: WebhookConfig,
    private readonly timing: DeliveryTiming,
    private readonly log: (line: string) => void,
    private readonly onGiveUp: (g: GiveUp) => void,
  ) {}

  /** Notifications accepted and not yet delivered or given up. */
  get size(): number {
    return this.#ready.length + this.#retries.size + this.#inFlight.size;
  }

  push(event: NotifyEvent): void {
    if (this.#closed) return;
    if (this.size >= this.timing.capacity) {
      this.log(
        `notify: dropped ${event.type} ${event.id} for webhook ${this.webhook.name}: ${this.timing.capacity} notifications already wait for it (is the receiver down or slow?)`,
      );
      return;
    }
    const body = JSON.stringify(this.webhook.format === "slack" ? slackMessage(event) : event);
    this.#ready.push({ event, body, attempt: 0 });
    this.#pump();
  }

  /** Stop: abort what is in flight, forget the retries. Returns how many notifications were left undelivered. */
  close(): number {
    const left = this.size;
    this.#closed = true;
    for (const t of this.#retries) clearTimeout(t);
    for (const c of this.#inFlight) c.abort();
    this.#retries.clear();
    this.#ready.length = 0;
    return left;
  }

  #pump(): void {
    while (!this.#closed && this.#inFlight.size < this.timing.concurrency) {
      const job = this.#ready.shift();
      if (!job) return;
      void this.#attempt(job);
    }
  }

  async #attempt(job: Job): Promise<void> {
    const { webhook } = this;
    const controller = new AbortController();
    this.#inFlight.add(controller);
    job.attempt++;
    const timeout = setTimeout(() => controller.abort(new Error("timed out")), webhook.timeoutSeconds * 1000);
    let failure: { retry: boolean; why: string } | undefined;
    try {
      const response = await fetch(webhook.url, {
        method: "POST",
        headers: signedHeaders(webhook.secret, job.event.id, job.body, this.timing.now()),
        body: job.body,
        signal: controller.signal,
        redirect: "manual",
      });
      await response.body?.cancel().catch(() => undefined);
      if (!response.ok) {
        const s = response.status;
        failure = { retry: s === 408 || s === 429 || s >= 500, why: `HTTP ${s}` };
      } else {
        this.log(
          `notify: delivered ${job.event.type} ${job.event.id} to ${webhook.name} (HTTP ${response.status}, attempt ${job.attempt})`,
        );
      }
    } catch (err) {
      const e = err as Error & { cause?: Error };
      const why = controller.signal.aborted
        ? `no answer within ${webhook.timeoutSeconds} s`
        : (e.cause?.message ?? e.message);
      failure = { retry: true, why };
    } finally {
      clearTimeout(timeout);
      this.#inFlight.delete(controller);
    }
    if (this.#closed) return;
    if (failure) this.#failed(job, failure.retry, failure.why);
    this.#pump();
  }

  #failed(job: Job, retry: boolean, why: string): void {
    const { webhook } = this;
    if (!retry || job.attempt >= webhook.attempts) {
      const after = retry ? `after ${job.attempt} attempts` : "(not retried: the receiver refused it)";
      this.log(`notify: gave up on ${job.event.type} ${job.event.id} for ${webhook.name} ${after}: ${why}`);
      this.onGiveUp({ webhook: webhook.name, event: job.event, attempts: job.attempt, error: why });
      return;
    }
    const delay = backoff(job.attempt, this.timing);
    this.log(
      `notify: ${webhook.name} failed ${job.event.type} ${job.event.id} on attempt ${job.attempt} of ${webhook.attempts} (${why}); retrying in ${Math.round(delay / 1000)} s`,
    );
    const timer = setTimeout(() => {
      this.#retries.delete(timer);
      this.#ready.push(job);
      this.#pump();
    }, delay);
    timer.unref();
    this.#retries.add(timer);
  }
}

/** The wait after failed attempt `n` (1-based): base·2^(n-1), capped, then scaled by a random 50–100%. */
export function backoff(n: number, t: Pick<DeliveryTiming, "baseDelayMs" | "maxDelayMs" | "random">): number {
  const full = Math.min(t.maxDelayMs, t.baseDelayMs * 2 ** (n - 1));
  return Math.round(full * (0.5 + t.random() / 2));
}
