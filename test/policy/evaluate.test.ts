import { describe, expect, it } from "vitest";
import type { Action } from "../../src/action/schema.js";
import type { CompiledPolicy } from "../../src/policy/compile.js";
import { judgeOperation, mergeApprovals, type PlacedOperation } from "../../src/policy/evaluate.js";
import { parsePolicy } from "../../src/policy/parse.js";

const POLICY = `version: 1
name: t
rules:
  - id: reads
    reason: Reading changes nothing
    match: { effect: read }
    decision: allow
  - id: prod-change
    reason: Production changes need approval
    match: { environment: may-be-production }
    when: 'op.effect != "read"'
    decision: hold
    approvals: { required: 1, groups: [sre] }
  - id: big-destruction
    reason: Big destruction needs two people
    match: { operation: "DROP *", environment: production }
    decision: hold
    approvals: { required: 2, delaySeconds: 600, expiresInSeconds: 1800, groups: [dba] }
  - id: wipe
    reason: Never
    match: { tags: [wipe] }
    decision: deny
  - id: broken-allow
    reason: A condition that fails at run time
    match: { kind: http }
    when: 'action.missing == "x"'
    decision: allow
  - id: broken-deny
    reason: A deny whose condition fails at run time
    match: { kind: http, effect: delete }
    when: 'action.missing == "x"'
    decision: deny
`;

function policy(): CompiledPolicy {
  const parsed = parsePolicy(POLICY, "t.yaml");
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.policy;
}

function op(overrides: Partial<PlacedOperation>): PlacedOperation {
  return {
    kind: "sql",
    name: "SELECT",
    effect: "read",
    summary: "s",
    reversibility: "reversible",
    blastRadius: "none",
    targets: [],
    environment: "production",
    environmentSource: "context",
    ...overrides,
  };
}

const sql: Action = { kind: "sql", sql: "x" };
const http: Action = { kind: "http", method: "DELETE", url: "https://x" };

describe("judging one operation", () => {
  it("allows a read", () => {
    expect(judgeOperation(policy(), op({}), sql).verdict).toBe("allow");
  });

  it("most restrictive wins among matching rules", () => {
    const v = judgeOperation(policy(), op({ name: "DROP TABLE", effect: "delete" }), sql);
    expect(v.verdict).toBe("hold");
    expect(v.matched.map((m) => m.ruleId)).toEqual(["prod-change", "big-destruction"]);
    const w = judgeOperation(policy(), op({ name: "DROP TABLE", effect: "delete", tags: ["wipe"] }), sql);
    expect(w.verdict).toBe("deny");
    expect(w.deciding.map((m) => m.ruleId)).toEqual(["wipe"]);
  });

  it("never allows an operation no rule matches where production may be touched", () => {
    const v = judgeOperation(policy(), op({ effect: "write", environment: "staging" }), sql);
    expect(v).toMatchObject({ verdict: "hold", unmatched: true });
    const u = judgeOperation(policy(), op({ effect: "write", environment: "unknown", tags: [] }), sql);
    expect(u.verdict).toBe("hold");
    const d = judgeOperation(
      policy(),
      op({ kind: "shell", effect: "write", environment: "development" }),
      sql,
    );
    expect(d.verdict).toBe("hold");
  });

  it("fails closed when a condition errors: an allow rule stops matching, a deny rule applies", () => {
    const allow = judgeOperation(
      policy(),
      op({ kind: "http", effect: "write", environment: "staging" }),
      http,
    );
    expect(allow.matched.map((m) => m.ruleId)).not.toContain("broken-allow");
    const deny = judgeOperation(
      policy(),
      op({ kind: "http", effect: "delete", environment: "staging" }),
      http,
    );
    expect(deny.verdict).toBe("deny");
    expect(deny.deciding[0]?.error).toMatch(/missing/);
  });
});

describe("merging approval requirements", () => {
  it("takes the most approvers, the longest wait, the shortest expiry and every group", () => {
    const merged = mergeApprovals([
      { required: 1, delaySeconds: 0, expiresInSeconds: 3600, groups: ["sre"] },
      { required: 2, delaySeconds: 600, expiresInSeconds: 7200, groups: ["dba"] },
    ]);
    expect(merged).toEqual({
      required: 2,
      delaySeconds: 600,
      expiresInSeconds: 3600,
      groups: ["dba", "sre"],
    });
  });

  it("never lets a request expire before its wait is over", () => {
    const merged = mergeApprovals([{ required: 1, delaySeconds: 3600, expiresInSeconds: 600 }]);
    expect(merged.expiresInSeconds).toBe(3600 + 900);
  });

  it("ends a request at the fewest denials any rule tolerates", () => {
    const base = { required: 1, delaySeconds: 0, expiresInSeconds: 3600 };
    expect(
      mergeApprovals([
        { ...base, denials: 3 },
        { ...base, denials: 2 },
      ]).denials,
    ).toBe(2);
    expect(mergeApprovals([{ ...base, denials: 3 }, base]).denials).toBeUndefined();
  });

  it("lets the person at the keyboard confirm only when every deciding rule allows it", () => {
    const base = { required: 1, delaySeconds: 0, expiresInSeconds: 3600 };
    expect(mergeApprovals([{ ...base, localConfirm: true }]).localConfirm).toBe(true);
    expect(mergeApprovals([{ ...base, localConfirm: true }, base]).localConfirm).toBeUndefined();
    expect(mergeApprovals([]).localConfirm).toBeUndefined();
  });
});

describe("matching by how hard to undo and how far", () => {
  const policy = (() => {
    const parsed = parsePolicy(
      [
        "version: 1",
        "name: t",
        "rules:",
        "  - id: any",
        "    reason: r",
        "    decision: allow",
        "  - id: hard-to-undo",
        "    reason: r",
        "    match: { reversibility: recoverable }",
        "    decision: hold",
        "  - id: far-reaching",
        "    reason: r",
        "    match: { blastRadius: environment }",
        "    decision: deny",
        "",
      ].join("\n"),
      "t.yaml",
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return parsed.policy;
  })();

  it.each([
    [{ reversibility: "reversible", blastRadius: "service" }, "allow"],
    [{ reversibility: "recoverable", blastRadius: "service" }, "hold"],
    [{ reversibility: "irreversible", blastRadius: "resource" }, "hold"],
    [{ reversibility: "reversible", blastRadius: "environment" }, "deny"],
    [{ reversibility: "reversible", blastRadius: "host" }, "deny"],
  ] as const)("%j → %s", (risk, verdict) => {
    expect(judgeOperation(policy, op({ effect: "delete", ...risk }), sql).verdict).toBe(verdict);
  });
});
