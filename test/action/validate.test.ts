import { describe, expect, it } from "vitest";
import { validateAction } from "../../src/action/validate.js";

describe("validateAction", () => {
  it.each([
    [null, "(the action)"],
    [[], "(the action)"],
    ["rm -rf /", "(the action)"],
    [{}, "kind"],
    [{ kind: "bash", command: "ls" }, "kind"],
    [{ kind: "shell" }, "command"],
    [{ kind: "shell", command: 42 }, "command"],
    [{ kind: "sql", sql: "select 1", engine: "oracle" }, "engine"],
    [{ kind: "aws" }, "action"],
    [{ kind: "aws", action: "DeleteStack" }, "action"],
    [{ kind: "k8s", verb: "destroy", resource: "pods" }, "verb"],
    [{ kind: "mcp", server: "pg", tool: "" }, "tool"],
    [{ kind: "http", method: "GET" }, "url"],
    [{ kind: "shell", command: "ls", context: { environment: 3 } }, "context.environment"],
    [{ kind: "terraform-plan", plan: "not an object" }, "plan"],
  ])("names the bad field of %j", (input, field) => {
    const v = validateAction(input);
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.field).toBe(field);
      expect(v.error).toContain(field === "(the action)" ? "JSON object" : `"${field}"`);
    }
  });

  it("keeps unknown fields", () => {
    const v = validateAction({ kind: "shell", command: "ls", futureField: { a: 1 } });
    expect(v.ok && (v.action as Record<string, unknown>).futureField).toEqual({ a: 1 });
  });

  it("accepts service and operation instead of action for aws", () => {
    expect(validateAction({ kind: "aws", service: "cloudformation", operation: "DeleteStack" }).ok).toBe(
      true,
    );
  });
});
