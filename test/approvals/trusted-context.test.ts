import { describe, expect, it } from "vitest";
import { bindContext, mergeTrustedContext, trustedEnvironment } from "../../src/approvals/trusted-context.js";

describe("the environment the server trusts", () => {
  it.each([
    // configured, claimed, trusted
    [undefined, undefined, undefined],
    [undefined, "development", undefined],
    [undefined, "staging", undefined],
    [undefined, "production", "production"],
    [undefined, "prod", "prod"],
    [undefined, "eu-west-blue", "eu-west-blue"],
    ["development", undefined, "development"],
    ["development", "loopback", "development"],
    ["development", "staging", "staging"],
    ["development", "production", "production"],
    ["staging", "development", "staging"],
    ["production", "development", "production"],
    ["production", "staging", "production"],
  ] as const)("configured %s, claimed %s: %s", (configured, claimed, trusted) => {
    expect(trustedEnvironment(configured, claimed)).toBe(trusted);
  });
});

describe("bindContext", () => {
  it("replaces the agent's context by the configured one, keeping the claim beside it", () => {
    const bound = bindContext(
      { kind: "shell", command: "ls", context: { environment: "development", labels: { approved: "yes" } } },
      { environment: "production", labels: { team: "payments" } },
    );
    expect(bound).toEqual({
      kind: "shell",
      command: "ls",
      context: {
        environment: "production",
        labels: { team: "payments" },
        claimed: { environment: "development", labels: { approved: "yes" } },
      },
    });
  });

  it("drops labels the agent wrote: only configured labels are labels", () => {
    expect(
      bindContext({ kind: "shell", command: "ls", context: { labels: { tier: "sandbox" } } }, {}),
    ).toEqual({
      kind: "shell",
      command: "ls",
      context: { claimed: { labels: { tier: "sandbox" } } },
    });
  });

  it("leaves a malformed context alone, for validation to refuse", () => {
    const input = { kind: "shell", command: "ls", context: { environment: 7 } };
    expect(bindContext(input, { environment: "development" })).toBe(input);
  });

  it("merges the identity's context over the default", () => {
    expect(
      mergeTrustedContext(
        { labels: { team: "a" } },
        { environment: "staging", labels: { org: "x", team: "b" } },
      ),
    ).toEqual({ environment: "staging", labels: { org: "x", team: "a" } });
  });
});
