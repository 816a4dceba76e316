import type { AuditDraft } from "../store/port.js";

/** Refusals one caller may have logged one by one per window; past it, they are counted and answered 429. */
export const REFUSALS_PER_WINDOW = 30;
export const REFUSAL_WINDOW_MS = 60_000;
/** Callers tracked at once; past this, new ones share one budget (a flood from many addresses). */
const MAX_CALLERS = 10_000;
/** The longest a field of a refusal's audit entry may be: a 15 KB request id is not evidence. */
const FIELD_LIMITS: Record<string, number> = { path: 256, message: 512, by: 128, source: 128, method: 16 };

interface Window {
  start: number;
  logged: number;
  suppressed: number;
}

/**
 * Bounds what calls that decide nothing (no token, a bad token, a malformed body, a failed sign-in)
 * can write to the audit log and how often they can try: each caller (an identity when the token was
 * good, the network address otherwise) gets REFUSALS_PER_WINDOW entries a minute; past that its calls
 * are refused with `rate_limited` before anything is looked up, and counted into one entry per window.
 * Calls with a valid token that decide an action never pass through here, so no decision is dropped.
 * Pure: the clock is passed in.
 */
export class RefusalThrottle {
  readonly #windows = new Map<string, Window>();

  /** Whether `caller` is over its budget now: refuse at once, without looking at the call. */
  blocked(caller: string, now: number): boolean {
    const w = this.#current(this.#key(caller), now);
    return w.logged >= REFUSALS_PER_WINDOW;
  }

  /** A refusal happened: true when it is to be logged on its own, false when it was counted instead. */
  take(caller: string, now: number): boolean {
    const w = this.#current(this.#key(caller), now);
    if (w.logged < REFUSALS_PER_WINDOW) {
      w.logged++;
      return true;
    }
    w.suppressed++;
    return false;
  }

  /** The entries that sum up windows that have ended with calls counted, not logged; forgets ended windows. */
  drain(now: number, all = false): AuditDraft[] {
    const out: AuditDraft[] = [];
    for (const [caller, w] of this.#windows) {
      if (!all && now < w.start + REFUSAL_WINDOW_MS) continue;
      this.#windows.delete(caller);
      if (w.suppressed > 0) out.push(summary(caller, w, now));
    }
    return out;
  }

  #key(caller: string): string {
    return this.#windows.has(caller) || this.#windows.size < MAX_CALLERS ? caller : "(many callers)";
  }

  #current(caller: string, now: number): Window {
    const w = this.#windows.get(caller);
    if (w && now < w.start + REFUSAL_WINDOW_MS) return w;
    // A new window; a finished one with calls counted waits for `drain` under a key of its own.
    if (w && w.suppressed > 0) this.#windows.set(`${caller} (ended ${w.start})`, w);
    const fresh = { start: now, logged: 0, suppressed: 0 };
    this.#windows.set(caller, fresh);
    return fresh;
  }
}

function summary(caller: string, w: Window, now: number): AuditDraft {
  return boundRefusal({
    type: "request.rejected",
    time: new Date(now).toISOString(),
    code: "rate_limited",
    source: caller.replace(/ \(ended \d+\)$/, ""),
    count: w.suppressed,
    from: new Date(w.start).toISOString(),
    message: `${w.suppressed} more refused call(s) in ${REFUSAL_WINDOW_MS / 1000} s, over the budget of ${REFUSALS_PER_WINDOW}: answered 429, counted here instead of one entry each`,
  });
}

/** A refusal's audit entry with every free-text field cut to its limit (and the cut said). */
export function boundRefusal<T extends Record<string, unknown>>(draft: T): T {
  const out: Record<string, unknown> = { ...draft };
  for (const [field, max] of Object.entries(FIELD_LIMITS)) {
    const value = out[field];
    if (typeof value !== "string") continue;
    out[field] =
      value.length > max
        ? `${value.slice(0, max).toWellFormed()}…[${value.length - max} more characters not kept]`
        : value.toWellFormed();
  }
  return out as T;
}
