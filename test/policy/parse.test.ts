import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/policy/parse.js";

const RULE = `  - id: reads
    reason: Reading changes nothing
    match: { effect: read }
    decision: allow
`;

function errorsOf(text: string) {
  const parsed = parsePolicy(text, "team.yaml");
  if (parsed.ok) throw new Error("expected the policy to be rejected");
  return parsed.errors;
}

describe("policy parsing", () => {
  it("accepts a minimal policy", () => {
    const parsed = parsePolicy(`version: 1\nname: t\nrules:\n${RULE}`, "team.yaml");
    expect(parsed.ok).toBe(true);
  });

  it("reports YAML syntax errors with file and line", () => {
    const [e] = errorsOf("version: 1\nname: t\nrules:\n  - id: x\n    reason: [unclosed\n");
    expect(e?.file).toBe("team.yaml");
    expect(e?.message).toMatch(/YAML syntax/);
    expect(e?.line).toBeGreaterThanOrEqual(5);
  });

  it("names the line and field of a schema error", () => {
    const text = `version: 1\nname: t\nrules:\n${RULE}  - id: bad\n    reason: r\n    decision: maybe\n`;
    const [e] = errorsOf(text);
    expect(e?.line).toBe(10);
    expect(e?.message).toMatch(/^rules\[1\]\.decision: /);
  });

  it("rejects a tag no analyzer emits, in a match and in a condition, rather than never matching", () => {
    const inMatch = `version: 1\nname: t\nrules:\n  - id: x\n    reason: r\n    match: { tags: [outgae] }\n    decision: deny\n`;
    expect(errorsOf(inMatch).some((e) => /tags.*not a tag any analyzer emits.*outage/.test(e.message))).toBe(
      true,
    );
    const inWhen = `version: 1\nname: t\nrules:\n  - id: x\n    reason: r\n    when: '"data_loss" in op.tags'\n    decision: deny\n`;
    expect(errorsOf(inWhen).some((e) => /when.*no analyzer emits/.test(e.message))).toBe(true);
    const known = `version: 1\nname: t\nrules:\n  - id: x\n    reason: r\n    match: { tags: [outage] }\n    when: '"data-loss" in op.tags'\n    decision: deny\n`;
    expect(parsePolicy(known, "team.yaml").ok).toBe(true);
  });

  it("refuses an expiry that leaves no time to use a release, instead of raising it silently", () => {
    const hold = (approvals: string) =>
      `version: 1\nname: t\nrules:\n  - id: slow\n    reason: r\n    match: { effect: write }\n    decision: hold\n    approvals: ${approvals}\n`;
    const [e] = errorsOf(hold("{ required: 1, delaySeconds: 3600, expiresInSeconds: 1800 }"));
    expect(e?.line).toBe(8);
    expect(e?.message).toMatch(
      /^rules\[0\]\.approvals\.expiresInSeconds: expiresInSeconds \(1800\) must be at least delaySeconds \+ 900 \(4500\)/,
    );
    expect(errorsOf(hold("{ required: 1, expiresInSeconds: 600 }"))[0]?.message).toMatch(/\(900\)/);
    expect(
      parsePolicy(hold("{ required: 1, delaySeconds: 3600, expiresInSeconds: 4500 }"), "t.yaml").ok,
    ).toBe(true);
  });

  it("rejects an unknown field rather than ignoring a typo", () => {
    const text = `version: 1\nname: t\nrules:\n  - id: x\n    reason: r\n    decison: allow\n    decision: allow\n`;
    const errors = errorsOf(text);
    expect(errors.some((e) => e.line === 6 && /decison/.test(e.message))).toBe(true);
  });

  it("reports a CEL condition that does not compile, at its line", () => {
    const text = `version: 1\nname: t\nrules:\n  - id: x\n    reason: r\n    when: 'op.effect == '\n    decision: hold\n`;
    const [e] = errorsOf(text);
    expect(e?.line).toBe(6);
    expect(e?.message).toMatch(/rules\[0\]\.when: rule "x": /);
  });

  it("reports a condition over an unknown variable", () => {
    const text = `version: 1\nname: t\nrules:\n  - id: x\n    reason: r\n    when: 'user.name == "a"'\n    decision: deny\n`;
    expect(errorsOf(text)[0]?.message).toMatch(/Unknown variable: user/);
  });

  it("rejects duplicate rule ids and approvals on a non-hold rule", () => {
    const dup = errorsOf(`version: 1\nname: t\nrules:\n${RULE}${RULE}`);
    expect(dup[0]?.message).toMatch(/duplicate rule id "reads"/);
    expect(dup[0]?.line).toBe(8);
    const text = `version: 1\nname: t\nrules:\n  - id: x\n    reason: r\n    decision: allow\n    approvals: { required: 2 }\n`;
    expect(errorsOf(text)[0]?.message).toMatch(/only a rule whose decision is hold takes approvals/);
  });

  it("rejects a wrong version", () => {
    expect(errorsOf(`version: 2\nname: t\nrules:\n${RULE}`)[0]?.line).toBe(1);
  });

  it("reads the PostgreSQL proxy's preview tolerance, with its defaults, and refuses one it cannot apply", () => {
    const withTolerance = (t: string) =>
      `version: 1\nname: t\nsettings:\n  previewTolerance: ${t}\nrules:\n${RULE}`;
    const parsed = parsePolicy(withTolerance("{ rows: { count: 10, percent: 1 } }"), "team.yaml");
    if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join("; "));
    expect(parsed.policy.document.settings.previewTolerance).toEqual({
      rows: { count: 10, percent: 1 },
      columns: { count: 0, percent: 0 },
      tables: { count: 1, percent: 20, growth: 2 },
    });
    expect(errorsOf(withTolerance("{ rows: { count: -1 } }"))[0]?.message).toMatch(
      /^settings\.previewTolerance\.rows\.count: /,
    );
    expect(errorsOf(withTolerance("{ rows: { counts: 3 } }"))[0]?.message).toMatch(/previewTolerance\.rows/);
    expect(errorsOf(withTolerance("{ tables: { growth: 0.5 } }"))[0]?.message).toMatch(
      /previewTolerance\.tables\.growth/,
    );
  });
});
