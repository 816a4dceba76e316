import { describe, expect, it } from "vitest";
import {
  boundRefusal,
  REFUSAL_WINDOW_MS,
  REFUSALS_PER_WINDOW,
  RefusalThrottle,
} from "../../src/approvals/refusal-throttle.js";

const T0 = Date.parse("2026-11-21T10:00:00Z");

describe("RefusalThrottle", () => {
  it("logs a caller's refusals up to the budget, counts the rest, and sums them once the window ends", () => {
    const t = new RefusalThrottle();
    const taken = Array.from({ length: REFUSALS_PER_WINDOW + 7 }, () => t.take("source:1.2.3.4", T0));
    expect(taken.filter(Boolean).length).toBe(REFUSALS_PER_WINDOW);
    expect(t.blocked("source:1.2.3.4", T0)).toBe(true);
    // Another caller has a budget of its own.
    expect(t.take("identity:bob", T0)).toBe(true);
    expect(t.drain(T0 + REFUSAL_WINDOW_MS - 1)).toEqual([]);
    // A new window starts afresh; the ended one is summed in one entry.
    expect(t.take("source:1.2.3.4", T0 + REFUSAL_WINDOW_MS)).toBe(true);
    const [sum, ...rest] = t.drain(T0 + REFUSAL_WINDOW_MS);
    expect(rest).toEqual([]);
    expect(sum).toMatchObject({
      type: "request.rejected",
      code: "rate_limited",
      source: "source:1.2.3.4",
      count: 7,
    });
  });

  it("cuts free-text fields to size, keeping the text well formed", () => {
    const cut = boundRefusal({
      path: `/v1/requests/${"😀".repeat(10_000)}`,
      message: "ok",
      code: "unauthorized",
    });
    expect(cut.path.length).toBeLessThan(320);
    expect(cut.path.isWellFormed()).toBe(true);
    expect(cut.path).toMatch(/more characters not kept\]$/);
    expect(cut.message).toBe("ok");
  });
});
