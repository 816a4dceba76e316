import { describe, expect, it } from "vitest";
import type { K8sAction } from "../../src/action/schema.js";
import { analyzeK8s, normalizeK8sResource } from "../../src/analyze/k8s.js";

describe("normalizeK8sResource", () => {
  it.each([
    ["ns", "namespaces", undefined, undefined],
    ["Deployment", "deployments", undefined, undefined],
    ["deployments.apps", "deployments", "apps", undefined],
    ["deployments.v1.apps", "deployments", "apps", undefined],
    ["apps/v1/deployments", "deployments", "apps", undefined],
    ["v1/pods", "pods", undefined, undefined],
    ["deployments/scale", "deployments", undefined, "scale"],
    ["PODS/EXEC", "pods", undefined, "exec"],
    ["networkpolicy", "networkpolicies", undefined, undefined],
    ["Policy", "policies", undefined, undefined],
  ])("%s → %s", (raw, resource, group, subresource) => {
    const ref = normalizeK8sResource(raw);
    expect([ref.resource, ref.group, ref.subresource]).toEqual([resource, group, subresource]);
  });
});

describe("analyzeK8s", () => {
  it("normalises an upper-case verb that skipped schema validation", () => {
    const op = analyzeK8s({ kind: "k8s", verb: "DELETE" as "delete", resource: "Namespaces", name: "x" })
      .operations[0];
    expect(op?.name).toBe("delete namespaces");
    expect(op?.reversibility).toBe("irreversible");
  });

  it("an unknown verb is opaque, never a read", () => {
    const a = analyzeK8s({ kind: "k8s", verb: "impersonate" as "get", resource: "users", name: "admin" });
    expect(a.operations[0]?.opaque).toBe(true);
    expect(a.operations[0]?.effect).not.toBe("read");
  });

  it("shows the exec command when the body carries it", () => {
    const a = analyzeK8s({
      kind: "k8s",
      verb: "create",
      resource: "pods/exec",
      name: "db-0",
      namespace: "data",
      body: { command: ["sh", "-c", "rm -rf /var/lib/postgresql"] },
    });
    expect(a.operations[0]?.summary).toContain("rm -rf /var/lib/postgresql");
  });

  it("puts the kube context on the analysis and namespace/name on the operation", () => {
    const a = analyzeK8s({
      kind: "k8s",
      verb: "get",
      resource: "pods",
      name: "p",
      namespace: "n",
      kubeContext: "ctx",
    });
    expect(a.envHints).toEqual(["ctx"]);
    expect(a.operations[0]?.envHints).toEqual(["n", "p"]);
    expect(a.operations[0]?.targets).toEqual([{ type: "pod", name: "n/p" }]);
  });

  it("never throws on hostile input", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.spec = cyclic;
    const inputs: unknown[] = [
      { kind: "k8s", verb: "create", resource: "pods", body: cyclic },
      { kind: "k8s", verb: undefined, resource: undefined },
      { kind: "k8s", verb: "patch", resource: "deployments", body: [null, 1, "x", { path: 5 }] },
      { kind: "k8s", verb: "patch", resource: "clusterrolebindings", body: { subjects: "nope", roleRef: 7 } },
      { kind: "k8s", verb: "create", resource: "roles", body: { rules: [null, { verbs: "*" }] } },
    ];
    for (const input of inputs) {
      const a = analyzeK8s(input as K8sAction);
      expect(a.operations.length).toBeGreaterThan(0);
      expect(a.operations.every((op) => op.effect !== "read" || op.opaque !== true)).toBe(true);
    }
  });
});
