import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Decision } from "../../src/action/decision.js";

const BIN = new URL("../../bin/airlock.mjs", import.meta.url).pathname;

function airlock(args: string[], input?: string) {
  const run = spawnSync(process.execPath, [BIN, ...args], { input, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const DELETE_PROD_NS = JSON.stringify({
  kind: "k8s",
  verb: "delete",
  resource: "namespaces",
  name: "payments",
  kubeContext: "prod-eu",
  id: "a1",
});

describe("airlock check --json", () => {
  it("prints one Decision and exits 2 on hold", () => {
    const run = airlock(["check", "--json", DELETE_PROD_NS]);
    expect(run.status).toBe(2);
    const d = JSON.parse(run.stdout) as Decision;
    expect(d).toMatchObject({ id: "a1", decision: "hold", approvals: { required: 2, delaySeconds: 600 } });
    expect(d.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(d.rules).toContain("production-destruction");
  });

  it("exits 0 on allow", () => {
    const run = airlock(["check", "--json", JSON.stringify({ kind: "k8s", verb: "get", resource: "pods" })]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).decision).toBe("allow");
  });

  it("denies invalid JSON and an invalid Action, naming what is wrong", () => {
    const bad = airlock(["check", "--json", "{nope"]);
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ decision: "deny", code: "invalid_action" });
    const field = airlock([
      "check",
      "--json",
      JSON.stringify({ kind: "k8s", verb: "explode", resource: "pods" }),
    ]);
    const d = JSON.parse(field.stdout) as Decision;
    expect(d).toMatchObject({ decision: "deny", code: "invalid_action" });
    expect(d.reasons[0]).toContain('"verb"');
  });
});

describe("airlock check --batch", () => {
  it("answers every line in order and goes on past bad lines", () => {
    const input = [
      JSON.stringify({ kind: "k8s", verb: "get", resource: "pods", id: "1" }),
      "this is not json",
      JSON.stringify({ kind: "nope", id: "3" }),
      "",
      DELETE_PROD_NS,
    ].join("\n");
    const run = airlock(["check", "--batch", "-"], input);
    expect(run.status).toBe(0);
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Decision);
    expect(lines.map((d) => [d.id, d.decision, d.code])).toEqual([
      ["1", "allow", undefined],
      [undefined, "deny", "invalid_action"],
      ["3", "deny", "invalid_action"],
      ["a1", "hold", undefined],
    ]);
    expect(lines[1]?.reasons[0]).toMatch(/line 2 is not valid JSON/);
  });

  it("reads a file, and reports one it cannot read", () => {
    const dir = mkdtempSync(join(tmpdir(), "airlock-"));
    const file = join(dir, "actions.jsonl");
    writeFileSync(file, `${DELETE_PROD_NS}\n`);
    expect(airlock(["check", "--batch", file]).stdout).toContain('"decision":"hold"');
    const missing = airlock(["check", "--batch", join(dir, "missing.jsonl")]);
    expect(missing.status).toBe(66);
    expect(missing.stderr).toMatch(/cannot read/);
  });
});

describe("a policy that cannot load", () => {
  it("denies everything with policy_error and says which file and line", () => {
    const dir = mkdtempSync(join(tmpdir(), "airlock-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "version: 1\nname: bad\nrules:\n  - id: x\n    reason: r\n    decision: perhaps\n");
    const run = airlock([
      "check",
      "--policy",
      file,
      "--json",
      JSON.stringify({ kind: "k8s", verb: "get", resource: "pods" }),
    ]);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ decision: "deny", code: "policy_error" });
    expect(run.stderr).toContain(`${file}:6: rules[0].decision`);
  });

  it("refuses a policy whose own examples fail", () => {
    const dir = mkdtempSync(join(tmpdir(), "airlock-"));
    const file = join(dir, "wrong-example.yaml");
    writeFileSync(
      file,
      [
        "version: 1",
        "name: wrong",
        "rules:",
        "  - id: everything-allowed",
        "    reason: trust the agent",
        "    decision: allow",
        "    examples:",
        "      deny:",
        "        - { kind: k8s, verb: delete, resource: namespaces, name: x }",
        "",
      ].join("\n"),
    );
    const run = airlock([
      "check",
      "--policy",
      file,
      "--json",
      JSON.stringify({ kind: "k8s", verb: "get", resource: "pods" }),
    ]);
    expect(JSON.parse(run.stdout)).toMatchObject({ decision: "deny", code: "policy_error" });
    expect(run.stderr).toMatch(/examples fail/);
    const test = airlock(["policy", "test", file]);
    expect(test.status).toBe(1);
    expect(test.stdout).toMatch(/0 passed, 1 failed/);
  });
});

describe("airlock policy test", () => {
  it("passes every example of the built-in policy", () => {
    const run = airlock(["policy", "test"]);
    expect(run.stdout).toMatch(/^\d+ passed, 0 failed$/m);
    expect(run.status).toBe(0);
  });
});

describe("airlock explain", () => {
  it("tells the environment, the rules and the decision", () => {
    const run = airlock(["explain", "--json", DELETE_PROD_NS]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('inferred from the name "prod-eu"');
    expect(run.stdout).toContain("production-destruction → hold");
    expect(run.stdout).toMatch(/Decision under policy "default": HOLD/);
  });
});
