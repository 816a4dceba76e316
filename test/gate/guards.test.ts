import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/gate/decide.js";
import type { CompiledPolicy } from "../../src/policy/compile.js";
import { parsePolicy } from "../../src/policy/parse.js";

/** A policy that allows everything: what remains blocked is what no policy can switch off. */
function allowEverything(): CompiledPolicy {
  const parsed = parsePolicy(
    "version: 1\nname: permissive\nrules:\n  - id: anything-goes\n    reason: trust the agent\n    decision: allow\n",
    "permissive.yaml",
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.policy;
}

describe("guards no policy can switch off", () => {
  it("holds an opaque operation that may touch production, even when the policy allows it", async () => {
    const d = (await evaluate({ kind: "mcp", server: "tools", tool: "frobnicate" }, allowEverything()))
      .decision;
    expect(d).toMatchObject({ decision: "hold", code: "opaque_guard" });
    expect(d.rules).toContain("builtin:opaque-guard");
  });

  it("lets the policy decide an opaque operation in development", async () => {
    const d = (
      await evaluate(
        { kind: "mcp", server: "tools", tool: "frobnicate", context: { environment: "development" } },
        allowEverything(),
      )
    ).decision;
    expect(d.decision).toBe("allow");
  });

  it("denies input past the analyzers' bounds", async () => {
    const huge = `echo ${"x".repeat(200 * 1024)}`;
    const d = (await evaluate({ kind: "shell", command: huge }, allowEverything())).decision;
    expect(d).toMatchObject({ decision: "deny", code: "parse_limit" });
    const sql = `SELECT 1; ${"SELECT 1;".repeat(130_000)}`;
    expect((await evaluate({ kind: "sql", sql }, allowEverything())).decision).toMatchObject({
      decision: "deny",
      code: "parse_limit",
    });
  });

  it("denies an invalid action, naming the field, and echoes its id", async () => {
    const d = (
      await evaluate({ kind: "k8s", id: "call-9", verb: "obliterate", resource: "pods" }, allowEverything())
    ).decision;
    expect(d).toMatchObject({ id: "call-9", decision: "deny", code: "invalid_action" });
    expect(d.reasons[0]).toMatch(/"verb"/);
  });

  it("reads an action that does nothing as a read, not as an allow by omission", async () => {
    const e = await evaluate({ kind: "shell", command: "" }, allowEverything());
    expect(e.verdicts.map((v) => v.op.effect)).toEqual(["read"]);
  });
});

describe("a shell line loads the analyzers it delegates to", () => {
  it("analyses SQL inside psql -c the first time it is seen, not as opaque", async () => {
    const d = (
      await evaluate(
        { kind: "shell", command: `psql -h db.prod.internal -c "DROP TABLE orders"` },
        allowEverything(),
      )
    ).decision;
    expect(d.operations.map((o) => [o.kind, o.name, o.opaque ?? false])).toEqual([
      ["sql", "DROP TABLE", false],
    ]);
  });
});

describe("faults inside the pipeline", () => {
  it("deny the action instead of throwing", async () => {
    // A getter that throws stands for any fault while reading the input.
    const hostile = {
      kind: "shell",
      get command(): string {
        throw new Error("boom");
      },
    };
    const d = (await evaluate(hostile, allowEverything())).decision;
    expect(d).toMatchObject({ decision: "deny" });
    expect(d.reasons[0]).toMatch(/boom/);
  });

  it("deny input nested too deeply to canonicalise, and say so", async () => {
    let body: unknown = 1;
    for (let i = 0; i < 200_000; i++) body = [body];
    const d = (
      await evaluate({ kind: "http", method: "POST", url: "https://example.com", body }, allowEverything())
    ).decision;
    expect(d).toMatchObject({ decision: "deny", code: "invalid_action" });
  });
});
