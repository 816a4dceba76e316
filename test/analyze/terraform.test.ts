import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { TerraformPlanAction } from "../../src/action/schema.js";
import { analyzeTerraformPlan } from "../../src/analyze/terraform/index.js";
import { statefulType } from "../../src/analyze/terraform/stateful.js";
import { loadCorpus } from "../corpora/corpus.js";

const cases = loadCorpus("terraform-plan");

function fixture(name: string): TerraformPlanAction {
  const url = new URL(`../fixtures/terraform-plans/${name}`, import.meta.url);
  return { kind: "terraform-plan", plan: JSON.parse(readFileSync(url, "utf8")) as Record<string, unknown> };
}

describe("real plans (terraform-json test data)", () => {
  it("action_reason.json: a tainted resource is deleted before it is re-created", () => {
    const a = analyzeTerraformPlan(fixture("action_reason.json"));
    expect(a.operations.map((op) => op.name)).toEqual(["replace null_resource"]);
    const [op] = a.operations;
    expect(op?.tags).toContain("delete-then-recreate");
    expect(op?.summary).toMatch(/BEFORE the new one exists/);
    expect(op?.summary).toMatch(/tainted/);
    expect(op?.targets).toEqual([{ type: "null_resource", name: "null_resource.example" }]);
    expect(a.notes).toContain("0 to create, 0 to update, 1 to replace, 0 to delete");
  });

  it("basic.json: creates, one data source read, outputs, and module addresses", () => {
    const a = analyzeTerraformPlan(fixture("basic.json"));
    const names = a.operations.map((op) => op.name);
    expect(names.filter((n) => n === "create null_resource")).toHaveLength(7);
    expect(names).toContain("read null_data_source");
    expect(names).toContain("read outputs");
    expect(a.operations.flatMap((op) => op.envHints ?? [])).toContain("module.foo.null_resource.aliased");
    expect(a.notes).toContain("7 to create, 0 to update, 0 to replace, 0 to delete, 1 to read");
    expect(a.status).toBe("complete");
  });

  it("deep_module.json: nested module address is the target", () => {
    const a = analyzeTerraformPlan(fixture("deep_module.json"));
    expect(a.operations[0]?.targets[0]?.name).toBe("module.foo.module.bar.null_resource.baz");
  });

  it.each(["no_changes.json", "has_changes.json"])("%s: no-op resources give no resource operations", (f) => {
    const a = analyzeTerraformPlan(fixture(f));
    expect(a.operations.map((op) => op.name)).toEqual(["read outputs"]);
  });

  it("moved_block.json: a move is noted and changes nothing", () => {
    const a = analyzeTerraformPlan(fixture("moved_block.json"));
    expect(a.operations).toEqual([]);
    expect(a.notes).toContain("random_id.test moved to random_id.test2 (state only)");
  });

  it("identity.json: an import with an update", () => {
    const a = analyzeTerraformPlan(fixture("identity.json"));
    expect(a.operations[0]?.name).toBe("update corner_user_identity");
    expect(a.operations[0]?.summary).toMatch(/imported/);
  });

  it("actions.json: a provider action is opaque, never safe", () => {
    const a = analyzeTerraformPlan(fixture("actions.json"));
    expect(a.operations[0]?.name).toBe("invoke bufo_print");
    expect(a.operations[0]?.opaque).toBe(true);
    expect(a.status).toBe("partial");
  });

  it("110_sensitive_values.json: format 0.2 reads, provider aliases become hints", () => {
    const a = analyzeTerraformPlan(fixture("110_sensitive_values.json"));
    expect(a.operations.filter((op) => op.name === "create null_resource")).toHaveLength(7);
    expect(a.envHints).toContain("east");
  });
});

describe("analyzeTerraformPlan", () => {
  it("never throws on hostile input", () => {
    const plans: unknown[] = [
      null,
      [],
      "plan",
      {
        resource_changes: [null, 1, { address: 5 }, { address: "a.b", type: "a", change: { actions: [1] } }],
      },
      {
        resource_changes: [],
        output_changes: { x: null },
        action_invocations: [null],
        deferred_changes: [1],
      },
      { planned_values: {}, variables: { env: null }, configuration: { provider_config: { aws: null } } },
    ];
    for (const plan of plans) {
      const a = analyzeTerraformPlan({ kind: "terraform-plan", plan } as TerraformPlanAction);
      expect(Array.isArray(a.operations)).toBe(true);
    }
  });

  it("the summary of a stateful delete-then-recreate says data is lost, with reason and paths", () => {
    const a = analyzeTerraformPlan(
      cases.find((c) => c.name.startsWith("delete-then-recreate"))?.action as TerraformPlanAction,
    );
    expect(a.operations[0]?.summary).toMatch(
      /BEFORE the new one exists: downtime and loss of the database's data/,
    );
    expect(a.operations[0]?.summary).toMatch(/forced by engine/);
  });

  it("knows stateful types across providers, and not plain ones", () => {
    expect(statefulType("aws_db_instance")?.category).toBe("database");
    expect(statefulType("google_storage_bucket")?.category).toBe("bucket");
    expect(statefulType("azurerm_kubernetes_cluster")?.blastRadius).toBe("environment");
    expect(statefulType("kubernetes_persistent_volume_claim_v1")?.category).toBe("volume");
    expect(statefulType("aws_kms_key")?.cancellable).toBe(true);
    expect(statefulType("google_compute_attached_disk")).toBeUndefined();
    expect(statefulType("aws_instance")).toBeUndefined();
    expect(statefulType("aws_security_group")).toBeUndefined();
  });
});
