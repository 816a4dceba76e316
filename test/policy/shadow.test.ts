import { afterEach, describe, expect, it } from "vitest";
import { evaluate } from "../../src/gate/decide.js";
import { agent, deletePod, entries, policyOf, type Rig, RULES, rig } from "../approvals/monitor-fixtures.js";

const SHADOW_RULE = RULES.replace(
  "rules:\n",
  `rules:
  - id: no-staging-deletes
    reason: Deleting in staging will need a person
    match: { environment: staging, effect: delete }
    decision: hold
    mode: shadow
`,
);
const SHADOW_POLICY = RULES.replace("rules:\n", "settings: { mode: shadow }\nrules:\n");
let r: Rig | undefined;

afterEach(async () => {
  await r?.store.close();
  r = undefined;
});

describe("shadow mode", () => {
  it("records what a shadowed rule would decide without enforcing it", async () => {
    const { decision } = await evaluate(deletePod(1), policyOf(SHADOW_RULE));
    expect(decision).toMatchObject({
      decision: "allow",
      rules: ["staging-changes"],
      shadow: { decision: "hold", rules: ["no-staging-deletes"] },
    });
    expect(decision.shadow?.reasons[0]).toContain("will need a person");
  });

  it("adds nothing when the shadowed rule agrees with what is enforced", async () => {
    const { decision } = await evaluate({ ...deletePod(1), verb: "get" }, policyOf(SHADOW_RULE));
    expect(decision.shadow).toBeUndefined();
  });

  it("runs a whole policy in shadow: allow, with the policy's verdict beside it", async () => {
    const policy = policyOf(SHADOW_POLICY);
    const held = await evaluate(deletePod(1, "production"), policy);
    expect(held.decision).toMatchObject({
      decision: "allow",
      rules: ["builtin:shadow-mode"],
      shadow: { decision: "hold", rules: ["prod-deletes"] },
    });
    const uncovered = await evaluate({ kind: "sql", sql: "DROP TABLE t" }, policy);
    expect(uncovered.decision).toMatchObject({ decision: "allow", shadow: { rules: ["builtin:no-rule"] } });
  });

  it("keeps the guards no policy can switch off", async () => {
    const deep = { kind: "shell", command: `${"$(".repeat(400)}x${")".repeat(400)}` };
    const { decision } = await evaluate(deep, policyOf(SHADOW_POLICY));
    expect(decision.decision).not.toBe("allow");
  });

  it("writes would_hold into the audit entry of the action", async () => {
    r = await rig(policyOf(SHADOW_RULE));
    await r.service.submit(deletePod(1), agent);
    expect((await entries(r.store))[0]).toMatchObject({
      type: "action",
      shadow: "would_hold",
      decision: { decision: "allow" },
    });
  });
});
