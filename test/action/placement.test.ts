import { describe, expect, it } from "vitest";
import { actionDigest } from "../../src/action/digest.js";
import { placementHints } from "../../src/action/placement.js";
import type { Action } from "../../src/action/schema.js";
import { validateAction } from "../../src/action/validate.js";
import { evaluate } from "../../src/gate/decide.js";
import { kiro } from "../../src/ingress/hooks/kiro.js";
import { loadPolicy } from "../../src/local/policy-file.js";

function action(input: unknown): Action {
  const v = validateAction(input);
  if (!v.ok) throw new Error(v.error);
  return v.action;
}

/** Every field that changes where or as whom an Action runs, per kind, with two values that differ. */
const PLACEMENTS: [Record<string, unknown>, string, unknown, unknown][] = [
  [{ kind: "sql", sql: "DROP TABLE t" }, "database", "orders", "orders_copy"],
  [{ kind: "sql", sql: "DROP TABLE t" }, "host", "db-a.internal", "db-b.internal"],
  [{ kind: "sql", sql: "DROP TABLE t" }, "port", 5432, 5433],
  [{ kind: "sql", sql: "DROP TABLE t" }, "user", "app", "postgres"],
  [{ kind: "aws", action: "s3:DeleteBucket" }, "region", "us-east-1", "eu-west-1"],
  [{ kind: "aws", action: "s3:DeleteBucket" }, "profile", "sandbox", "live-prod"],
  [{ kind: "aws", action: "s3:DeleteBucket" }, "account", "111111111111", "222222222222"],
  [{ kind: "aws", action: "s3:DeleteBucket" }, "role", "arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b"],
  [
    { kind: "aws", action: "s3:DeleteBucket" },
    "endpoint",
    "http://127.0.0.1:5000",
    "https://s3.amazonaws.com",
  ],
  [{ kind: "k8s", verb: "delete", resource: "pods" }, "kubeContext", "a", "b"],
  [{ kind: "k8s", verb: "delete", resource: "pods" }, "namespace", "a", "b"],
  [{ kind: "k8s", verb: "delete", resource: "pods" }, "cluster", "https://a:6443", "https://b:6443"],
  [{ kind: "k8s", verb: "delete", resource: "pods" }, "user", "dev", "cluster-admin"],
  [{ kind: "terraform-plan", plan: {} }, "workspace", "blue", "green"],
  [{ kind: "cloudformation-changeset", changeSet: {} }, "region", "us-east-1", "eu-west-1"],
  [{ kind: "cloudformation-changeset", changeSet: {} }, "profile", "a", "b"],
  [{ kind: "cloudformation-changeset", changeSet: {} }, "account", "1", "2"],
  [{ kind: "cloudformation-changeset", changeSet: {} }, "role", "a", "b"],
  [{ kind: "shell", command: "terraform destroy" }, "cwd", "/srv/a", "/srv/b"],
  [{ kind: "shell", command: "aws s3 rb s3://x" }, "env", { AWS_PROFILE: "a" }, { AWS_PROFILE: "b" }],
  [{ kind: "mcp", server: "db", tool: "query" }, "server", "db-a", "db-b"],
  [{ kind: "http", method: "DELETE" }, "url", "https://a.example.com/x", "https://b.example.com/x"],
];

describe("where and as whom an action runs is part of its digest", () => {
  it.each(PLACEMENTS.map(([base, field, a, b]) => [`${base.kind}.${field}`, base, field, a, b] as const))(
    "%s",
    (_, base, field, a, b) => {
      const one = actionDigest(action({ ...base, url: "https://x.example.com", [field]: a }));
      const other = actionDigest(action({ ...base, url: "https://x.example.com", [field]: b }));
      expect(one).not.toBe(other);
    },
  );

  it("Kiro's use_aws profile: an approval for sandbox is not one for live-prod", () => {
    const call = (profile: string) => {
      const read = kiro.read(
        {
          hook_event_name: "preToolUse",
          cwd: "/tmp",
          tool_name: "use_aws",
          tool_input: {
            service_name: "cloudformation",
            operation_name: "delete-stack",
            parameters: { "stack-name": "payments" },
            profile_name: profile,
          },
        },
        {},
      );
      if (read.kind !== "act") throw new Error(JSON.stringify(read));
      return action(read.action);
    };
    expect(call("sandbox").profile).toBe("sandbox");
    expect(actionDigest(call("sandbox"))).not.toBe(actionDigest(call("live-prod")));
  });
});

describe("where an action runs speaks for its environment", () => {
  it("gives the placement names, and a URL's host on its own", () => {
    expect(
      placementHints(
        action({ kind: "aws", action: "s3:DeleteBucket", profile: "p", endpoint: "http://localhost:4566" }),
      ),
    ).toEqual(["p", "http://localhost:4566", "localhost"]);
  });

  it.each([
    [
      {
        kind: "aws",
        action: "cloudformation:DeleteStack",
        params: { StackName: "payments" },
        profile: "live-prod",
      },
      "production",
      "hold",
    ],
    [
      {
        kind: "aws",
        action: "cloudformation:DeleteStack",
        params: { StackName: "payments" },
        profile: "sandbox",
      },
      "development",
      "allow",
    ],
    [
      {
        kind: "aws",
        action: "cloudformation:DeleteStack",
        params: { StackName: "payments" },
        role: "arn:aws:iam::1:role/ProdDeployer",
      },
      "production",
      "hold",
    ],
    [
      {
        kind: "k8s",
        verb: "delete",
        resource: "namespaces",
        name: "payments",
        cluster: "https://k8s.prod-eu.example.com",
      },
      "production",
      "hold",
    ],
    [{ kind: "sql", sql: "DROP TABLE invoices", host: "db.prod.internal" }, "production", "hold"],
    [{ kind: "sql", sql: "DROP TABLE invoices", host: "127.0.0.1" }, "loopback", "allow"],
  ])("%j is %s", async (input, environment, decision) => {
    const d = (await evaluate(input, await loadPolicy())).decision;
    expect([d.risk.environment, d.decision]).toEqual([environment, decision]);
  });
});
