import { describe, expect, it } from "vitest";
import {
  ALL,
  agentScope,
  describeScope,
  describeScopeText,
  envScope,
  formatScope,
  parseScope,
  personScope,
  ScopeText,
  scopeOf,
} from "../../src/policy/scope.js";

describe("scopes", () => {
  it("read back what they write, for every kind", () => {
    for (const scope of [ALL, agentScope("kiro-7"), personScope("alice"), envScope("production")]) {
      const text = formatScope(scope);
      expect(parseScope(text)).toEqual({ ok: true, scope });
      expect(ScopeText.safeParse(text).success).toBe(true);
    }
    expect(formatScope(envScope("production"))).toBe("env:production");
    expect(formatScope(personScope("alice"))).toBe("onBehalfOf:alice");
  });

  it("keep a colon inside a name as part of the name", () => {
    expect(parseScope("env:db:5432")).toEqual({ ok: true, scope: envScope("db:5432") });
  });

  it("refuse text that names no scope, saying what a scope is", () => {
    for (const text of [
      "",
      "every",
      "agent:",
      "agent",
      "team:sre",
      "env: production",
      "env::x",
      "env:a\nb",
      "All",
    ]) {
      const parsed = parseScope(text);
      expect(parsed.ok, JSON.stringify(text)).toBe(false);
      if (!parsed.ok) expect(parsed.error).toContain("agent:NAME");
      expect(ScopeText.safeParse(text).success).toBe(false);
    }
    expect(parseScope(`agent:${"a".repeat(200)}`).ok).toBe(true);
    expect(parseScope(`agent:${"a".repeat(201)}`).ok).toBe(false);
  });

  it("are made from a kind and a name apart, as a form or a CLI gives them", () => {
    expect(scopeOf("all", undefined)).toEqual({ ok: true, scope: ALL });
    expect(scopeOf("agent", "kiro-7")).toEqual({ ok: true, scope: agentScope("kiro-7") });
    expect(scopeOf("env", undefined).ok).toBe(false);
    expect(scopeOf("env", "a\nb").ok).toBe(false);
  });

  it("read as people say them", () => {
    expect(describeScope(ALL)).toBe("every agent");
    expect(describeScope(agentScope("kiro-7"))).toBe("agent kiro-7");
    expect(describeScope(personScope("alice"))).toBe("agents acting for alice");
    expect(describeScopeText("env:production")).toBe("environment production");
    expect(describeScopeText("nonsense")).toBe('scope "nonsense"');
  });
});
