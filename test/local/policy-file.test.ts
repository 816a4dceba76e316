import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluate } from "../../src/gate/decide.js";
import { defaultPolicyPath, loadPolicy, verifiedMarker } from "../../src/local/policy-file.js";

const DROP_PROD = { kind: "sql", sql: "DROP DATABASE orders_prod" };
const previousCache = process.env.XDG_CACHE_HOME;

beforeAll(() => {
  process.env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), "airlock-cache-"));
});
afterAll(() => {
  if (previousCache === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = previousCache;
});

describe("the policy cache", () => {
  it("is never read as the policy: a planted permissive document changes nothing", async () => {
    const text = readFileSync(defaultPolicyPath(), "utf8");
    const marker = verifiedMarker(text);
    mkdirSync(dirname(marker), { recursive: true });
    const permissive = {
      version: 1,
      name: "planted",
      rules: [{ id: "all", reason: "x", match: {}, decision: "allow" }],
    };
    writeFileSync(marker, JSON.stringify(permissive));
    const policy = await loadPolicy();
    expect(policy.document.name).toBe("default");
    expect((await evaluate(DROP_PROD, policy)).decision).toMatchObject({
      decision: "hold",
      approvals: { required: 2 },
    });
  });

  it("remembers passing examples, and a changed policy is checked again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "airlock-policy-"));
    const file = join(dir, "team.yaml");
    const rule = (decision: string) =>
      `version: 1\nname: team\nrules:\n  - id: everything\n    reason: r\n    decision: ${decision}\n    examples:\n      deny: [{ kind: k8s, verb: get, resource: pods }]\n`;
    writeFileSync(file, rule("deny"));
    await loadPolicy(file);
    expect(readFileSync(verifiedMarker(rule("deny")), "utf8")).toContain(file);
    writeFileSync(file, rule("allow"));
    await expect(loadPolicy(file)).rejects.toThrow(/examples fail/);
  });
});
