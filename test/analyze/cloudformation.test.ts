import { describe, expect, it } from "vitest";
import type { CloudFormationChangeSetAction } from "../../src/action/schema.js";
import { analyzeChangeSet } from "../../src/analyze/cloudformation.js";

const changeSet = (
  changes: unknown[],
  extra: Record<string, unknown> = {},
): CloudFormationChangeSetAction => ({
  kind: "cloudformation-changeset",
  changeSet: { StackName: "orders-prod", ChangeSetName: "deploy-7", Changes: changes, ...extra },
});

describe("analyzeChangeSet", () => {
  it("says why a resource is replaced, from Details", () => {
    const op = analyzeChangeSet(
      changeSet([
        {
          Type: "Resource",
          ResourceChange: {
            Action: "Modify",
            LogicalResourceId: "OrdersDb",
            PhysicalResourceId: "orders-db",
            ResourceType: "AWS::RDS::DBInstance",
            Replacement: "Conditional",
            PolicyAction: "ReplaceAndDelete",
            Details: [
              {
                Target: {
                  Attribute: "Properties",
                  Name: "DBInstanceIdentifier",
                  RequiresRecreation: "Always",
                },
              },
            ],
          },
        },
      ]),
    ).operations[0];
    expect(op?.summary).toBe(
      "AWS::RDS::DBInstance OrdersDb (orders-db) may be replaced because DBInstanceIdentifier changes: a new one is created, then the old one deleted, with its data: the new one starts empty",
    );
    expect(op?.targets).toEqual([{ type: "AWS::RDS::DBInstance", name: "OrdersDb" }]);
    expect(op?.envHints).toEqual(["OrdersDb", "orders-db"]);
  });

  it("gives the stack and change set names as hints for the whole action", () => {
    expect(analyzeChangeSet(changeSet([])).envHints).toEqual(["orders-prod", "deploy-7"]);
  });

  it("never throws, and never reads as safe, on hostile input", () => {
    for (const bad of [null, 7, "x", [1], { ResourceChange: null }, { ResourceChange: { Action: 5 } }]) {
      const analysis = analyzeChangeSet(changeSet([bad]));
      expect(analysis.operations.every((op) => op.effect !== "read")).toBe(true);
      expect(analysis.operations.some((op) => op.opaque)).toBe(true);
    }
    const cyclic: Record<string, unknown> = { StackName: "x" };
    cyclic.Changes = [cyclic];
    expect(analyzeChangeSet({ kind: "cloudformation-changeset", changeSet: cyclic }).status).not.toBe(
      "complete",
    );
  });
});
