import { afterEach, describe, expect, it } from "vitest";
import { agent, deletePod, entries, getPods, policyOf, type Rig, RULES, rig } from "./monitor-fixtures.js";

const FREEZES = RULES.replace(
  "rules:\n",
  `freezes:
  emergency: { required: 3, groups: [sre-leads], delaySeconds: 300 }
  windows:
    - { name: weekend, every: [fri 16:00, mon 08:00], timeZone: Europe/Paris, reason: No changes over the weekend }
rules:
`,
);
const createConfig = (environment = "production") => ({
  kind: "k8s",
  verb: "create",
  resource: "configmaps",
  name: "api",
  kubeContext: environment,
});
const lead = (name: string) => ({ name, role: "approver" as const, groups: ["sre-leads"] });
// The fixture's clock starts on Saturday 21 November 2026, 10:00 UTC: inside the weekend window.
const WEEKDAY = Date.parse("2026-11-18T10:00:00Z");
let r: Rig;

afterEach(async () => {
  await r.store.close();
});

describe("freeze windows of the policy", () => {
  it("holds a production change for the emergency approval, names the freeze, and labels the audit entry", async () => {
    r = await rig(policyOf(FREEZES));
    const held = await r.service.submit(createConfig(), agent);
    expect(held).toMatchObject({
      decision: "hold",
      code: "frozen",
      approvals: { required: 3, groups: ["sre-leads"], delaySeconds: 300 },
      freeze: { name: "weekend", until: "2026-11-23T07:00:00.000Z", reason: "No changes over the weekend" },
      rules: ["freeze:weekend", "prod-changes"],
      request: { status: "pending" },
    });
    expect(held.reasons[0]).toContain("3 approvals from sre-leads, then a 300-second wait");
    const logged = (await entries(r.store)).filter((e) => e.type === "action");
    expect(logged).toMatchObject([{ freeze: "weekend", decision: { decision: "hold" } }]);
  });

  it("raises a hold's approvals to the emergency approval, and lets reads, staging and denies be", async () => {
    r = await rig(policyOf(FREEZES));
    expect(await r.service.submit(deletePod(1, "production"), agent)).toMatchObject({
      decision: "hold",
      approvals: { required: 3 },
      freeze: { name: "weekend" },
    });
    expect((await r.service.submit(getPods(), agent)).freeze).toBeUndefined();
    const staging = await r.service.submit(deletePod(2, "staging"), agent);
    expect(staging).toMatchObject({ decision: "allow" });
    expect(staging.freeze).toBeUndefined();
  });

  it("does not apply outside the window", async () => {
    r = await rig(policyOf(FREEZES));
    r.clock.now = WEEKDAY;
    const d = await r.service.submit(createConfig(), agent);
    expect(d).toMatchObject({ decision: "allow" });
    expect(d.freeze).toBeUndefined();
  });

  it("releases the change once three leads approved and the wait is over, still labelled", async () => {
    r = await rig(policyOf(FREEZES));
    const held = await r.service.submit(createConfig(), agent);
    const id = held.request?.id ?? "";
    for (const who of ["ann", "ben", "cem"])
      expect((await r.service.vote(id, lead(who), "approve", held.digest ?? "")).ok).toBe(true);
    r.clock.now += 301_000;
    expect(await r.service.submit(createConfig(), agent)).toMatchObject({
      code: "released",
      freeze: { name: "weekend" },
    });
    expect((await entries(r.store)).filter((e) => e.type === "action").map((e) => e.freeze)).toEqual([
      "weekend",
      "weekend",
    ]);
  });

  it("does not let a request approved before the freeze through during it", async () => {
    r = await rig(policyOf(FREEZES));
    r.clock.now = Date.parse("2026-11-20T14:30:00Z"); // Friday 15:30 in Paris
    const held = await r.service.submit(deletePod(1, "production"), agent);
    expect(held.approvals?.required).toBe(1);
    await r.service.vote(held.request?.id ?? "", lead("ann"), "approve", held.digest ?? "");
    r.clock.now = Date.parse("2026-11-20T15:10:00Z");
    const again = await r.service.submit(deletePod(1, "production"), agent);
    expect(again).toMatchObject({
      decision: "hold",
      approvals: { required: 3 },
      request: { status: "pending" },
    });
    expect(again.request?.id).not.toBe(held.request?.id);
    expect((await r.service.get(held.request?.id ?? ""))?.status).toBe("cancelled");
  });
});

describe("declared freezes", () => {
  it("freeze an environment until a time, audited, and unfreeze lifts it", async () => {
    r = await rig(policyOf(RULES));
    r.clock.now = WEEKDAY;
    expect((await r.service.submit(createConfig(), agent)).decision).toBe("allow");
    expect(
      await r.service.freezes.declare("production", Date.parse("2026-11-22T08:00Z"), "root", "incident 4711"),
    ).toMatchObject({ ok: true });
    expect(await r.service.freezes.declare("production", WEEKDAY - 1, "root")).toMatchObject({ ok: false });
    const held = await r.service.submit(createConfig(), agent);
    expect(held).toMatchObject({
      decision: "hold",
      code: "frozen",
      approvals: { required: 2 },
      freeze: { name: "declared:production", until: "2026-11-22T08:00:00.000Z", reason: "incident 4711" },
    });
    expect(held.reasons[0]).toContain("declared by root");
    expect((await r.service.submit(createConfig("staging"), agent)).freeze).toBeUndefined();
    expect(await r.service.freezes.lift("production", "root", "resolved")).toBe(true);
    expect(await r.service.freezes.lift("production", "root")).toBe(false);
    expect((await r.service.submit(createConfig(), agent)).decision).toBe("allow");
    const log = (await entries(r.store)).filter((e) => String(e.type).startsWith("freeze."));
    expect(log).toMatchObject([
      {
        type: "freeze.declared",
        scope: "env:production",
        by: "root",
        until: "2026-11-22T08:00:00.000Z",
        reason: "incident 4711",
      },
      { type: "freeze.lifted", scope: "env:production", by: "root", reason: "resolved" },
    ]);
  });

  it("ends by itself at its time, and survives a restart until then", async () => {
    r = await rig(policyOf(RULES));
    r.clock.now = WEEKDAY;
    await r.service.freezes.declare("production", Date.parse("2026-11-18T12:00:00.000Z"), "root");
    await r.store.close();
    r = await rig(policyOf(RULES), r.dir);
    r.clock.now = WEEKDAY;
    expect(await r.service.freezes.state()).toMatchObject({
      declared: [{ scope: "env:production" }],
      windows: [],
    });
    expect((await r.service.submit(createConfig(), agent)).freeze?.name).toBe("declared:production");
    r.clock.now = Date.parse("2026-11-18T12:00:00Z");
    expect((await r.service.submit(createConfig(), agent)).decision).toBe("allow");
    expect((await r.service.freezes.state()).declared).toEqual([]);
  });
});
