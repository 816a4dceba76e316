import { describe, expect, it } from "vitest";
import { backoff, DEFAULT_TIMING } from "../../src/notify/delivery.js";
import { agent, deletePod, entries } from "../approvals/monitor-fixtures.js";
import { until } from "../ingress/http/harness.js";
import { closedAfterEach, type notifyingRig, webhook } from "./receiver.js";

const { receiver, rig } = closedAfterEach();
const idle = (r: Awaited<ReturnType<typeof notifyingRig>>) =>
  until(async () => (r.notifier.pending === 0 ? true : undefined), 10);

describe("delivery", () => {
  it("retries after 500s and stops at the first success, with the same event id every time", async () => {
    const hook = await receiver((n) => (n < 2 ? 500 : 200));
    const r = await rig([webhook(hook.url)]);
    await r.service.monitor.pause("all", "root");
    await hook.waitFor(3);
    await idle(r);
    expect(hook.received).toHaveLength(3);
    expect(new Set(hook.received.map((x) => x.headers["x-airlock-event-id"])).size).toBe(1);
    expect(r.lines.filter((l) => l.includes("retrying in"))).toHaveLength(2);
    expect(r.lines.at(-1)).toMatch(/delivered paused evt_\S+ to ops \(HTTP 200, attempt 3\)/);
    expect((await entries(r.store)).some((e) => e.type === "notify.failed")).toBe(false);
  });

  it("gives up after the last attempt and records one notify.failed entry", async () => {
    const hook = await receiver(() => 503);
    const r = await rig([webhook(hook.url, { attempts: 4 })]);
    await r.service.monitor.pause("all", "root");
    await hook.waitFor(4);
    const failed = await until(async () => {
      const found = (await entries(r.store)).filter((e) => e.type === "notify.failed");
      return found.length > 0 ? found : undefined;
    }, 10);
    expect(failed).toMatchObject([{ webhook: "ops", eventType: "paused", attempts: 4, error: "HTTP 503" }]);
    expect(hook.received).toHaveLength(4);
    expect(r.lines.some((l) => l.includes("gave up on paused") && l.includes("after 4 attempts"))).toBe(true);
  });

  it("does not retry what the receiver refuses (a 4xx other than 408 and 429)", async () => {
    const hook = await receiver(() => 401);
    const r = await rig([webhook(hook.url)]);
    await r.service.monitor.pause("all", "root");
    await until(
      async () => ((await entries(r.store)).some((e) => e.type === "notify.failed") ? true : undefined),
      10,
    );
    expect(hook.received).toHaveLength(1);
  });

  it("retries a receiver that is down until it comes up", async () => {
    const gone = await receiver();
    const url = gone.url;
    await gone.close();
    const r = await rig([webhook(url)]);
    await r.service.monitor.pause("all", "root");
    await until(async () => (r.lines.some((l) => l.includes("retrying in")) ? true : undefined), 10);
    expect(r.lines[0]).toMatch(/ops failed paused \S+ on attempt 1 of 6 \(.*ECONNREFUSED.*\)/);
  });

  it("bounds each webhook's queue and says so in the log when it drops one", async () => {
    const hook = await receiver(() => "hang");
    const r = await rig([webhook(hook.url)], { capacity: 2, concurrency: 1 });
    for (const scope of ["all", "agent:a", "agent:b", "agent:c"])
      await r.service.monitor.pause(scope, "root");
    await hook.waitFor(1);
    const dropped = r.lines.filter((l) => l.startsWith("notify: dropped paused"));
    expect(dropped).toHaveLength(2);
    expect(dropped[0]).toContain("2 notifications already wait for it");
    expect(r.notifier.pending).toBe(2);
    r.notifier.close();
    expect(r.lines.at(-1)).toBe("notify: stopped with 2 notification(s) for ops undelivered");
  });

  it("times out an attempt to a receiver that never answers, and tries again", async () => {
    const hook = await receiver((n) => (n === 0 ? "hang" : 200));
    const r = await rig([webhook(hook.url, { timeoutSeconds: 1 })]);
    const held = await r.service.submit(deletePod(1, "production"), agent);
    expect(held.decision).toBe("hold");
    await hook.waitFor(2);
    await idle(r);
    expect(r.lines[0]).toContain("(no answer within 1 s)");
    expect(r.lines.at(-1)).toContain("attempt 2");
  });

  it("backs off exponentially with jitter, about ten minutes over six attempts", () => {
    const max = (n: number) => backoff(n, { ...DEFAULT_TIMING, random: () => 1 });
    const min = (n: number) => backoff(n, { ...DEFAULT_TIMING, random: () => 0 });
    expect([1, 2, 3, 4, 5].map(max)).toEqual([25_000, 50_000, 100_000, 200_000, 400_000]);
    expect([1, 2, 3, 4, 5].map(min)).toEqual([12_500, 25_000, 50_000, 100_000, 200_000]);
    expect(max(9)).toBe(DEFAULT_TIMING.maxDelayMs);
  });
});
