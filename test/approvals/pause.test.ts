import { afterEach, describe, expect, it } from "vitest";
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

const bob = { name: "bob", role: "approver" as const, groups: [] };
let r: Rig;

afterEach(async () => {
  await r.store.close();
});

describe("the kill switch", () => {
  it("denies everything but reads for a paused agent, from the next request on, and resume lifts it", async () => {
    r = await rig(policyOf(RULES));
    expect((await r.service.submit(deletePod(1), agent)).decision).toBe("allow");
    await r.service.monitor.pause("agent:kiro-7", "root", "runaway loop");
    const denied = await r.service.submit(deletePod(2), agent);
    expect(denied).toMatchObject({ decision: "deny", code: "paused" });
    expect(denied.reasons[0]).toContain("runaway loop");
    expect((await r.service.submit(getPods(), agent)).decision).toBe("allow");
    expect((await r.service.submit(deletePod(3), otherAgent)).decision).toBe("allow");
    expect(await r.service.monitor.resume("agent:kiro-7", "root", "fixed")).toBe(true);
    expect((await r.service.submit(deletePod(4), agent)).decision).toBe("allow");
    const log = (await entries(r.store)).filter((e) => e.type === "paused" || e.type === "resumed");
    expect(log).toMatchObject([
      { type: "paused", scope: "agent:kiro-7", by: "root", reason: "runaway loop" },
      { type: "resumed", scope: "agent:kiro-7", by: "root", reason: "fixed" },
    ]);
  });

  it("pauses an environment, including operations whose environment is unknown", async () => {
    r = await rig(policyOf(RULES));
    await r.service.monitor.pause("env:production", "root");
    expect(await r.service.submit(deletePod(1, "production"), agent)).toMatchObject({ code: "paused" });
    expect(
      await r.service.submit({ kind: "k8s", verb: "delete", resource: "pods", name: "x" }, agent),
    ).toMatchObject({
      decision: "deny",
    });
    expect((await r.service.submit(deletePod(2, "staging"), agent)).decision).toBe("allow");
  });

  it("never spends an approved request while paused; the release waits for resume", async () => {
    r = await rig(policyOf(RULES));
    const held = await r.service.submit(deletePod(1, "production"), agent);
    expect(held.decision).toBe("hold");
    await r.service.vote(held.request?.id ?? "", bob, "approve", held.digest ?? "");
    await r.service.monitor.pause("all", "root", "incident");
    expect(await r.service.submit(deletePod(1, "production"), agent)).toMatchObject({ code: "paused" });
    expect((await r.service.get(held.request?.id ?? ""))?.status).toBe("approved");
    await r.service.monitor.resume("all", "root");
    expect(await r.service.submit(deletePod(1, "production"), agent)).toMatchObject({ code: "released" });
  });

  it("survives a restart", async () => {
    r = await rig(policyOf(RULES));
    await r.service.monitor.pause("onBehalfOf:alice", "root");
    await r.store.close();
    r = await rig(policyOf(RULES), r.dir);
    expect(await r.service.monitor.pauses()).toMatchObject([{ scope: "onBehalfOf:alice", by: "root" }]);
    expect(await r.service.submit(deletePod(1), agent)).toMatchObject({ code: "paused" });
  });
});
