import { describe, expect, it } from "vitest";
import { actionDigest, actionIdentity } from "../../src/action/digest.js";
import { canonicalize } from "../../src/action/jcs.js";
import type { Action } from "../../src/action/schema.js";
import { validateAction } from "../../src/action/validate.js";

function action(input: unknown): Action {
  const v = validateAction(input);
  if (!v.ok) throw new Error(v.error);
  return v.action;
}

describe("action digest", () => {
  // The hex values were computed outside this code base: printf '%s' CANONICAL | sha256sum
  it.each([
    [
      {
        kind: "shell",
        id: "call-1",
        intent: "clean up the old namespace",
        command: "kubectl delete ns payments",
        cwd: "/srv/app",
        context: { environment: "production" },
        agent: { onBehalfOf: "alice", id: "kiro-7" },
      },
      '{"agent":{"id":"kiro-7","onBehalfOf":"alice"},"command":"kubectl delete ns payments","context":{"environment":"production"},"cwd":"/srv/app","kind":"shell"}',
      "c52a4d472ff6dc6d0704fc15c1970492c34c411f493db989a8b08cc2aa4ced79",
    ],
    [
      { kind: "sql", sql: "DROP DATABASE orders_prod;", someExtension: true },
      '{"kind":"sql","sql":"DROP DATABASE orders_prod;"}',
      "ff2282982f9cd51c2a2e6aae0eac9431ef5a1c66d13a37d717f4a3ee4da5616a",
    ],
    [
      // Placement fields (profile, account, role, endpoint; host, port, user; cluster; workspace) are
      // identity fields since issue 11: an Action without them digests as before.
      {
        kind: "aws",
        service: "cloudformation",
        operation: "delete-stack",
        params: { "stack-name": "payments" },
        region: "us-east-1",
        profile: "sandbox",
        agent: { id: "kiro" },
      },
      '{"agent":{"id":"kiro"},"kind":"aws","operation":"delete-stack","params":{"stack-name":"payments"},"profile":"sandbox","region":"us-east-1","service":"cloudformation"}',
      "8ff6c48fb831b5e9709e909bb907480b1ceddc7110957a3f4bd126b19c93ff92",
    ],
  ])("vector %#", (input, canonical, hex) => {
    const a = action(input);
    expect(canonicalize(actionIdentity(a))).toBe(canonical);
    expect(actionDigest(a)).toBe(hex);
  });

  it("ignores id, intent and unknown fields, and key order", () => {
    const a = action({ kind: "k8s", verb: "delete", resource: "namespaces", name: "payments" });
    const b = action({
      name: "payments",
      resource: "namespaces",
      id: "x",
      intent: "why not",
      verb: "delete",
      kind: "k8s",
      extra: 1,
    });
    expect(actionDigest(a)).toBe(actionDigest(b));
  });

  it.each([
    [{ command: "rm -rf /tmp/build " }],
    [{ cwd: "/srv" }],
    [{ env: { AWS_PROFILE: "prod" } }],
    [{ context: { environment: "staging" } }],
    [{ agent: { id: "other-agent" } }],
  ])("changes when any identity field changes: %j", (change) => {
    const base = { kind: "shell", command: "rm -rf /tmp/build" };
    expect(actionDigest(action({ ...base, ...change }))).not.toBe(actionDigest(action(base)));
  });

  it("binds a statement to what the catalog said it runs: a trigger or rule added since is a new action", () => {
    const base = { kind: "sql", engine: "postgres", sql: "INSERT INTO events VALUES (1)", database: "prod" };
    const wipe = { name: "on_event", schema: "other", volatility: "v", via: "trigger t on public.events" };
    const withTrigger = action({ ...base, functions: [wipe] });
    const withRule = action({ ...base, rules: [{ name: "instead", on: "public.events" }] });
    const digests = new Set([base, withTrigger, withRule].map((a) => actionDigest(action(a))));
    expect(digests.size).toBe(3);
    expect(actionDigest(action({ ...base, functions: [{ ...wipe, owner: "mallory" }] }))).not.toBe(
      actionDigest(withTrigger),
    );
  });
});
