import { afterEach, describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/policy/parse.js";
import {
  agent,
  deletePod,
  entries,
  getPods,
  otherAgent,
  policyOf,
  type Rig,
  RULES,
  rig,
} from "./monitor-fixtures.js";

const breaker = (lines: string) => `${RULES}breakers:\n${lines}`;
const RATE = breaker(`
  - name: deletes
    kind: rate
    scope: agent
    match: { effect: delete }
    limit: 3
    windowSeconds: 600
`);
let r: Rig;

afterEach(async () => {
  await r.store.close();
});

describe("circuit breakers", () => {
  it("lets exactly the limit through when 50 requests arrive at once; the rest are tripped", async () => {
    r = await rig(policyOf(RATE));
    const decisions = await Promise.all(
      Array.from({ length: 50 }, (_, i) => r.service.submit(deletePod(i), agent)),
    );
    expect(decisions.filter((d) => d.decision === "allow")).toHaveLength(3);
    expect(decisions.filter((d) => d.code === "breaker_tripped")).toHaveLength(47);
    expect((await entries(r.store)).filter((e) => e.type === "breaker.tripped")).toHaveLength(1);
    // Reads still go through, and other agents are not in this breaker's scope.
    expect((await r.service.submit(getPods(), agent)).decision).toBe("allow");
    expect((await r.service.submit(deletePod(99), otherAgent)).decision).toBe("allow");
  });

  it("keeps its counts and trips across a restart", async () => {
    r = await rig(policyOf(RATE));
    for (const n of [1, 2]) expect((await r.service.submit(deletePod(n), agent)).decision).toBe("allow");
    await r.store.close();
    r = await rig(policyOf(RATE), r.dir);
    expect((await r.service.submit(deletePod(3), agent)).decision).toBe("allow");
    expect(await r.service.submit(deletePod(4), agent)).toMatchObject({ code: "breaker_tripped" });
    await r.store.close();
    r = await rig(policyOf(RATE), r.dir);
    expect(await r.service.submit(deletePod(5), agent)).toMatchObject({ code: "breaker_tripped" });
  });

  it("forgets what left the window, resets by time when the policy says so, and records both", async () => {
    r = await rig(policyOf(RATE.replace("windowSeconds: 600", "windowSeconds: 60\n    reset: after 300")));
    for (const n of [1, 2, 3]) await r.service.submit(deletePod(n), agent);
    r.clock.now += 61_000;
    for (const n of [4, 5, 6]) expect((await r.service.submit(deletePod(n), agent)).decision).toBe("allow");
    expect(await r.service.submit(deletePod(7), agent)).toMatchObject({ code: "breaker_tripped" });
    r.clock.now += 301_000;
    expect(await r.service.sweep()).toBe(1);
    expect((await r.service.submit(deletePod(8), agent)).decision).toBe("allow");
    expect((await entries(r.store)).filter((e) => String(e.type).startsWith("breaker."))).toMatchObject([
      { type: "breaker.tripped", breaker: "deletes", scope: "agent:kiro-7", count: 3, limit: 3 },
      { type: "breaker.reset", breaker: "deletes", by: "clock" },
    ]);
  });

  it("holds instead of denying when the policy says so, and an admin resets it", async () => {
    r = await rig(
      policyOf(RATE.replace("windowSeconds: 600", "windowSeconds: 600\n    then: hold-all-but-reads")),
    );
    for (const n of [1, 2, 3]) await r.service.submit(deletePod(n), agent);
    const held = await r.service.submit(deletePod(4), agent);
    expect(held).toMatchObject({ decision: "hold", code: "breaker_tripped", request: { status: "pending" } });
    expect(await r.service.monitor.reset("deletes", "agent:kiro-7", "root")).toHaveLength(1);
    expect((await r.service.submit(deletePod(5), agent)).decision).toBe("allow");
  });

  it("counts repetition up to ids, blast radius in deleted targets, cost and reported errors", async () => {
    r = await rig(
      policyOf(
        breaker(`
  - name: same-fix
    kind: repetition
    scope: agent
    limit: 2
    windowSeconds: 600
  - name: spend
    kind: cost
    scope: onBehalfOf
    limit: 10
    windowSeconds: 3600
  - name: failures
    kind: errors
    scope: agent
    limit: 2
    windowSeconds: 600
    pause: true
`),
      ),
    );
    const fix = (id: string) => ({
      kind: "shell",
      command: `kubectl --context staging delete pod api-${id} -n staging`,
    });
    expect((await r.service.submit(fix("7f9c2d1a"), agent)).decision).toBe("allow");
    expect((await r.service.submit(fix("8a1b3e4f"), agent)).decision).toBe("allow");
    expect(await r.service.submit(fix("9c9c9c9c"), agent)).toMatchObject({
      code: "breaker_tripped",
      rules: expect.arrayContaining(["breaker:same-fix"]),
    });
    const call = (cost: number) => ({
      kind: "http",
      method: "POST",
      url: "https://api.dev.example.com/v1/generate",
      cost,
    });
    expect((await r.service.submit(call(6), otherAgent)).decision).toBe("allow");
    expect(await r.service.submit(call(5), otherAgent)).toMatchObject({ code: "breaker_tripped" });
    const codex = { ...otherAgent, name: "codex-3" };
    expect(await r.service.monitor.outcome({ ok: false, environment: "staging" }, codex)).toEqual({
      tripped: [],
    });
    expect(await r.service.monitor.outcome({ ok: true }, codex)).toEqual({ tripped: [] });
    await r.service.monitor.outcome({ ok: false }, codex);
    expect((await r.service.monitor.outcome({ ok: false }, codex)).tripped).toHaveLength(1);
    expect(await r.service.submit(deletePod(1), codex)).toMatchObject({ decision: "deny", code: "paused" });
  });

  it("weighs blast radius by the targets deleted", async () => {
    r = await rig(
      policyOf(breaker("  - { name: blast, kind: blast, scope: global, limit: 4, windowSeconds: 3600 }\n")),
    );
    const many = {
      kind: "sql",
      sql: "DROP TABLE a, b, c",
      engine: "postgres",
      database: "shop_staging",
    };
    expect((await r.service.submit(many, agent)).decision).toBe("allow");
    expect(await r.service.submit(many, otherAgent)).toMatchObject({ code: "breaker_tripped" });
  });

  it("rejects a malformed breaker with its line", () => {
    const parsed = parsePolicy(
      breaker("  - { name: x, kind: rate, scope: team, limit: 3, windowSeconds: 60 }\n"),
      "p.yaml",
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.errors[0]).toMatchObject({
        line: 22,
        message: expect.stringContaining("breakers[0].scope"),
      });
  });
});
